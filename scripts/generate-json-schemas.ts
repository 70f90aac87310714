// `npx tsx scripts/generate-json-schemas.ts`: writes shared/schemas/json/<schema id>.json from the
// zod envelope definition of every kind in the registry (shared/kinds/), the same ones the consumer
// validates with. The files are committed for consumers in other languages; test/consumer/json-schemas.test.ts
// fails when they drift from the definitions.

import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod";
import { CONSUMED_KINDS } from "../shared/kinds/registry.js";

export const JSON_SCHEMA_DIR = fileURLToPath(new URL("../shared/schemas/json/", import.meta.url));

/**
 * File name -> file content, for every schema in the registry; a retired kind's too, since records
 * of it may still be in its topic.
 */
export function renderJsonSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const {
    schema: { id: schemaId, envelope: schema },
  } of CONSUMED_KINDS) {
    // "input": what a valid record may look like on the wire. Unknown fields are allowed there (the
    // zod objects strip them), so a producer can add fields without breaking older consumers.
    const { $schema, ...body } = z.toJSONSchema(schema, { io: "input" });
    const document = {
      $schema,
      title: schemaId,
      description:
        `Semaphore record envelope ${schemaId}. Generated from shared/kinds by scripts/generate-json-schemas.ts: do not edit. ` +
        "The zod definitions also check what JSON Schema cannot say: every window or interval starts before it ends, " +
        "and where a kind says so, values relate (lost packets at most the total, a reading within its unit's range).",
      ...body,
    };
    files.set(`${schemaId}.json`, `${JSON.stringify(document, null, 2)}\n`);
  }
  return files;
}

function main(): void {
  const files = renderJsonSchemas();
  for (const stale of readdirSync(JSON_SCHEMA_DIR).filter(
    (name) => name.endsWith(".json") && !files.has(name),
  )) {
    rmSync(join(JSON_SCHEMA_DIR, stale));
    console.log(`removed ${stale}`);
  }
  for (const [name, content] of files) {
    writeFileSync(join(JSON_SCHEMA_DIR, name), content);
    console.log(`wrote shared/schemas/json/${name}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
