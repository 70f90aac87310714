import { DEVICE_STATUS_SCHEMA, deviceStatusRecordSchema } from "./device-status.js";
import { NETWORK_CLIENT_SCHEMA, networkClientRecordSchema } from "./network-client.js";
import { UPLINK_LOSS_LATENCY_SCHEMA, uplinkLossLatencyRecordSchema } from "./uplink-loss-latency.js";

export * from "./device-status.js";
export * from "./envelope.js";
export * from "./network-client.js";
export * from "./uplink-loss-latency.js";

/** Every envelope schema by its id: the registry producers validate with and consumers parse with. */
export const recordSchemas = {
  [UPLINK_LOSS_LATENCY_SCHEMA]: uplinkLossLatencyRecordSchema,
  [NETWORK_CLIENT_SCHEMA]: networkClientRecordSchema,
  [DEVICE_STATUS_SCHEMA]: deviceStatusRecordSchema,
} as const;

export type RecordSchemaId = keyof typeof recordSchemas;
