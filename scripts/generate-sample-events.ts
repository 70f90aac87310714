// `npx tsx scripts/generate-sample-events.ts`: writes the generated sample events of test/events/
// (infra/local/sample-events/sample-events.ts says which); test/unit/sample-events.test.ts fails
// when they drift from what the code makes.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stackConfig } from "../infra/config/default.js";
import { parseStackConfig } from "../infra/config/stack-config.js";
import { renderSampleEvents } from "../infra/local/sample-events/sample-events.js";

export const SAMPLE_EVENT_DIR = fileURLToPath(new URL("../test/events/", import.meta.url));

async function main(): Promise<void> {
  for (const [name, content] of await renderSampleEvents(parseStackConfig(stackConfig))) {
    const file = join(SAMPLE_EVENT_DIR, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    console.log(`wrote test/events/${name}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
