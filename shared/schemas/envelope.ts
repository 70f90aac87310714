import { z } from "zod";

/**
 * The record envelope of the design (value of every Kafka record, UTF-8 JSON). One definition per
 * telemetry kind is built from these parts; the producer validates with it and the consumer parses
 * with it, and the JSON Schema files are generated from the same definitions.
 */
export const isoInstant = z.iso.datetime({ offset: false });

export const sweepWindowSchema = z.object({
  start: isoInstant,
  end: isoInstant,
});

/** Lowercase hex, 32 characters: the first 128 bits of a SHA-256 (see record-id.ts). */
export const recordIdSchema = z.string().regex(/^[0-9a-f]{32}$/);

export function envelopeSchema<
  Id extends string,
  Source extends z.ZodObject<z.ZodRawShape>,
  Data extends z.ZodObject<z.ZodRawShape>,
>(schemaId: Id, source: Source, data: Data) {
  return z.object({
    schema: z.literal(schemaId),
    id: recordIdSchema,
    sweepId: z.string().min(1),
    observedAt: isoInstant,
    window: sweepWindowSchema,
    source,
    data,
  });
}

/** Fields the Dashboard API may omit are carried as null so every record has the same shape. */
export const optionalText = z.string().nullable();
export const optionalNumber = z.number().nullable();
