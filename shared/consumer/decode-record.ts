import { isUtf8 } from "node:buffer";
import { CONSUMED_KINDS, type ConsumedKind, kindOfSchema } from "../kinds/registry.js";
import { compiledSchema } from "../schemas/compiled.js";
import type { EnvelopeBase } from "../schemas/envelope.js";
import { describeIssues, violationOf } from "../schemas/violations.js";
import { headerBytes, headerIs, headerText, type KafkaEventRecord } from "./kafka-event.js";
import { type RecordRejection, rejection } from "./rejection.js";

/** A valid record: its envelope as its kind's schema parsed it, and the kind (swept or retired) that reads it. */
export type DecodedRecord =
  | { ok: true; envelope: EnvelopeBase; kind: ConsumedKind }
  | { ok: false; rejection: RecordRejection };

// Retired kinds too: their topics may still hold records, and those are read as before.
const KNOWN_SCHEMAS = CONSUMED_KINDS.map((kind) => kind.schema.id);

const KEYS_SHOWN = 8;

/**
 * Turns one record of the event into a validated envelope, or says precisely why it cannot be one.
 * Never throws for bad input: every failure a producer can cause is a rejection.
 */
export function decodeRecord(record: KafkaEventRecord): DecodedRecord {
  // Left as bytes: a valid record only has them compared with its envelope, and a string built
  // for each of them was a fifth of the decoding time.
  const schemaHeader = headerBytes(record.headers, "schema");
  const value = record.value;
  if (typeof value !== "string" || value.length === 0) {
    return rejected("empty-value", "the record has no value (a tombstone or an empty message)", {
      schema: textOrNull(schemaHeader),
    });
  }
  const bytes = decodeBase64(value);
  if (bytes === undefined) {
    return rejected("not-base64", "the event's value is not base64", {
      schema: textOrNull(schemaHeader),
      valueBytes: value.length,
      preview: value,
    });
  }
  if (!isUtf8(bytes)) {
    return rejected("not-utf8", "the value is not UTF-8 text (binary, Avro or Protobuf?)", {
      schema: textOrNull(schemaHeader),
      valueBytes: bytes.length,
      preview: bytes.toString("utf8"),
    });
  }
  const text = bytes.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return rejected("not-json", `the value is not JSON: ${(error as Error).message}`, {
      schema: textOrNull(schemaHeader),
      valueBytes: bytes.length,
      preview: text,
    });
  }
  if (!isObject(json) || typeof json.schema !== "string") {
    return rejected("foreign-producer", describeForeign(json), {
      schema: textOrNull(schemaHeader),
      valueBytes: bytes.length,
      preview: text,
    });
  }
  const schemaId = json.schema;
  const kind = kindOfSchema(schemaId);
  if (kind === undefined) {
    return rejected("unknown-schema", describeUnknownSchema(schemaId), {
      valueBytes: bytes.length,
      preview: text,
      schema: schemaId,
    });
  }
  const parsed = compiledSchema(kind.schema.envelope).safeParse(json);
  if (!parsed.success) {
    return rejected(violationOf(parsed.error.issues), describeIssues(parsed.error.issues), {
      valueBytes: bytes.length,
      preview: text,
      schema: schemaId,
      kind: kind.id,
    });
  }
  const envelope = parsed.data;
  const idHeader = headerBytes(record.headers, "record-id");
  if (
    (schemaHeader !== undefined && !headerIs(schemaHeader, envelope.schema)) ||
    (idHeader !== undefined && !headerIs(idHeader, envelope.id))
  ) {
    const headerId = idHeader === undefined ? undefined : headerText(idHeader);
    return rejected(
      "header-mismatch",
      `headers say schema "${textOrNull(schemaHeader)}" record-id "${headerId}" but the envelope is schema ` +
        `"${envelope.schema}" id "${envelope.id}"`,
      {
        valueBytes: bytes.length,
        preview: text,
        schema: schemaId,
        kind: kind.id,
      },
    );
  }
  return { ok: true, envelope, kind };
}

/** decodeBase64's buffer: grown to the largest value seen (an event is at most 6 MB). */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The bytes a record's value decodes to, in a buffer reused from record to record: valid only
 * until the next call. Decoding into a new Buffer per record (10 MB of them per 10,000-record
 * batch, memory outside the heap that the garbage collector is told about) took three times as
 * long as decoding into this one. Node's decoder skips characters outside the alphabet instead
 * of failing, so they show up as fewer bytes than the text's length promises; checking that costs
 * nothing beyond the decoding, where a regex pass over the text took a fifth of the decoding time
 * of a batch.
 */
function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const expected = (text.length / 4) * 3 - padding;
  if (scratch.length < expected) scratch = Buffer.allocUnsafe(Math.max(expected, scratch.length * 2));
  const written = scratch.write(text, 0, expected, "base64");
  return written === expected ? scratch.subarray(0, expected) : undefined;
}

/** The header's text, for a rejection; null without the header. */
function textOrNull(bytes: number[] | undefined): string | null {
  return bytes === undefined ? null : headerText(bytes);
}

function rejected(...args: Parameters<typeof rejection>): DecodedRecord {
  return { ok: false, rejection: rejection(...args) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Enough to tell which producer sent it: the shape, and for an object its first keys. */
function describeForeign(json: unknown): string {
  if (Array.isArray(json)) {
    return `a JSON array of ${json.length} item(s), not a Semaphore envelope (an object with "schema" and "id")`;
  }
  if (isObject(json)) {
    const keys = Object.keys(json);
    const shown = keys.slice(0, KEYS_SHOWN).join(", ") + (keys.length > KEYS_SHOWN ? ", ..." : "");
    const problem = "schema" in json ? 'its "schema" is not a string' : 'it has no "schema" field';
    return `a JSON object that is not a Semaphore envelope: ${problem} (keys: ${shown || "none"})`;
  }
  return `a JSON ${json === null ? "null" : typeof json}, not a Semaphore envelope (an object with "schema" and "id")`;
}

/**
 * The version this consumer knows of the same schema, when there is one (a producer newer or older
 * than the consumer): the likeliest cause, and it fits the detail where the whole list would not.
 */
function describeUnknownSchema(schemaId: string): string {
  const family = schemaId.replace(/\.v\d+$/, "");
  const sameFamily = KNOWN_SCHEMAS.filter((known) => known.replace(/\.v\d+$/, "") === family);
  const known =
    sameFamily.length > 0
      ? `it knows ${sameFamily.join(", ")}: is the producer of another version?`
      : `it knows ${KNOWN_SCHEMAS.length} schemas, none of this name (the README's "What runs" lists them)`;
  return `schema "${schemaId}" is not one this consumer knows; ${known}`;
}
