/**
 * `npm run consume -- <kind or topic>`: reads a topic like the original semaphore `consumer.py`
 * (a group, where to start, an idle timeout, a maximum, the raw records with `--verbose`) and
 * decodes and validates each record with the consumer's own code (shared/consumer), printing the
 * lines the consumer function would. `--replay` instead feeds a range of offsets through the
 * consumer handler itself, in the events the event source mapping would build, to see what it
 * makes of a record it rejected.
 */
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import type { ConsumerBatchSummary } from "../../../shared/consumer/batch-tally.js";
import { jsonLineLog } from "../../../shared/consumer/index.js";
import { decodeHeaders } from "../../../shared/consumer/kafka-event.js";
import { processBatch } from "../../../shared/consumer/process-batch.js";
import { CONSUMER_SERVICE_NAME } from "../../../shared/observability/names.js";
import type { StackConfig } from "../../config/stack-config.js";
import type { CommandKafka } from "../cli/kafka-target.js";
import { RecordBatcher } from "../event-source/batcher.js";
import {
  buildEvent,
  commitOffsets,
  envelopeBytes,
  type PolledRecord,
  toPolledRecord,
} from "../event-source/event.js";
import { MAX_PAYLOAD_BYTES } from "../event-source/event-source.js";
import { GroupConsumer } from "../event-source/group-consumer.js";
import { powertoolsEventSourceLogger } from "../event-source/logger.js";
import { consumerContext, localConsumerHandler } from "../functions.js";
import { openRange, type RangeStart } from "../kafka/range-reader.js";
import { clock, count, plural } from "../terminal/format.js";
import type { LiveView } from "../terminal/live-view.js";

export interface ConsumeRequest {
  topic: string;
  /** A group to read (and commit) as; without it a fresh group that commits nothing. */
  group?: string | undefined;
  from: "earliest" | "latest";
  /** Stop after this many seconds without a record. */
  idleSeconds?: number | undefined;
  max?: number | undefined;
  verbose: boolean;
}

export interface ReplayRequest {
  topic: string;
  partitions?: number[] | undefined;
  start: RangeStart;
  max?: number | undefined;
}

export interface Totals {
  records: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  batches: number;
}

const POLL_MS = 200;
const POLL_RECORDS = 500;

/** The reading client's warnings and errors; what it joins and is assigned is not worth a line. */
const logger = () =>
  powertoolsEventSourceLogger(new Logger({ serviceName: "semaphore-consume", logLevel: "WARN" }));

export async function consumeTopic(
  kafka: CommandKafka,
  config: StackConfig,
  request: ConsumeRequest,
  view: LiveView,
  signal: AbortSignal,
): Promise<Totals> {
  const groupId = request.group ?? `semaphore-consume-${randomUUID().slice(0, 8)}`;
  view.say(
    `reading ${request.topic} on ${kafka.description} as group ${groupId}` +
      `${request.group ? " (committing)" : " (a fresh one, committing nothing)"}, from ${request.from}` +
      `${request.max ? `, at most ${plural(request.max, "record")}` : ""}` +
      `${request.idleSeconds ? `, until ${request.idleSeconds} s pass without one` : ", until Ctrl-C"}`,
  );
  const consumer = await GroupConsumer.connect(
    {
      connection: kafka.connection,
      groupId,
      clientId: "semaphore-consume",
      startingPosition: request.from === "latest" ? "LATEST" : "TRIM_HORIZON",
      connectTimeoutMs: 30_000,
      logger: logger(),
      onRevoked: () => undefined,
    },
    [request.topic],
  );
  const recordLog = jsonLineLog({ serviceName: CONSUMER_SERVICE_NAME });
  const totals = emptyTotals();
  try {
    let lastRecordAt = Date.now();
    while (!signal.aborted && (request.max === undefined || totals.records < request.max)) {
      const wanted = Math.min(POLL_RECORDS, (request.max ?? Number.POSITIVE_INFINITY) - totals.records);
      const polled = (await consumer.poll(wanted, POLL_MS)).map(toPolledRecord);
      if (polled.length === 0) {
        if (request.idleSeconds !== undefined && Date.now() - lastRecordAt >= request.idleSeconds * 1000)
          break;
        continue;
      }
      lastRecordAt = Date.now();
      if (request.verbose) for (const record of polled) showRecord(record, view);
      const { tally } = processBatch(buildEvent(kafka.connection.bootstrapServers, polled), {
        recordLog,
        metricDimensions: config.consumer.metricDimensions,
      });
      add(totals, tally.summary());
      view.flush();
      if (request.group) await consumer.commit(commitOffsets(polled));
    }
  } finally {
    await consumer.close();
  }
  view.say(describeTotals(totals));
  return totals;
}

