import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { stackConfig as defaultConfig } from "../config/default.js";
import { applyConfigOverride, CONFIG_CONTEXT_KEY } from "../config/overrides.js";
import { parseStackConfig, type StackConfig, type StackConfigInput } from "../config/stack-config.js";
import { FUNCTION_ENTRIES } from "../constructs/function-bundle.js";
import { pinnedKafkaVersion, repositoryRoot } from "../native-layer/project.js";
import { SemaphoreStack } from "./semaphore-stack.js";

export interface SemaphoreAppOptions {
  /** The base config; infra/config/default.ts unless given (tests pass variations). */
  config?: StackConfigInput;
  projectRoot?: string;
}

export interface SemaphoreApp {
  app: App;
  config: StackConfig;
  stack: SemaphoreStack;
}

/**
 * Builds the whole app the way `cdk synth` does (infra/app.ts calls this), so the tests check
 * exactly what gets deployed: config = defaults deep-merged with the `semaphore.config` context,
 * validated; the stack; cdk-nag's AwsSolutions checks on everything.
 */
export function buildSemaphoreApp(app: App, options: SemaphoreAppOptions = {}): SemaphoreApp {
  const projectRoot = options.projectRoot ?? repositoryRoot();
  const input = applyConfigOverride(
    options.config ?? defaultConfig,
    app.node.tryGetContext(CONFIG_CONTEXT_KEY),
  );
  const config = parseStackConfig(input);
  const entry = resolve(projectRoot, FUNCTION_ENTRIES.consumer);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: the consumer function's entry point`);
  const nativeLayerDirectory = isAbsolute(config.nativeLayer.directory)
    ? config.nativeLayer.directory
    : resolve(projectRoot, config.nativeLayer.directory);
  const stack = new SemaphoreStack(app, config.stack.name, {
    config,
    projectRoot,
    nativeLayerDirectory,
    kafkaVersion: pinnedKafkaVersion(projectRoot),
    description: "Semaphore: Meraki Dashboard telemetry -> Kafka (Confluent Cloud) -> CloudWatch",
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, config, stack };
}
