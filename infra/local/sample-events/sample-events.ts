/**
 * The sample events of test/events/ that come from code rather than by hand: the consumer's
 * SelfManagedKafka events, one per kind with records of that kind's real sweep (what the kind's
 * event source mapping delivers), one with a malformed record of every kind of rejection, and the
 * payload a shard's schedule sends. `npx tsx scripts/generate-sample-events.ts` writes them;
 * test/unit/sample-events.test.ts fails when they drift from what the code makes.
 */
import type { Message } from "@confluentinc/kafka-javascript";
import type { SelfManagedKafkaEvent } from "aws-lambda";
import type { TelemetryRecord } from "../../../shared/kafka/record.js";
import type { KindId } from "../../../shared/kinds/registry.js";
import { scheduleInput } from "../../config/schedule.js";
import type { StackConfig } from "../../config/stack-config.js";
import { buildEvent, toPolledRecord } from "../event-source/event.js";
import { SAMPLE_NOW, SAMPLE_SCHEDULED_TIME, sweptRecords } from "./swept-records.js";

/** Records per kind in its sample: enough to see a table, few enough to read the file. */
export const SAMPLE_RECORDS_PER_KIND = 3;

/** File (relative to test/events/) -> content. */
export async function renderSampleEvents(config: StackConfig): Promise<Map<string, string>> {
  const records = await sweptRecords(config);
  const files = new Map<string, string>();
  for (const [kind, swept] of records) {
    files.set(`consumer/${kind}.json`, json(kafkaEvent(config, swept.slice(0, SAMPLE_RECORDS_PER_KIND))));
  }
  files.set("consumer/malformed.json", json(malformedEvent(config, records)));
  files.set("scheduler-shard.json", json(scheduleInput(SAMPLE_SCHEDULED_TIME, { index: 0, count: 2 })));
  return files;
}

/** The records as the event source mapping delivers them: consecutive offsets of partition 0. */
function kafkaEvent(
  config: StackConfig,
  records: ReadonlyArray<Omit<TelemetryRecord, "value"> & { value: string | Buffer | null }>,
) {
  const messages = records.map(
    (record, offset): Message => ({
      topic: record.topic,
      partition: 0,
      offset,
      key: Buffer.from(record.key, "utf8"),
      value: record.value === null ? null : Buffer.from(record.value),
      size: record.value === null ? 0 : Buffer.byteLength(record.value),
      timestamp: SAMPLE_NOW.getTime(),
      headers: Object.entries(record.headers).map(([name, value]) => ({
        [name]: Buffer.from(value, "utf8"),
      })),
    }),
  );
  return buildEvent(config.kafka.bootstrapServers, messages.map(toPolledRecord));
}

/**
 * A batch of uplink-loss-latency's topic: one valid record, then one record for each way a
 * producer can get a record wrong (shared/consumer/rejection.ts), each made from a real record.
 */
function malformedEvent(
  config: StackConfig,
  records: ReadonlyMap<KindId, TelemetryRecord[]>,
): SelfManagedKafkaEvent {
  const [valid, other] = records.get("uplink-loss-latency")!;
  const envelope = JSON.parse(other!.value) as Record<string, unknown>;
  const { window: _dropped, ...withoutWindow } = envelope;
  const variant = (value: string | Buffer | null, headers: Record<string, string> = other!.headers) => ({
    ...other!,
    value,
    headers,
  });
  const event = kafkaEvent(config, [
    valid!,
    variant(null), // empty-value: a tombstone
    variant("placeholder"), // not-base64: replaced below, the event source never makes one
    variant(Buffer.from([0xc3, 0x28, 0xff, 0xfe])), // not-utf8
    variant('{"schema": "semaphore.uplink-loss-latency.v1", "id": '), // not-json: cut short
    variant(JSON.stringify(envelope.data)), // foreign-producer: a raw row, no envelope
    variant(JSON.stringify({ ...envelope, schema: "semaphore.uplink-loss-latency.v2" })), // unknown-schema
    variant(JSON.stringify(withoutWindow)), // invalid-envelope
    variant(other!.value, { ...other!.headers, "record-id": "00000000000000000000000000000000" }), // header-mismatch
  ]);
  const [partition] = Object.values(event.records);
  partition![2]!.value = "this is not base64!";
  return event;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