/** Feeds the range through the consumer handler, batch by batch; stops at a batch that fails. */
export async function replayRange(
  kafka: CommandKafka,
  config: StackConfig,
  request: ReplayRequest,
  view: LiveView,
  signal: AbortSignal,
): Promise<{ totals: Totals; failed: boolean }> {
  const { bootstrapServers } = kafka.connection;
  const reader = await openRange({
    connection: kafka.connection,
    topic: request.topic,
    ...(request.partitions ? { partitions: request.partitions } : {}),
    start: request.start,
    ...(request.max ? { max: request.max } : {}),
    logger: logger(),
  });
  const totals = emptyTotals();
  try {
    if (reader.ranges.length === 0) {
      view.say(`nothing to replay: ${request.topic} has no record in that range`);
      return { totals, failed: false };
    }
    view.say(
      `replaying ${reader.ranges.map((r) => `${request.topic}-${r.partition} offsets ${r.from}..${r.to - 1}`).join(", ")} ` +
        `${request.max ? `(at most ${plural(request.max, "record")}) ` : ""}` +
        `through the consumer handler, in batches of up to ${config.consumer.batchSize} as the event source mapping builds them`,
    );
    const batcher = new RecordBatcher(reader, {
      batchSize: config.consumer.batchSize,
      windowMs: 0,
      maxPayloadBytes: MAX_PAYLOAD_BYTES,
      envelopeBytes: envelopeBytes(bootstrapServers),
      pollSliceMs: POLL_MS,
    });
    const handler = localConsumerHandler(config);
    for (;;) {
      const batch = await batcher.next(() => signal.aborted || reader.done());
      if (batch.length === 0) break;
      try {
        add(totals, await handler(buildEvent(bootstrapServers, batch), consumerContext(config)));
      } catch {
        view.flush();
        view.say(
          view.paint("red", "✗ the consumer handler failed on this batch (its error is above); stopped"),
        );
        return { totals, failed: true };
      }
      view.flush();
    }
  } finally {
    await reader.close();
  }
  view.say(describeTotals(totals));
  return { totals, failed: false };
}

/** `--verbose`: where the record is, its key, timestamp and headers, and its value. */
function showRecord(polled: PolledRecord, view: LiveView): void {
  const { record } = polled;
  const key = record.key === undefined ? null : Buffer.from(record.key, "base64").toString("utf8");
  const text = record.value === undefined ? null : Buffer.from(record.value, "base64").toString("utf8");
  const headers = Object.fromEntries(decodeHeaders(record.headers));
  let value: unknown = text;
  try {
    value = text === null ? null : JSON.parse(text);
  } catch {
    // not JSON: shown as text
  }
  if (view.format === "json") {
    const line = {
      level: "DEBUG",
      message: "kafka record",
      timestamp: new Date().toISOString(),
      service: "semaphore-consume",
      topic: polled.topic,
      partition: polled.partition,
      offset: polled.offset,
      recordTimestamp: new Date(record.timestamp).toISOString(),
      key,
      headers,
      value,
    };
    view.result(`${JSON.stringify(line)}\n`);
    return;
  }
  const where = `${polled.topic}-${polled.partition}@${polled.offset}`;
  const heads = Object.entries(headers)
    .map(([name, v]) => `${name}=${v}`)
    .join(" ");
  view.say(
    `${view.paint("cyan", where)} key=${key ?? "(none)"} at ${clock(new Date(record.timestamp))} ${heads}`,
  );
  const body = typeof value === "string" || value === null ? String(value) : JSON.stringify(value, null, 2);
  for (const line of body.split("\n")) view.print(`           ${line}`);
}

function emptyTotals(): Totals {
  return { records: 0, accepted: 0, duplicates: 0, rejected: 0, rejectedByReason: {}, batches: 0 };
}

function add(totals: Totals, summary: ConsumerBatchSummary): void {
  totals.records += summary.records;
  totals.accepted += summary.accepted;
  totals.duplicates += summary.duplicates;
  totals.rejected += summary.rejected;
  totals.batches += 1;
  for (const [reason, n] of Object.entries(summary.rejectedByReason)) {
    totals.rejectedByReason[reason] = (totals.rejectedByReason[reason] ?? 0) + (n ?? 0);
  }
}

function describeTotals(totals: Totals): string {
  const reasons = Object.entries(totals.rejectedByReason).map(([reason, n]) => `${reason} ${count(n)}`);
  return (
    `read ${plural(totals.records, "record")}: ${count(totals.accepted)} accepted, ` +
    `${count(totals.duplicates)} duplicate, ${count(totals.rejected)} rejected` +
    (reasons.length > 0 ? ` (${reasons.join(", ")})` : "")
  );
}
