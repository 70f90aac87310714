/**
 * Reads what actually landed in a Kafka topic: consumes it from the beginning with a fresh consumer
 * group (so earlier reads and commits never hide records) until `expectedCount` records arrived.
 */
import { randomUUID } from "node:crypto";
import { KafkaJS } from "@confluentinc/kafka-javascript";
import { type KafkaConnection, kafkaClientConfig } from "../../infra/local/kafka/admin.js";

export interface ReadRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** UTF-8; "" for a null value (tombstone). */
  value: string;
  /** UTF-8 header values; a header sent several times has its values joined with ",". */
  headers: Record<string, string>;
}

/**
 * Resolves with the first `expectedCount` records read (sorted by partition, then offset), or throws
 * after `timeoutMs` (default 20 s) saying how many it got.
 */
export async function readRecords(
  conn: KafkaConnection,
  topic: string,
  expectedCount: number,
  { timeoutMs = 20_000 }: { timeoutMs?: number } = {},
): Promise<ReadRecord[]> {
  if (expectedCount <= 0) return [];
  const records: ReadRecord[] = [];
  const consumer = new KafkaJS.Kafka({}).consumer({
    ...kafkaClientConfig(conn),
    kafkaJS: {
      groupId: `read-records-${randomUUID()}`,
      fromBeginning: true,
      autoCommit: false,
      logLevel: KafkaJS.logLevel.NOTHING,
    },
  } as KafkaJS.ConsumerConstructorConfig);

  let timer: NodeJS.Timeout | undefined;
  let enough!: () => void;
  const gotEnough = new Promise<void>((resolve) => {
    enough = resolve;
  });
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const consuming = (async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      eachMessage: async ({ topic: t, partition, message }) => {
        if (records.length >= expectedCount) return;
        records.push({
          topic: t,
          partition,
          offset: message.offset,
          key: message.key === null ? null : message.key.toString("utf8"),
          value: message.value === null ? "" : message.value.toString("utf8"),
          headers: decodeHeaders(message.headers),
        });
        if (records.length >= expectedCount) enough();
      },
    });
    await gotEnough;
    return "done" as const;
  })();
  consuming.catch(() => {}); // Raced below; a late failure after a timeout is not unhandled.

  try {
    const outcome = await Promise.race([consuming, timedOut]);
    if (outcome === "timeout") {
      throw new Error(
        `readRecords: got ${records.length} of ${expectedCount} records from topic "${topic}" within ${timeoutMs} ms`,
      );
    }
    return [...records].sort((a, b) => a.partition - b.partition || compareOffsets(a.offset, b.offset));
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
  }
}

function decodeHeaders(headers: KafkaJS.IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    out[name] = values.map((v) => (typeof v === "string" ? v : v.toString("utf8"))).join(",");
  }
  return out;
}

function compareOffsets(a: string, b: string): number {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
