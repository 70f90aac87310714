/**
 * `npm start`: the whole pipeline on one machine with no cloud account. A real Kafka broker
 * (SASL_SSL + PLAIN like Confluent Cloud) or an existing cluster (`--kafka-bootstrap`,
 * `--kafka-credentials`), a real Secrets Manager and DynamoDB endpoint (moto, which holds the
 * Meraki budget every sweep shares, as the stack's table does), the Meraki simulator (or the real
 * Dashboard API when MERAKI_API_KEY is set), the sweep handlers on the schedules of the stack config,
 * and the consumer handler fed by an emulator of the self-managed Kafka event source mapping.
 *
 * On a terminal it shows a banner, the sweeps and the consumer's telemetry readably and a live
 * status line; otherwise (or with `--json`) exactly the JSON lines CloudWatch would receive.
 * `--once` runs every sweep once, waits until the consumer has read what they produced, reports what
 * the sweeps wrote to the shared budget, and exits.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { SweepHandler } from "../../shared/handlers/sweep-handler.js";
import { KIND_IDS, type KindId, kindById } from "../../shared/kinds/registry.js";
import { stackConfig } from "../config/default.js";
import { sweepShards } from "../config/schedule.js";
import { kafkaConsumerGroupId, parseStackConfig, type StackConfig } from "../config/stack-config.js";
import { givenKafka, KAFKA_OPTIONS } from "./cli/kafka-target.js";
import { parseCommandLine, positiveInteger, runCommand } from "./cli/run-command.js";
import { budgetItems, localDynamoDbClient } from "./dynamodb/budget-table.js";
import { type KafkaEventSource, startKafkaEventSource } from "./event-source/index.js";
import { powertoolsEventSourceLogger } from "./event-source/logger.js";
import { localConsumerHandler, localSweepHandler, sweepContext } from "./functions.js";
import { kindTopicSpec } from "./kafka/admin.js";
import { type LagMonitor, monitorLag } from "./pipeline/lag-monitor.js";
import { type LocalScheduler, scheduleSweeps } from "./pipeline/scheduler.js";
import { type LocalServices, provideTopics, startLocalServices } from "./services.js";
import { publishSession } from "./session.js";
import { renderBanner } from "./terminal/banner.js";
import { type LiveView, outputFormat, startLiveView } from "./terminal/live-view.js";

const USAGE = `usage: npm start [-- options]

  --once                   run every sweep once, wait for the consumer, exit (non-zero on a failure)
  --json                   print the JSON lines CloudWatch would receive (the default when not a terminal)
  --pretty                 the readable view even when not a terminal
  --rows <n>               telemetry rows shown per kind and batch in the readable view (default 8)
  --organizations <n>, --networks <n>, --devices <n>
                           size of the simulated organisations (default 1, 20 networks, 100 devices)
  --kafka-bootstrap <host:port>   an existing Kafka cluster instead of the embedded broker
  --kafka-credentials <file>      its credentials, JSON {"username": ..., "password": ...}
                                  (or KAFKA_USERNAME and KAFKA_PASSWORD; credentials alone: the
                                  stack config's kafka.bootstrapServers)
  --kafka-ca <pem>                a private CA to trust (Confluent Cloud needs none)

  MERAKI_API_KEY=<key> npm start   sweeps the real Dashboard API (meraki.baseUrl of the stack config)`;

const parse = () =>
  parseCommandLine({
    options: {
      once: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      pretty: { type: "boolean", default: false },
      rows: { type: "string" },
      organizations: { type: "string", default: "1" },
      devices: { type: "string", default: "100" },
      networks: { type: "string", default: "20" },
      help: { type: "boolean", short: "h" },
      ...KAFKA_OPTIONS,
    },
  }).values;
type Args = ReturnType<typeof parse>;

const log = new Logger({ serviceName: "semaphore-local" });
const eventSourceLog = powertoolsEventSourceLogger(
  new Logger({ serviceName: "semaphore-local-event-source" }),
);

/** Everything to stop, last started first. */
const stops: Array<() => Promise<void> | void> = [];
let view: LiveView | undefined;

