/** `npm run consume -- <kind or topic>`: see infra/local/commands/consume.ts. */
import { stackConfig } from "../config/default.js";
import { parseStackConfig } from "../config/stack-config.js";
import { UnknownTopicsError, UsageError } from "../local/cli/errors.js";
import { commandKafka, KAFKA_OPTIONS } from "../local/cli/kafka-target.js";
import { onCluster } from "../local/cli/on-cluster.js";
import { parseCommandLine, positiveInteger, runCommand } from "../local/cli/run-command.js";
import { topicOf } from "../local/cli/topic-name.js";
import { consumeTopic, replayRange } from "../local/commands/consume.js";
import type { RangeStart } from "../local/kafka/range-reader.js";
import { missingTopics } from "../local/kafka/topics.js";
import { outputFormat, startLiveView } from "../local/terminal/live-view.js";

const USAGE = `usage: npm run consume -- <kind or topic> [options]

  <kind or topic>          a kind (its topic in the stack config) or any topic name
  --group <id>             read as this consumer group and commit what was read; default: a fresh
                           group that commits nothing
  --from earliest|latest   where a group without committed offsets starts (default earliest)
  --timeout <seconds>      stop after this long without a record (default: until Ctrl-C)
  --max <n>                stop after n records
  --verbose                each record's partition, offset, key, timestamp, headers and value too
  --replay                 feed a range through the consumer handler, as the event source mapping
    --from-offset <n>      would: from offset n of each partition (or of --partition <p>)
    --from-time <ISO>      or from the first record at or after that time; up to each partition's
                           end when the replay starts (or --max records)
  --json | --pretty        the consumer's JSON lines, or readable (default: readable on a terminal)
  --rows <n>               telemetry rows shown per kind and batch (readable view, default 20)
  Kafka: as for npm run topics (the running npm start's, or --kafka-bootstrap/--kafka-credentials).`;

runCommand("consume", USAGE, async () => {
  const { values: args, positionals } = parseCommandLine({
    allowPositionals: true,
    options: {
      group: { type: "string" },
      from: { type: "string", default: "earliest" },
      timeout: { type: "string" },
      max: { type: "string" },
      verbose: { type: "boolean", default: false },
      replay: { type: "boolean", default: false },
      "from-offset": { type: "string" },
      "from-time": { type: "string" },
      partition: { type: "string", multiple: true, default: [] },
      json: { type: "boolean", default: false },
      pretty: { type: "boolean", default: false },
      rows: { type: "string" },
      ...KAFKA_OPTIONS,
    },
  });
  if (positionals.length !== 1) throw new UsageError("name one kind or topic to read");
  if (args.from !== "earliest" && args.from !== "latest") {
    throw new UsageError(`--from must be earliest or latest, not "${args.from}"`);
  }
  const config = parseStackConfig(stackConfig);
  const topic = topicOf(config, positionals[0]!);
  const max = positiveInteger("max", args.max);
  const start = args.replay ? replayStart(args["from-offset"], args["from-time"]) : undefined;
  if (!args.replay && (args["from-offset"] !== undefined || args["from-time"] !== undefined)) {
    throw new UsageError("--from-offset and --from-time go with --replay");
  }
  const kafka = await commandKafka(args, process.env, config);
  const missing = await onCluster(kafka, `looking for ${topic}`, () =>
    missingTopics(kafka.connection, [topic]),
  );
  if (missing.length > 0) throw new UnknownTopicsError(missing, kafka.connection.bootstrapServers);

  const view = startLiveView({
    format: outputFormat(args, process.stdout.isTTY === true),
    target: "stdout",
    rows: positiveInteger("rows", args.rows) ?? 20,
  });
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  try {
    if (start) {
      const partitions = args.partition.map((p) => nonNegative("partition", p));
      const { failed } = await onCluster(kafka, `replaying ${topic}`, () =>
        replayRange(
          kafka,
          config,
          { topic, start, max, ...(partitions.length > 0 ? { partitions } : {}) },
          view,
          stop.signal,
        ),
      );
      return failed ? 1 : 0;
    }
    await onCluster(kafka, `reading ${topic}`, () =>
      consumeTopic(
        kafka,
        config,
        {
          topic,
          group: args.group,
          from: args.from as "earliest" | "latest",
          idleSeconds: positiveInteger("timeout", args.timeout),
          max,
          verbose: args.verbose,
        },
        view,
        stop.signal,
      ),
    );
    return 0;
  } finally {
    view.stop();
  }
});

function replayStart(fromOffset: string | undefined, fromTime: string | undefined): RangeStart {
  if ((fromOffset === undefined) === (fromTime === undefined)) {
    throw new UsageError("--replay needs one of --from-offset <n> or --from-time <ISO time>");
  }
  if (fromOffset !== undefined) return { offset: nonNegative("from-offset", fromOffset) };
  const time = new Date(fromTime!);
  if (Number.isNaN(time.getTime())) {
    throw new UsageError(`--from-time must be an ISO time such as 2026-11-22T10:05:00Z, not "${fromTime}"`);
  }
  return { time };
}

function nonNegative(option: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new UsageError(`--${option} must be a whole number of at least 0, not "${value}"`);
  }
  return number;
}
