/**
 * Known records to put in a topic before reading it with the tools: the records of the consumer's
 * sample events (test/events/consumer/, each kind's real sweep at the sample slot), produced with
 * the sweeps' own producer.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { KafkaConnection } from "../../../infra/local/kafka/admin.js";
import { KafkaTelemetryProducer } from "../../../shared/kafka/producer.js";
import type { TelemetryRecord } from "../../../shared/kafka/record.js";
import type { KindId } from "../../../shared/kinds/registry.js";
import { ROOT } from "./cli.js";

interface SampleRecord {
  offset: number;
  key: string;
  /** Base64; absent for the malformed sample's tombstone. */
  value?: string;
  headers: Array<Record<string, number[]>>;
}

/** The records of a sample event file (relative to test/events/consumer/), in its order. */
function sampleEventRecords(file: string): SampleRecord[] {
  const event = JSON.parse(readFileSync(join(ROOT, "test/events/consumer", file), "utf8")) as {
    records: Record<string, SampleRecord[]>;
  };
  return Object.values(event.records).flat();
}

function toRecord(topic: string, sample: SampleRecord & { value: string }): TelemetryRecord {
  return {
    topic,
    key: Buffer.from(sample.key, "base64").toString("utf8"),
    value: Buffer.from(sample.value, "base64").toString("utf8"),
    headers: Object.fromEntries(
      sample.headers.flatMap((header) =>
        Object.entries(header).map(([name, bytes]) => [name, Buffer.from(bytes).toString("utf8")]),
      ),
    ),
  };
}

/** A kind's sample records (valid ones, as its sweep made them), addressed to `topic`. */
export function sampleRecords(kind: KindId, topic: string): TelemetryRecord[] {
  return sampleEventRecords(`${kind}.json`).map((sample) =>
    toRecord(topic, { ...sample, value: sample.value! }),
  );
}

/**
 * A record of the malformed sample whose value is cut short (consumer reason `not-json`), and the
 * first bytes of its value.
 */
export function notJsonRecord(topic: string): TelemetryRecord {
  const record = sampleEventRecords("malformed.json")
    .filter((sample): sample is SampleRecord & { value: string } => typeof sample.value === "string")
    .map((sample) => toRecord(topic, sample))
    .find((candidate) => candidate.value.startsWith("{") && !isJson(candidate.value));
  if (!record) throw new Error("test/events/consumer/malformed.json has no record cut short");
  return record;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The record ids (envelope `id`) of the records, in their order. */
export function recordIds(records: readonly TelemetryRecord[]): string[] {
  return records.map((record) => (JSON.parse(record.value) as { id: string }).id);
}

/** Produces the records with the sweeps' producer, acknowledged by the broker, in order. */
export async function produceRecords(conn: KafkaConnection, records: TelemetryRecord[]): Promise<void> {
  const producer = await KafkaTelemetryProducer.connect(
    {
      bootstrapServers: conn.bootstrapServers,
      clientId: "e2e-records",
      ...(conn.caLocation ? { caLocation: conn.caLocation } : {}),
    },
    { username: conn.username, password: conn.password },
  );
  try {
    await producer.produce(records);
  } finally {
    await producer.disconnect();
  }
}
