/**
 * What the event source suites share: topics and records on the real broker, a handler that keeps
 * what it was invoked with, and a logger that keeps what the event source reported.
 */
import { randomUUID } from "node:crypto";
import { KafkaJS } from "@confluentinc/kafka-javascript";
import type { Context, SelfManagedKafkaEvent } from "aws-lambda";
import { inject } from "vitest";
import type { EventSourceLogger } from "../../infra/local/event-source/index.js";
import {
  createTopics,
  type KafkaConnection,
  kafkaClientConfig,
  withAdmin,
} from "../../infra/local/kafka/admin.js";

export const kafka = (): KafkaConnection => inject("kafka");

export async function newTopic(partitions = 1): Promise<string> {
  const name = `event-source-${randomUUID()}`;
  await createTopics(kafka(), [{ name, partitions }]);
  return name;
}

export const newGroupId = (): string => `event-source-test-${randomUUID()}`;

export interface TestRecord {
  partition: number;
  key?: string | null;
  value: string | Buffer | null;
  headers?: KafkaJS.IHeaders;
  /** Milliseconds since the epoch; the producer sets the time of sending when omitted. */
  timestamp?: number;
}

/** Produces to `topic`, in order, each record to the partition it names; resolves once all are acknowledged. */
export async function produce(topic: string, records: TestRecord[]): Promise<void> {
  const producer = new KafkaJS.Kafka({}).producer({
    ...kafkaClientConfig(kafka()),
    kafkaJS: { logLevel: KafkaJS.logLevel.NOTHING },
  } as KafkaJS.ProducerConstructorConfig);
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: records.map((r) => ({
        partition: r.partition,
        key: r.key ?? null,
        value: r.value,
        ...(r.headers ? { headers: r.headers } : {}),
        ...(r.timestamp === undefined ? {} : { timestamp: String(r.timestamp) }),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** `count` plain records "<prefix>-0".. on one partition. */
export function values(count: number, partition = 0, prefix = "record"): TestRecord[] {
  return Array.from({ length: count }, (_, i) => ({ partition, value: `${prefix}-${i}` }));
}

/** The committed offset per partition of `topic` for the group ("-1" where nothing is committed). */
export async function committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const [result] = await withAdmin(kafka(), (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  const offsets: Record<number, string> = {};
  for (const p of result?.partitions ?? []) offsets[p.partition] = p.offset;
  return offsets;
}

/**
 * The Lambda handler collaborator: keeps a copy of every event and context it was invoked with, then
 * does what `behaviour` says (throw to fail the invocation).
 */
export function recordingHandler(
  behaviour: (event: SelfManagedKafkaEvent, invocation: number) => unknown = () => undefined,
) {
  const events: SelfManagedKafkaEvent[] = [];
  const contexts: Context[] = [];
  const handler = async (event: SelfManagedKafkaEvent, context: Context): Promise<unknown> => {
    events.push(structuredClone(event));
    contexts.push(context);
    return behaviour(event, events.length);
  };
  return { handler, events, contexts };
}

/** Values (decoded) of every record of every event, in delivery order. */
export function deliveredValues(events: SelfManagedKafkaEvent[]): string[] {
  return events.flatMap((event) =>
    recordsOf(event).map((r) => Buffer.from(r.value, "base64").toString("utf8")),
  );
}

/** "topic[partition]@offset" of every record of an event, in event order. */
export function positions(event: SelfManagedKafkaEvent): string[] {
  return recordsOf(event).map((r) => `${r.topic}[${r.partition}]@${r.offset}`);
}

export function recordsOf(event: SelfManagedKafkaEvent) {
  return Object.values(event.records).flat();
}

export interface LoggedLine {
  level: "info" | "warn" | "error";
  message: string;
  attributes: Record<string, unknown>;
}

export function capturingLogger(): EventSourceLogger & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const keep =
    (level: LoggedLine["level"]) =>
    (message: string, attributes: Record<string, unknown> = {}) => {
      lines.push({ level, message, attributes });
    };
  return { lines, info: keep("info"), warn: keep("warn"), error: keep("error") };
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const bytes = (text: string): number[] => Array.from(new Int8Array(Buffer.from(text, "utf8")));
export const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
