import { createHash } from "node:crypto";

/** A record ready to produce: the design's key, envelope value and headers. */
export interface TelemetryRecord {
  topic: string;
  key: string;
  /** The envelope, serialised once so its byte size is known before producing. */
  value: string;
  headers: Record<string, string>;
}

export interface EnvelopeLike {
  schema: string;
  id: string;
}

/**
 * Deterministic id of (schema, org, subject, window start): a retried sweep produces the same ids,
 * so consumers can drop duplicates. 128 bits of SHA-256 is far beyond collision range for telemetry.
 */
export function recordId(
  schema: string,
  organizationId: string,
  subject: string,
  windowStart: string,
): string {
  return createHash("sha256")
    .update(`${schema}\n${organizationId}\n${subject}\n${windowStart}`)
    .digest("hex")
    .slice(0, 32);
}

export function toTelemetryRecord(topic: string, key: string, envelope: EnvelopeLike): TelemetryRecord {
  return {
    topic,
    key,
    value: JSON.stringify(envelope),
    headers: {
      "content-type": "application/json",
      schema: envelope.schema,
      "record-id": envelope.id,
    },
  };
}
