import { z } from "zod";

/**
 * The record envelope of the design (value of every Kafka record, UTF-8 JSON). Each telemetry kind
 * builds its versioned definition from these parts (shared/kinds/); the consumer parses with it,
 * the tests check the sweeps' records against it, and the JSON Schema files in json/ are generated
 * from the same definitions (scripts/generate-json-schemas.ts).
 */
export const isoInstant = z.iso.datetime({ offset: false });

export const sweepWindowSchema = z.object({
  start: isoInstant,
  end: isoInstant,
});

/** Lowercase hex, 32 characters: the first 128 bits of a SHA-256 (recordId in shared/kafka/record.ts). */
export const recordIdSchema = z.string().regex(/^[0-9a-f]{32}$/);

/** Fields the Dashboard API may omit are carried as null so every record has the same shape. */
export const optionalText = z.string().nullable();
export const optionalNumber = z.number().nullable();

/**
 * Identity and names every record carries, whatever its kind, so a consumer needs no second lookup
 * and every consumer line has the same leading columns. A kind narrows them (a device record's
 * serial is never null) and adds its own.
 */
export const sourceBase = {
  organizationId: z.string().min(1),
  organizationName: optionalText,
  networkId: optionalText,
  networkName: optionalText,
  serial: optionalText,
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
    sweepId: z.string().min(1),
    observedAt: isoInstant,
    window: sweepWindowSchema,
    source,
    data,
  });
}
