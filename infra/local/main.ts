/**
 * `npm start`: the whole pipeline on one machine with no cloud account. A real Kafka broker
 * (SASL_SSL + PLAIN like Confluent Cloud), a real Secrets Manager and DynamoDB endpoint (moto, which
 * holds the Meraki budget every sweep shares, as the stack's table does), the Meraki simulator (or
 * the real Dashboard API when MERAKI_API_KEY is set), the sweep handlers on the schedules of the
 * stack config (staggered within each schedule's flexible window, one per shard), and the consumer
 * handler fed by an emulator of the self-managed Kafka event source mapping (same batch size,
 * batching window and group ids as the stack). `npm start -- --once` runs every sweep once, waits
 * until the consumer has read what they produced, reports what the sweeps wrote to the shared
 * budget, and exits.
 */
import { parseArgs } from "node:util";
import { Logger } from "@aws-lambda-powertools/logger";
import { sweepSettingsFromEnv } from "../../shared/config/sweep-settings.js";
import { consumerSettingsFromEnv, createConsumerHandler } from "../../shared/consumer/index.js";
import { createSweepHandler, type SweepHandler } from "../../shared/handlers/sweep-handler.js";
import { KIND_IDS, type KindId, kindById } from "../../shared/kinds/registry.js";
import { stackConfig } from "../config/default.js";
import { consumerFunctionEnvironment, sweepFunctionEnvironment } from "../config/function-env.js";
import { localFiringOffsetSeconds, scheduleInput, sweepShards } from "../config/schedule.js";
import { kafkaConsumerGroupId, parseStackConfig } from "../config/stack-config.js";
import {
  budgetItems,
  createBudgetTable,
  LOCAL_BUDGET_TABLE,
  localDynamoDbClient,
} from "./dynamodb/budget-table.js";
import { startKafkaEventSource } from "./event-source/index.js";
import { createTopics, kindTopicSpec } from "./kafka/admin.js";
import { startKafkaBroker } from "./kafka/broker.js";
import { lambdaContext } from "./lambda-context.js";
import { startMerakiSimulator } from "./meraki-simulator/index.js";
import { startSecretsManager } from "./secrets/moto-server.js";
import { localSecretsManagerClient, putSecret } from "./secrets/seed.js";

const { values: args } = parseArgs({
  options: {
    once: { type: "boolean", default: false },
    organizations: { type: "string", default: "1" },
    devices: { type: "string", default: "100" },
    networks: { type: "string", default: "20" },
  },
});

const log = new Logger({ serviceName: "semaphore-local" });
const config = parseStackConfig(stackConfig);
const sourceLogger = new Logger({ serviceName: "semaphore-local-event-source" });
// The emulator's attributes are plain JSON-able records; Powertools types them more narrowly.
const eventSourceLog = {
  info: (message: string, attributes: Record<string, unknown> = {}) =>
    sourceLogger.info(message, { ...attributes }),
  warn: (message: string, attributes: Record<string, unknown> = {}) =>
    sourceLogger.warn(message, { ...attributes }),
  error: (message: string, attributes: Record<string, unknown> = {}) =>
    sourceLogger.error(message, { ...attributes }),
};
const stops: Array<() => Promise<void>> = [];

