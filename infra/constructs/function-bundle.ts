// How every function is bundled, written once: CDK's NodejsFunction bundles with it
// (semaphore-function.ts), and `npm run bench` bundles the same way to measure what is deployed.

import { KAFKA_PACKAGE } from "../native-layer/verify.js";

export const FUNCTION_BUNDLE = {
  format: "cjs",
  platform: "node",
  target: "node24",
  minify: true,
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  // ES module builds first (the AWS SDK and Powertools ship both): esbuild drops what is never
  // imported, which the CommonJS builds do not allow. Measured by \`npm run bench -- --only cold-start\`:
  // the sweep bundle 862 -> 639 kB and its initialisation 222 -> 148 ms.
  mainFields: ["module", "main"],
  // The native client comes from the layer; everything else, the AWS SDK included, is bundled so
  // the deployed code is exactly the locked versions the tests ran against.
  external: [KAFKA_PACKAGE],
} as const;

/** The functions and their entries (relative to the repository root). */
export const FUNCTION_ENTRIES = { sweep: "functions/sweep.ts", consumer: "functions/consumer.ts" } as const;