async function main(args: Args): Promise<number> {
  const format = outputFormat(args, process.stdout.isTTY === true);
  let scheduler: LocalScheduler | undefined;
  let lag: LagMonitor | undefined;
  view = startLiveView({
    format,
    target: "stdout",
    rows: positiveInteger("rows", args.rows) ?? 8,
    status: () => ({ lag: lag?.total(), next: scheduler?.next() }),
  });
  stops.push(() => view?.stop());

  const deployed = parseStackConfig(stackConfig);
  const kafka = givenKafka(args, process.env, deployed);
  // On an existing cluster the deployed consumer's groups may be reading the same topics: the local
  // event sources read with groups of their own, from the end, so they neither take partitions from
  // the deployed mappings nor replay the topics' history.
  const config: StackConfig = kafka
    ? {
        ...deployed,
        consumer: {
          ...deployed.consumer,
          groupId: `${deployed.consumer.groupId}-local`,
          startingPosition: "LATEST",
        },
      }
    : deployed;

  log.info("starting the local pipeline: Kafka broker, Secrets Manager (moto), Meraki simulator");
  const services = await startLocalServices(config, {
    kafka,
    merakiApiKey: process.env.MERAKI_API_KEY || undefined,
    simulator: {
      organizations: positiveInteger("organizations", args.organizations)!,
      networks: positiveInteger("networks", args.networks)!,
      devices: positiveInteger("devices", args.devices)!,
    },
    progress: (text) => view?.say(text),
  });
  stops.unshift(services.stop);

  const enabled = KIND_IDS.filter((kind) => config.sweeps[kind].enabled);
  await provideTopics(
    services.kafka,
    enabled.map((kind) => kindTopicSpec(config.sweeps[kind].topic, kindById(kind).topicSettings)),
  );

  // One handler per schedule, like the execution environments of one function: in AWS the shards of
  // a slot run side by side, each in an environment of its own.
  const handlers = new Map<KindId, SweepHandler[]>();
  for (const kind of enabled) {
    const perSchedule = sweepShards(config.sweeps[kind].shards).map(() => {
      const handler = localSweepHandler(config, kind, services);
      stops.unshift(handler.close);
      return handler;
    });
    handlers.set(kind, perSchedule);
  }

  // One event source per topic, as in AWS (a self-managed Kafka mapping reads exactly one topic).
  // Not for a retired kind's old topic even when the stack config drains it: the local broker
  // starts empty on every run, so such a topic never exists here and has nothing to drain.
  view.say(`starting ${enabled.length} event sources (one per topic, as the stack's mappings)`);
  const consumer = localConsumerHandler(config, services);
  let consumed = 0;
  const sources = await Promise.all(
    enabled.map(
      (kind): Promise<KafkaEventSource> =>
        startKafkaEventSource({
          connection: services.kafka.connection,
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
        }),
    ),
  );
  for (const source of sources) stops.unshift(source.stop);

  const groups = enabled.map((kind) => ({
    groupId: kafkaConsumerGroupId(config, kind),
    topic: config.sweeps[kind].topic,
  }));
  if (format === "pretty") {
    lag = monitorLag(services.kafka.connection, groups);
    stops.unshift(lag.stop);
  }
  stops.unshift(
    publishSession({
      pid: process.pid,
      startedAt: new Date().toISOString(),
      kafka: {
        bootstrapServers: services.kafka.connection.bootstrapServers,
        ...(services.kafka.connection.caLocation ? { caLocation: services.kafka.connection.caLocation } : {}),
        embedded: services.kafka.embedded,
      },
      aws: { endpoint: services.aws.endpoint, region: services.aws.region },
      secretIds: services.secretIds,
      meraki: { baseUrl: services.meraki.baseUrl, simulated: services.meraki.simulated },
      budgetTable: services.budgetTable,
      consumerGroupPrefix: config.consumer.groupId,
    }),
  );

  announce(config, services, enabled, args.once === true);

  // A first manual round right away, so the pipeline shows records without waiting a period.
  let failures = 0;
  let produced = 0;
  for (const [kind, [handler]] of handlers) {
    await handler!({}, sweepContext(config, kind)).then(
      (summary) => {
        produced += summary.records.produced;
      },
      () => {
        failures += 1; // the handler has logged the error with its context
      },
    );
  }
  if (args.once) {
    const deadline = Date.now() + 60_000;
    while (consumed < produced && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    // What the sweeps drew from the budget they share: one item per organisation (and one for the
    // key's own calls), written at every lease of request slots.
    const dynamoDb = localDynamoDbClient(services.aws.endpoint, services.aws.region);
    const budget = await budgetItems(dynamoDb, services.budgetTable).finally(() => dynamoDb.destroy());
    log.info("local run finished", { produced, consumed, failedSweeps: failures, budget });
    view.say(
      `run finished: ${produced} records produced, ${consumed} consumed, ${failures} sweep(s) failed; ` +
        `shared Meraki budget: ${budget.map((item) => `${item.pk} at ${item.ratePerSecond}/s, ${item.writes} writes`).join("; ")}`,
    );
    if (consumed < produced) failures += 1;
    return failures === 0 ? 0 : 1;
  }
  scheduler = scheduleSweeps(config, handlers);
  stops.unshift(() => scheduler?.stop());
  log.info("sweeps scheduled; Ctrl-C stops the pipeline");
  view.say("sweeps scheduled; Ctrl-C stops the pipeline");
  return new Promise<number>(() => undefined); // until Ctrl-C
}

function announce(
  config: StackConfig,
  services: LocalServices,
  enabled: readonly KindId[],
  once: boolean,
): void {
  const sweeps = enabled.map((kind) => ({
    kind,
    schedule: config.sweeps[kind].schedule,
    topic: config.sweeps[kind].topic,
    shards: config.sweeps[kind].shards,
  }));
  log.info("pipeline ready", {
    kafka: services.kafka.connection.bootstrapServers,
    meraki: services.meraki.simulated ? `simulator at ${services.meraki.baseUrl}` : services.meraki.baseUrl,
    merakiBudgetTable: services.budgetTable,
    sweeps: sweeps.map(({ shards, ...sweep }) => ({ ...sweep, ...(shards > 1 ? { shards } : {}) })),
  });
  if (view?.format !== "pretty") return;
  const { consumer } = config;
  const banner = renderBanner(
    {
      kafka: services.kafka.description,
      meraki: services.meraki.description,
      aws: `Secrets Manager and DynamoDB (moto) at ${services.aws.endpoint}, budget table ${services.budgetTable}`,
      consumer:
        `an event source per topic, groups ${consumer.groupId}-<kind> from ${consumer.startingPosition}, ` +
        `batches of up to ${consumer.batchSize} within ${consumer.batchingWindowSeconds} s`,
      sweeps,
      once,
    },
    process.stdout.columns ?? 120,
    view.paint,
  );
  for (const line of banner) process.stdout.write(`${line}\n`);
}

let stopping: Promise<void> | undefined;
function shutdown(): Promise<void> {
  stopping ??= (async () => {
    for (const stop of stops.splice(0))
      await Promise.resolve()
        .then(stop)
        .catch(() => undefined);
  })();
  return stopping;
}

/** A signal this soon after the first is the same Ctrl-C (tsx relays it to this process too). */
const REPEATED_SIGNAL_MS = 2_000;
let firstSignalAt = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      // Ctrl-C again: stop waiting; the broker's and moto's exit hooks still end them.
      if (Date.now() - firstSignalAt > REPEATED_SIGNAL_MS) process.exit(130);
      return;
    }
    firstSignalAt = Date.now();
    view?.say("stopping: event sources, sweeps, broker, moto, simulator");
    void shutdown().then(() => process.exit(0));
  });
}
setInterval(() => undefined, 1 << 30); // keep the process alive between scheduled sweeps

runCommand("npm start", USAGE, async () => {
  try {
    return await main(parse());
  } catch (error) {
    log.error("the local pipeline could not start", { error: error as Error });
    throw error;
  } finally {
    await shutdown();
  }
});
