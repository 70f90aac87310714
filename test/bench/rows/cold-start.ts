// Cold start of each function: the size of its bundle as CDK builds it (minified, the source map a
// separate file, the native Kafka client left to the layer) and its module initialisation time:
// import plus handler construction, no network, in fresh Node processes (median of several).

import { execFile } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { FUNCTION_BUNDLE, FUNCTION_ENTRIES } from "../../../infra/constructs/function-bundle.js";
import { KIND_IDS } from "../../../shared/kinds/registry.js";
import { type BenchResult, median, RESULTS_DIR } from "../table.js";

const RUNS = 9;
const TARGET_BUNDLE_BYTES = 1_000_000;
const TARGET_INIT_MS = 150;
const run = promisify(execFile);

/** What a deployed function's environment holds (infra/config/function-env.ts); no value is dialled. */
const ENVIRONMENTS: Record<keyof typeof FUNCTION_ENTRIES, Record<string, string>> = {
  sweep: {
    SWEEP_KIND: KIND_IDS[0]!,
    SWEEP_PERIOD_SECONDS: "300",
    KAFKA_BOOTSTRAP_SERVERS: "pkc-00000.us-east-1.aws.confluent.cloud:9092",
    KAFKA_SECRET_ID: "semaphore/kafka",
    MERAKI_SECRET_ID: "semaphore/meraki-api-key",
    MERAKI_BUDGET_TABLE: "Semaphore-meraki-budget",
    AWS_REGION: "us-east-1",
  },
  consumer: { CONSUMER_METRIC_DIMENSIONS: "network", AWS_REGION: "us-east-1" },
};

// The bundle is loaded from inside the repository so that require() finds the native client in
// node_modules, as it finds it in the layer on Lambda.
// Prefetching secrets at init (middy does, to save the first invocation the round trip) goes to
// the network asynchronously and fails here without credentials: not part of what is measured.
const PROBE =
  "process.on('unhandledRejection',()=>{});const t=performance.now();require(process.argv[1]);" +
  "process.stdout.write(String(performance.now()-t));process.exit(0)";

export async function coldStartRow(repositoryRoot: string): Promise<BenchResult[]> {
  const dir = join(RESULTS_DIR, "bundles");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const results: BenchResult[] = [];
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES) as Array<
    [keyof typeof FUNCTION_ENTRIES, string]
  >) {
    // .cjs: the repository is an ES module package, and Lambda loads these bundles as CommonJS.
    const outfile = join(dir, `${name}.cjs`);
    await build({
      entryPoints: [join(repositoryRoot, entry)],
      bundle: true,
      outfile,
      logLevel: "silent",
      ...FUNCTION_BUNDLE,
      mainFields: [...FUNCTION_BUNDLE.mainFields],
      external: [...FUNCTION_BUNDLE.external],
    });
    const bytes = statSync(outfile).size;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { stdout } = await run(process.execPath, ["-e", PROBE, outfile], {
        env: { PATH: process.env.PATH ?? "", ...ENVIRONMENTS[name] },
      });
      times.push(Number(stdout));
    }
    const initMs = median(times);
    results.push(
      {
        row: "cold-start",
        measure: `${name} bundle (${entry}; source map apart, native client in the layer)`,
        value: bytes / 1000,
        unit: "kB",
        better: "lower",
        target: { text: "<= 1,000 kB", met: bytes <= TARGET_BUNDLE_BYTES },
      },
      {
        row: "cold-start",
        measure: `${name} module initialisation, median of ${RUNS} fresh processes`,
        value: initMs,
        unit: "ms",
        better: "lower",
        target: { text: `< ${TARGET_INIT_MS} ms`, met: initMs < TARGET_INIT_MS },
      },
    );
  }
  return results;
}
