import type { ConsumedKindId } from "../kinds/registry.js";
import type { SchemaViolation } from "../schemas/violations.js";

/**
 * Why a record was not turned into telemetry. Each is logged once with the record's location and
 * counted; none of them stops the batch, because retrying would only fail the same way.
 */
export type RejectionReason =
  /** No value at all: a tombstone or an empty message. */
  | "empty-value"
  /** The event's value is not base64 (only a broken event source or a hand-made event does this). */
  | "not-base64"
  | "not-utf8"
  | "not-json"
  /** JSON, but not a Semaphore envelope: no string `schema` field (a raw Meraki row, an array, ...). */
  | "foreign-producer"
  /** An envelope whose `schema` this consumer has no definition for (a newer version, a typo). */
  | "unknown-schema"
  /**
   * A known schema, but the value does not satisfy its definition: `invalid-envelope` (its shape),
   * `value-out-of-range`, `empty-field` or `inverted-window` (shared/schemas/violations.ts).
   */
  | SchemaViolation
  /** The `schema` or `record-id` header contradicts the envelope: a producer bug worth seeing. */
  | "header-mismatch";

export interface RecordRejection {
  reason: RejectionReason;
  /** Short and human: what exactly was wrong. */
  detail: string;
  /** Known when the envelope named a schema this consumer knows; used for per-kind counts. */
  kind: ConsumedKindId | null;
  /** The schema the record claims, from its envelope or its `schema` header. */
  schema: string | null;
  valueBytes: number;
  /** The start of the value, never all of it: values can be large and are not ours to copy. */
  preview: string | null;
}

export const PREVIEW_CHARS = 200;
const DETAIL_CHARS = 300;

export function truncate(text: string, maxChars: number = PREVIEW_CHARS): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

export function rejection(
  reason: RejectionReason,
  detail: string,
  fields: Partial<Omit<RecordRejection, "reason" | "detail">> = {},
): RecordRejection {
  return {
    reason,
    detail: truncate(detail, DETAIL_CHARS),
    kind: fields.kind ?? null,
    schema: fields.schema ?? null,
    valueBytes: fields.valueBytes ?? 0,
    preview: fields.preview === undefined || fields.preview === null ? null : truncate(fields.preview),
  };
}
