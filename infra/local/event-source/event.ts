/**
 * The SelfManagedKafka event Lambda builds from polled records
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html), reproduced field by field so the
 * handler sees locally what it sees in AWS.
 */
import type { Message, MessageHeader } from "@confluentinc/kafka-javascript";
import type { SelfManagedKafkaEvent, SelfManagedKafkaRecord } from "aws-lambda";
import type { CommitOffset, PartitionRange } from "./errors.js";

/**
 * One record as AWS serialises it. AWS leaves out `key` for a record without one and `value` for a
 * tombstone (null value) rather than sending null, which @types/aws-lambda does not model (both are
 * declared as required strings); handlers must not assume they are present.
 */
export type KafkaEventRecord = Omit<SelfManagedKafkaRecord, "key" | "value"> & {
  key?: string;
  value?: string;
};

/** A consumed record, converted once, with its share of the invocation payload. */
export interface PolledRecord {
  topic: string;
  partition: number;
  offset: number;
  record: KafkaEventRecord;
  /** Bytes this record adds to the event's JSON. */
  payloadBytes: number;
}

export function toPolledRecord(message: Message): PolledRecord {
  const record: KafkaEventRecord = {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp ?? -1,
    // The client library does not expose a record's timestamp type. Kafka topics (locally and on
    // Confluent Cloud) default to message.timestamp.type=CreateTime, the producer-set timestamp.
    timestampType: "CREATE_TIME",
    ...(message.key === null || message.key === undefined
      ? {}
      : { key: toBuffer(message.key).toString("base64") }),
    ...(message.value === null ? {} : { value: message.value.toString("base64") }),
    headers: (message.headers ?? []).map(toSignedBytes),
  };
  // +1 for the comma that separates it from its neighbour in the records array.
  const payloadBytes = Buffer.byteLength(JSON.stringify(record)) + 1;
  return { topic: message.topic, partition: message.partition, offset: message.offset, record, payloadBytes };
}

/**
 * AWS's poller is Java: header values are Java byte[] serialised as numbers, i.e. signed (-128..127),
 * so "ë" (0xC3 0xAB) arrives as [-61, -85]. Buffer.from(values) turns them back into the bytes.
 */
function toSignedBytes(header: MessageHeader): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, value] of Object.entries(header)) {
    const bytes = toBuffer(value);
    out[name] = Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return out;
}

function toBuffer(value: string | Buffer): Buffer {
  return typeof value === "string" ? Buffer.from(value, "utf8") : value;
}

/** Bytes of the event's JSON around its records. */
export function envelopeBytes(bootstrapServers: string): number {
  return Buffer.byteLength(JSON.stringify(buildEvent(bootstrapServers, [])));
}

/** Bytes a partition's group adds besides its records: `"<topic>-<partition>":[]` and a comma. */
export function groupKeyBytes(topic: string, partition: number): number {
  return Buffer.byteLength(JSON.stringify(`${topic}-${partition}`)) + 4;
}

/**
 * Records grouped under "<topic>-<partition>" keys (in topic, then partition order), each group in
 * offset order.
 */
export function buildEvent(
  bootstrapServers: string,
  records: readonly PolledRecord[],
): SelfManagedKafkaEvent {
  const groups = new Map<string, PolledRecord[]>();
  for (const polled of [...records].sort(byPosition)) {
    const key = `${polled.topic}-${polled.partition}`;
    const group = groups.get(key);
    if (group) group.push(polled);
    else groups.set(key, [polled]);
  }
  const grouped: Record<string, KafkaEventRecord[]> = {};
  // Copies: a handler that edits its event in place must not change what a retry delivers.
  for (const [key, group] of groups) grouped[key] = group.map((p) => structuredClone(p.record));
  return {
    eventSource: "SelfManagedKafka",
    bootstrapServers,
    // KafkaEventRecord differs from SelfManagedKafkaRecord only where AWS omits key or value.
    records: grouped as Record<string, SelfManagedKafkaRecord[]>,
  };
}

/** What the batch covers per partition, for logs and errors. */
export function partitionRanges(records: readonly PolledRecord[]): PartitionRange[] {
  return perPartition(records).map(({ topic, partition, offsets }) => ({
    topic,
    partition,
    firstOffset: Math.min(...offsets),
    lastOffset: Math.max(...offsets),
  }));
}

/** The offsets that mark the batch consumed: one past the highest offset of each partition. */
export function commitOffsets(records: readonly PolledRecord[]): CommitOffset[] {
  return perPartition(records).map(({ topic, partition, offsets }) => ({
    topic,
    partition,
    offset: Math.max(...offsets) + 1,
  }));
}

function perPartition(
  records: readonly PolledRecord[],
): Array<{ topic: string; partition: number; offsets: number[] }> {
  const byKey = new Map<string, { topic: string; partition: number; offsets: number[] }>();
  for (const r of [...records].sort(byPosition)) {
    const key = `${r.topic}\u0000${r.partition}`;
    const entry = byKey.get(key);
    if (entry) entry.offsets.push(r.offset);
    else byKey.set(key, { topic: r.topic, partition: r.partition, offsets: [r.offset] });
  }
  return [...byKey.values()];
}

function byPosition(a: PolledRecord, b: PolledRecord): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition || a.offset - b.offset;
}
