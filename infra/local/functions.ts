/**
 * The functions of the stack, built locally exactly as in Lambda: the environment the stack config
 * gives them (infra/config/function-env.ts) pointed at the local services, the same handler
 * factories (createSweepHandler, createConsumerHandler) with their middlewares, and a Lambda context
 * with the function's timeout from the stack config.
 */
import type { Context } from "aws-lambda";
import { sweepSettingsFromEnv } from "../../shared/config/sweep-settings.js";
import {
  type ConsumerHandler,
  consumerSettingsFromEnv,
  createConsumerHandler,
} from "../../shared/consumer/index.js";
import { createSweepHandler, type SweepHandler } from "../../shared/handlers/sweep-handler.js";
import type { KindId } from "../../shared/kinds/registry.js";
import { CONSUMER_SERVICE_NAME, sweepServiceName } from "../../shared/observability/names.js";
import { consumerFunctionEnvironment, sweepFunctionEnvironment } from "../config/function-env.js";
import type { StackConfig } from "../config/stack-config.js";
import { lambdaContext } from "./lambda-context.js";
import type { LocalServices } from "./services.js";

/**
 * A sweep function of `kind` against the local services; `topic` replaces the stack config's, `now`
 * the clock (a test's frozen one).
 */
export function localSweepHandler(
  config: StackConfig,
  kind: KindId,
  services: Pick<LocalServices, "kafka" | "aws" | "meraki" | "secretIds" | "budgetTable">,
  overrides: { topic?: string; now?: () => Date } = {},
): SweepHandler {
  const { connection } = services.kafka;
  const env = {
    ...sweepFunctionEnvironment(config, kind, services.secretIds, services.budgetTable),
    MERAKI_BASE_URL: services.meraki.baseUrl,
    KAFKA_BOOTSTRAP_SERVERS: connection.bootstrapServers,
    ...(connection.caLocation ? { KAFKA_SSL_CA_LOCATION: connection.caLocation } : {}),
    ...(overrides.topic ? { SWEEP_TOPIC: overrides.topic } : {}),
  };
  return createSweepHandler(sweepSettingsFromEnv(env), {
    secretsManagerClientOptions: services.aws.clientOptions,
    dynamoDbClientOptions: services.aws.clientOptions,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
}

/**
 * The consumer function. It reads no secret: the event carries the records. With `services`, it
 * remembers the records it wrote in their deliveries table, as in AWS, and drops repeats across
 * batches; without (an invocation with a sample event, a replay), only repeats within a batch.
 */
export function localConsumerHandler(
  config: StackConfig,
  services?: Pick<LocalServices, "aws" | "deliveriesTable">,
): ConsumerHandler {
  const env = consumerFunctionEnvironment(config, services?.deliveriesTable);
  return createConsumerHandler(
    consumerSettingsFromEnv(env),
    services ? { dynamoDbClientOptions: services.aws.clientOptions } : {},
  );
}

/** The Lambda context of one sweep invocation. */
export function sweepContext(config: StackConfig, kind: KindId): Context {
  return lambdaContext(sweepServiceName(kind), config.sweeps[kind].timeoutSeconds * 1000);
}

/** The Lambda context of one consumer invocation. */
export function consumerContext(config: StackConfig): Context {
  return lambdaContext(CONSUMER_SERVICE_NAME, config.consumer.timeoutSeconds * 1000);
}