async function main(): Promise<void> {
  log.info("starting the local pipeline: Kafka broker, Secrets Manager (moto), Meraki simulator");
  const [broker, secretsManager] = await Promise.all([startKafkaBroker(), startSecretsManager()]);
  stops.push(broker.stop, secretsManager.stop);

  const realKey = process.env.MERAKI_API_KEY;
  let merakiBaseUrl = config.meraki.baseUrl;
  let merakiKey = realKey ?? "";
  if (!realKey) {
    const simulator = await startMerakiSimulator({
      seed: 1,
      organizations: Number(args.organizations),
      networksPerOrg: Number(args.networks),
      devicesPerOrg: Number(args.devices),
      clientsPerNetwork: 10,
    });
    stops.push(simulator.stop);
    merakiBaseUrl = simulator.baseUrl;
    merakiKey = simulator.apiKey;
  }

  // The moto server serves DynamoDB too: the budget table lives there, as the stack's does in AWS.
  const dynamoDb = localDynamoDbClient(secretsManager.endpoint, secretsManager.region);
  await createBudgetTable(dynamoDb, LOCAL_BUDGET_TABLE);
  const awsClientOptions = {
    endpoint: secretsManager.endpoint,
    region: secretsManager.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };

  const secrets = localSecretsManagerClient(secretsManager.endpoint, secretsManager.region);
  await putSecret(secrets, config.meraki.secretName, merakiKey);
  await putSecret(
    secrets,
    config.kafka.secretName,
    JSON.stringify({ username: broker.username, password: broker.password }),
  );

  const enabled = KIND_IDS.filter((kind) => config.sweeps[kind].enabled);
  await createTopics(
    broker,
    enabled.map((kind) => kindTopicSpec(config.sweeps[kind].topic, kindById(kind).topicSettings)),
  );

  // One handler per schedule, like the execution environments of one function: in AWS the shards of
  // a slot run side by side, each in an environment of its own.
  const handlers = new Map<KindId, SweepHandler[]>();
  for (const kind of enabled) {
    const env = {
      ...sweepFunctionEnvironment(config, kind, undefined, LOCAL_BUDGET_TABLE),
      MERAKI_BASE_URL: merakiBaseUrl,
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrapServers,
      KAFKA_SSL_CA_LOCATION: broker.caLocation,
    };
    const settings = sweepSettingsFromEnv(env);
    const perSchedule = sweepShards(config.sweeps[kind].shards).map(() => {
      const handler = createSweepHandler(settings, {
        secretsManagerClientOptions: awsClientOptions,
        dynamoDbClientOptions: awsClientOptions,
      });
      stops.unshift(handler.close);
      return handler;
    });
    handlers.set(kind, perSchedule);
  }

  // One event source per topic, as in AWS (a self-managed Kafka mapping reads exactly one topic).
  // Not for a retired kind's old topic even when the stack config drains it: the local broker
  // starts empty on every run, so such a topic never exists here and has nothing to drain.
  const consumer = createConsumerHandler(consumerSettingsFromEnv(consumerFunctionEnvironment(config)));
  let consumed = 0;
  for (const kind of enabled) {
    const source = await startKafkaEventSource({
      connection: broker,
      topics: [config.sweeps[kind].topic],
      groupId: kafkaConsumerGroupId(config, kind),
      batchSize: config.consumer.batchSize,
      batchingWindowSeconds: config.consumer.batchingWindowSeconds,
      startingPosition: config.consumer.startingPosition,
      functionName: "semaphore-consumer",
      logger: eventSourceLog,
      handler: async (event, context) => {
        const summary = await consumer(event, context);
        consumed += summary.records;
        return summary;
      },
    });
    stops.unshift(source.stop);
  }

  log.info("pipeline ready", {
    kafka: broker.bootstrapServers,
    meraki: realKey ? merakiBaseUrl : `simulator at ${merakiBaseUrl}`,
    merakiBudgetTable: LOCAL_BUDGET_TABLE,
    sweeps: enabled.map((kind) => ({
      kind,
      schedule: config.sweeps[kind].schedule,
      topic: config.sweeps[kind].topic,
      ...(config.sweeps[kind].shards > 1 ? { shards: config.sweeps[kind].shards } : {}),
    })),
  });

  // A first manual round right away, so the pipeline shows records without waiting a period.
  let failures = 0;
  let produced = 0;
  for (const [kind, [handler]] of handlers) {
    await handler!({}, sweepContext(kind))
      .then((summary) => {
        produced += summary.records.produced;
      })
      .catch(() => {
        failures += 1; // the handler has logged the error with its context
      });
  }
  if (args.once) {
    const deadline = Date.now() + 60_000;
    while (consumed < produced && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    // What the sweeps drew from the budget they share: one item per organisation (and one for the
    // key's own calls), written at every lease of request slots.
    const budget = await budgetItems(dynamoDb, LOCAL_BUDGET_TABLE);
    log.info("local run finished", { produced, consumed, failedSweeps: failures, budget });
    if (consumed < produced) failures += 1;
    await shutdown(failures === 0 ? 0 : 1);
    return;
  }
  for (const [kind, perSchedule] of handlers) scheduleSweep(kind, perSchedule);
  log.info("sweeps scheduled; Ctrl-C stops the pipeline");
}

/**
 * Each of the kind's schedules (one per shard) fires on the period grid with the slot's time in the
 * payload, like EventBridge Scheduler, at the shard's turn and then a fixed number of seconds into
 * its flexible window (localFiringOffsetSeconds): kinds of the same period and the shards of a kind
 * start apart, and the window still comes from the slot's time, not from the moment of firing.
 */
function scheduleSweep(kind: KindId, handlers: SweepHandler[]): void {
  const sweep = config.sweeps[kind];
  const periodMs = sweep.windowSeconds * 1000;
  for (const [index, shard] of sweepShards(sweep.shards).entries()) {
    const handler = handlers[index]!;
    const offsetMs = localFiringOffsetSeconds(kind, shard, sweep) * 1000;
    const untilNext = () => periodMs - ((Date.now() - offsetMs) % periodMs);
    const fire = () => {
      const slot = new Date(Math.floor((Date.now() - offsetMs) / periodMs) * periodMs);
      void handler(scheduleInput(slot.toISOString(), shard), sweepContext(kind)).catch(() => undefined);
      setTimeout(fire, untilNext()).unref();
    };
    setTimeout(fire, untilNext()).unref();
  }
}

/** The Lambda context of one invocation, with the function's timeout from the stack config. */
function sweepContext(kind: KindId) {
  return lambdaContext(`semaphore-sweep-${kind}`, config.sweeps[kind].timeoutSeconds * 1000);
}

async function shutdown(code: number): Promise<void> {
  for (const stop of stops) await stop().catch(() => undefined);
  process.exit(code);
}

process.once("SIGINT", () => void shutdown(0));
process.once("SIGTERM", () => void shutdown(0));
setInterval(() => undefined, 1 << 30); // keep the process alive between scheduled sweeps

main().catch(async (error: unknown) => {
  log.error("the local pipeline could not start", { error: error as Error });
  await shutdown(1);
});
