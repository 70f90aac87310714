/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy` run this with tsx on the project's Node 24
 * (cdk.json "app"). The stack config is infra/config/default.ts, deep-merged with the JSON in the
 * `semaphore.config` context (see README.md, "Deploy").
 */
import { App } from "aws-cdk-lib";
import { InvalidConfigOverrideError } from "./config/overrides.js";
import { InvalidStackConfigError } from "./config/stack-config.js";
import { NativeLayerError } from "./native-layer/verify.js";
import { buildSemaphoreApp } from "./stacks/semaphore-app.js";

const major = Number(process.versions.node.split(".")[0]);
if (major !== 24) {
  console.warn(
    `warning: synthesizing with Node ${process.versions.node}; the functions run on nodejs24.x. ` +
      "Run `source scripts/env.sh` first to use the project's Node 24.",
  );
}

try {
  buildSemaphoreApp(new App());
} catch (error) {
  // Configuration and layer problems are the user's to fix: the message says how, a stack trace would not.
  if (
    error instanceof InvalidStackConfigError ||
    error instanceof InvalidConfigOverrideError ||
    error instanceof NativeLayerError
  ) {
    console.error(`\n${error.name}: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
