import type { SelfManagedKafkaEvent, SelfManagedKafkaRecord } from "aws-lambda";
import { InvalidKafkaEventError, type RecordLocation } from "./errors.js";

/**
 * One record of a SelfManagedKafka event as AWS delivers it. @types/aws-lambda declares `key` and
 * `value` as always present, but AWS leaves `key` out for records produced without one, and a
 * tombstone has no value; this type says so, so the decoder has to handle both.
 */
export type KafkaEventRecord = Omit<SelfManagedKafkaRecord, "key" | "value" | "headers"> & {
  /** Base64; absent when the record has no key. */
  key?: string | null;
  /** Base64; absent or null for a tombstone. */
  value?: string | null;
  /** One single-entry object per header, the value as its bytes: `[{ "schema": [115, 101, ...] }]`. */
  headers?: SelfManagedKafkaRecord["headers"] | null;
};

/** Accepts the event exactly as AWS sends it (the MSK event has the same `records` shape). */
export type KafkaEventInput = SelfManagedKafkaEvent | { records: Record<string, KafkaEventRecord[]> };

/**
 * Gives each record of an event with its location, in delivery order: topic-partition groups in
 * the order AWS listed them, offsets ascending within each. A group key of "topic-partition" fills
 * in whatever a hand-made record leaves out, so it can still be named. A visitor rather than a
 * generator: a batch is 10,000 records, and resuming a generator for each cost more than the
 * record's header checks.
 */
export function forEachEventRecord(
  event: KafkaEventInput,
  visit: (record: KafkaEventRecord, location: RecordLocation) => void,
): void {
  const groups: unknown = (event as { records?: unknown } | null | undefined)?.records;
  if (typeof groups !== "object" || groups === null || Array.isArray(groups)) {
    throw new InvalidKafkaEventError(
      "the event is not a Kafka event: it has no `records` object keyed by topic-partition " +
        '(expected {"eventSource": "SelfManagedKafka", "records": {"<topic>-<partition>": [...]}})',
    );
  }
  // Every group is checked before the first record is given: a malformed event is refused whole,
  // before a caller that writes as it reads (processBatch) has written any of it.
  const entries = Object.entries(groups);
  for (const [groupKey, records] of entries) {
    if (!Array.isArray(records)) {
      throw new InvalidKafkaEventError(`the event's records["${groupKey}"] is not an array of records`);
    }
  }
  for (const [groupKey, records] of entries as Array<[string, unknown[]]>) {
    const fallback = parseGroupKey(groupKey);
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      const r = (typeof record === "object" && record !== null ? record : {}) as Partial<KafkaEventRecord>;
      visit(r as KafkaEventRecord, {
        topic: typeof r.topic === "string" ? r.topic : fallback.topic,
        partition: Number.isInteger(r.partition) ? r.partition! : fallback.partition,
        offset: Number.isInteger(r.offset) ? r.offset! : -1,
      });
    }
  }
}

/** "meraki.devices.statuses-0" -> topic "meraki.devices.statuses", partition 0 (topics may contain "-"). */
export function parseGroupKey(groupKey: string): { topic: string; partition: number } {
  const dash = groupKey.lastIndexOf("-");
  const partition = Number(groupKey.slice(dash + 1));
  if (dash <= 0 || !Number.isInteger(partition)) return { topic: groupKey, partition: -1 };
  return { topic: groupKey.slice(0, dash), partition };
}

/** Header values are UTF-8 strings in our producer; a repeated header keeps its first value. */
export function decodeHeaders(headers: KafkaEventRecord["headers"]): ReadonlyMap<string, string> {
  const decoded = new Map<string, string>();
  if (!Array.isArray(headers)) return decoded;
  for (const header of headers) {
    if (typeof header !== "object" || header === null) continue;
    for (const name in header) {
      const bytes = header[name];
      if (decoded.has(name) || !Array.isArray(bytes)) continue;
      decoded.set(name, textOf(bytes));
    }
  }
  return decoded;
}

/**
 * The bytes of the first header of this name whose value is bytes, as decodeHeaders picks it, left
 * undecoded: the consumer only compares its two headers with the envelope (headerIs), and
 * decoding every header of every record into a Map cost as much as base64-decoding the values.
 */
export function headerBytes(headers: KafkaEventRecord["headers"], name: string): number[] | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (const header of headers) {
    if (typeof header !== "object" || header === null) continue;
    const bytes: unknown = (header as Record<string, unknown>)[name];
    if (Array.isArray(bytes)) return bytes as number[];
  }
  return undefined;
}

/** A header's bytes as text, as decodeHeaders gives it. */
export function headerText(bytes: number[]): string {
  return textOf(bytes);
}

/** Whether headerText(bytes) === text, without building the text in the usual (ASCII) case. */
export function headerIs(bytes: number[], text: string): boolean {
  if (bytes.length !== text.length) return textOf(bytes) === text;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (!(byte >= 0 && byte < 0x80)) return textOf(bytes) === text;
    // The character textOf makes of it (String.fromCharCode truncates, as does `& 0x7f` here).
    if ((byte & 0x7f) !== text.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * AWS's poller is Java, so a header's bytes may arrive signed (-128..127); Buffer.from() takes both
 * forms. Header values are short ASCII in practice (ids, media types): building the string directly
 * avoids a Buffer per header, which made header decoding a third of a 10,000-record batch's time.
 */
function textOf(bytes: number[]): string {
  let text = "";
  for (const byte of bytes) {
    if (!(byte >= 0 && byte < 0x80)) return Buffer.from(bytes).toString("utf8");
    text += String.fromCharCode(byte);
  }
  return text;
}
