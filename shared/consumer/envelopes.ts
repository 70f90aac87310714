import type { z } from "zod";
import {
  DEVICE_STATUS_SCHEMA,
  NETWORK_CLIENT_SCHEMA,
  type RecordSchemaId,
  recordSchemas,
  UPLINK_LOSS_LATENCY_SCHEMA,
} from "../schemas/index.js";
import type { SweepKind } from "../sweeps/sweep.js";

/** Any envelope the consumer knows, discriminated by its `schema` literal. */
export type TelemetryEnvelope = z.output<(typeof recordSchemas)[RecordSchemaId]>;

/**
 * The telemetry kind of each schema, named like the sweep that produces it, so log lines, metrics
 * and the sweeps' own logs use one vocabulary. A new schema in the registry fails to compile here
 * until it has a kind.
 */
const kindBySchema = {
  [UPLINK_LOSS_LATENCY_SCHEMA]: "uplink-loss-latency",
  [NETWORK_CLIENT_SCHEMA]: "network-clients",
  [DEVICE_STATUS_SCHEMA]: "device-statuses",
} as const satisfies Record<RecordSchemaId, SweepKind>;

export type TelemetryKind = (typeof kindBySchema)[RecordSchemaId];

export function isKnownSchema(schema: string): schema is RecordSchemaId {
  return Object.hasOwn(recordSchemas, schema);
}

export function kindOf(schema: RecordSchemaId): TelemetryKind {
  return kindBySchema[schema];
}
