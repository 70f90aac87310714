import type { SelfManagedKafkaEvent } from "aws-lambda";
import type { TelemetryRecord } from "../../../shared/kafka/record.js";

/** One record as a producer wrote it, before AWS encodes it into the event. */
export interface ProducedRecord {
  topic: string;
  partition?: number;
  /** Defaults to the next offset of its topic-partition in this event. */
  offset?: number;
  /** Milliseconds since the epoch. */
  timestamp?: number;
  timestampType?: "CREATE_TIME" | "LOG_APPEND_TIME";
  /** Text; absent (not even an empty string) when null or undefined, as AWS does for keyless records. */
  key?: string | null;
  /** Text is written as UTF-8; bytes as they are; null leaves `value` out (a tombstone). */
  value: string | Uint8Array | null;
  headers?: Record<string, string>;
}

export const BOOTSTRAP_SERVERS = "pkc-p11xm.us-east-1.aws.confluent.cloud:9092";
export const PRODUCED_AT = Date.parse("2026-11-22T10:05:01.250Z");

/**
 * Builds a SelfManagedKafka event the way the event source mapping does: records grouped under
 * "<topic>-<partition>" keys in order of first appearance, key and value base64, and each header
 * as a single-entry object holding its value's bytes as an array of numbers.
 */
export function kafkaEvent(records: ProducedRecord[]): SelfManagedKafkaEvent {
  const groups: Record<string, Array<Record<string, unknown>>> = {};
  const nextOffset = new Map<string, number>();
  for (const record of records) {
    const partition = record.partition ?? 0;
    const groupKey = `${record.topic}-${partition}`;
    const offset = record.offset ?? nextOffset.get(groupKey) ?? 0;
    nextOffset.set(groupKey, offset + 1);
    const encoded: Record<string, unknown> = {
      topic: record.topic,
      partition,
      offset,
      timestamp: record.timestamp ?? PRODUCED_AT,
      timestampType: record.timestampType ?? "CREATE_TIME",
    };
    if (record.key !== null && record.key !== undefined) encoded.key = base64(record.key);
    if (record.value !== null) encoded.value = base64(record.value);
    encoded.headers = Object.entries(record.headers ?? {}).map(([name, value]) => ({
      [name]: javaBytes(value),
    }));
    groups[groupKey] ??= [];
    groups[groupKey].push(encoded);
  }
  // @types/aws-lambda declares key and value as always present; AWS omits them when null.
  return {
    eventSource: "SelfManagedKafka",
    bootstrapServers: BOOTSTRAP_SERVERS,
    records: groups,
  } as unknown as SelfManagedKafkaEvent;
}

/** What the producer sends for each TelemetryRecord (shared/kafka/record.ts), spread over partitions by key. */
export function produced(records: TelemetryRecord[], partitions = 1): ProducedRecord[] {
  return records.map((record) => ({
    topic: record.topic,
    partition: partitionOf(record.key, partitions),
    key: record.key,
    value: record.value,
    headers: record.headers,
  }));
}

/** The poller is Java: a header value is a byte[] serialised as signed numbers, "ë" as [-61, -85]. */
export function javaBytes(text: string): number[] {
  return [...new Int8Array(Buffer.from(text, "utf8"))];
}

function base64(value: string | Uint8Array): string {
  return (typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value)).toString("base64");
}

/** Stable, not Kafka's murmur2: the tests only need records of one key to stay in one partition. */
function partitionOf(key: string, partitions: number): number {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % partitions;
}
