import * as z from "zod";

/**
 * The record envelope of the design (value of every Kafka record, UTF-8 JSON). Each telemetry kind
 * builds its versioned definition from these parts (shared/kinds/); the sweeps check every record
 * against it before producing (shared/schemas/check-records.ts), the consumer parses with it, and
 * the JSON Schema files in json/ are generated from the same definitions
 * (scripts/generate-json-schemas.ts).
 *
 * Every number is finite (zod refuses Infinity and NaN) and has a range: a percentage 0-100, a
 * count a non-negative integer, a latency or an amount non-negative, a signed measurement within
 * ±2^53. So no value can overflow the consumer's sums of a batch (at most 10,000 records of at most
 * a day of one-minute samples) to Infinity, which EMF would carry as null. An id is never empty,
 * and a window or interval starts before it ends.
 */
export const isoInstant = z.iso.datetime({ offset: false });

/**
 * Why a value breaks its schema, beyond its shape: what the consumer's rejection reasons and the
 * sweeps' drop reasons call it (shared/schemas/violations.ts reads it from a custom issue's params).
 */
export type RangeViolation = "value-out-of-range" | "empty-field" | "inverted-window";

/** The params of a custom issue that says which violation it is. */
export interface ViolationParams {
  violation: RangeViolation;
}

/** The largest magnitude of a signed measurement: beyond it numbers are no longer exact integers. */
export const MAX_MEASUREMENT = Number.MAX_SAFE_INTEGER;

/** A percentage, 0 to 100. */
export const percent = z.number().min(0).max(100);
/** How many of something: a non-negative integer (zod's int is also a safe integer). */
export const count = z.number().int().min(0);
/** A latency, a duration, an amount of data or a concentration: finite and never negative. */
export const nonNegative = z.number().min(0).max(MAX_MEASUREMENT);
/** A signed measurement (dBm, degrees): finite, within ±2^53. */
export const measurement = z.number().min(-MAX_MEASUREMENT).max(MAX_MEASUREMENT);
/** An id or a name a record is keyed by: never the empty string. */
export const id = z.string().min(1);

/** Fields the Dashboard API may omit are carried as null so every record has the same shape. */
export const optionalText = z.string().nullable();
export const optionalId = id.nullable();
export const optionalPercent = percent.nullable();
export const optionalCount = count.nullable();
export const optionalNonNegative = nonNegative.nullable();
export const optionalMeasurement = measurement.nullable();

/**
 * Whether instant `a` is before instant `b`. Two instants of the same length have the same format,
 * so their text sorts as they do: one comparison instead of two Date.parse calls, which were a
 * seventh of the consumer's validation. "10:00:00.5Z" sorts before "10:00:00Z" as text, so
 * differing lengths compare as instants.
 */
export function isEarlierInstant(a: string, b: string): boolean {
  return a.length === b.length ? a < b : Date.parse(a) < Date.parse(b);
}

/**
 * The check of an object whose `start` field must be an instant before its `end` field (a window,
 * an interval of a series): `.refine(...startsBeforeEnd("start", "end"))`. JSON Schema cannot say
 * it, so the generated files carry it as a description.
 */
export function startsBeforeEnd<const Start extends string, const End extends string>(
  start: Start,
  end: End,
) {
  const params: ViolationParams = { violation: "inverted-window" };
  // A start or end that is no instant is reported by its own format check, not as an order.
  const check = (span: Record<Start | End, string>) =>
    isEarlierInstant(span[start], span[end]) ||
    Number.isNaN(Date.parse(span[start])) ||
    Number.isNaN(Date.parse(span[end]));
  const options: { message: string; path: PropertyKey[]; params: ViolationParams } = {
    message: `${start} must be before ${end}`,
    path: [end],
    params,
  };
  return [check, options] as const;
}

/**
 * The first candidate that is a non-empty id, or null. The API sends "" for an id it does not have
 * (a device in no network); an id field of a record is null then, never "".
 */
export function firstId(...candidates: ReadonlyArray<string | null | undefined>): string | null {
  for (const candidate of candidates) if (candidate) return candidate;
  return null;
}

export const sweepWindowSchema = z
  .object({ start: isoInstant, end: isoInstant })
  .refine(...startsBeforeEnd("start", "end"))
  .meta({ description: "The sweep's window; start is before end." });

/** Lowercase hex, 32 characters: the first 128 bits of a SHA-256 (recordId in shared/kafka/record.ts). */
export const recordIdSchema = z.string().regex(/^[0-9a-f]{32}$/);

/**
 * Identity and names every record carries, whatever its kind, so a consumer needs no second lookup
 * and every consumer line has the same leading columns. A kind narrows them (a device record's
 * serial is never null) and adds its own. Ids are null or non-empty; names may be anything the API
 * says, the empty string included.
 */
export const sourceBase = {
  organizationId: id,
  organizationName: optionalText,
  networkId: optionalId,
  networkName: optionalText,
  serial: optionalId,
  deviceName: optionalText,
};

/** What every envelope has, whatever its kind: what the generic parts of the consumer read. */
export interface EnvelopeBase {
  schema: string;
  id: string;
  sweepId: string;
  observedAt: string;
  window: { start: string; end: string };
  source: {
    organizationId: string;
    organizationName: string | null;
    networkId: string | null;
    networkName: string | null;
    serial: string | null;
    deviceName: string | null;
  };
  data: unknown;
}

export function envelopeSchema<
  const Id extends string,
  Source extends z.ZodObject<z.ZodRawShape>,
  Data extends z.ZodObject<z.ZodRawShape>,
>(schemaId: Id, source: Source, data: Data) {
  return z.object({
    schema: z.literal(schemaId),
    id: recordIdSchema,
    sweepId: id,
    observedAt: isoInstant,
    window: sweepWindowSchema,
    source,
    data,
  });
}
