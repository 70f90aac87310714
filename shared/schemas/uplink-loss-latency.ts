import { z } from "zod";
import { envelopeSchema, isoInstant, optionalNumber, optionalText } from "./envelope.js";

export const UPLINK_LOSS_LATENCY_SCHEMA = "semaphore.uplink-loss-latency.v1";

export const uplinkLossLatencyRecordSchema = envelopeSchema(
  UPLINK_LOSS_LATENCY_SCHEMA,
  z.object({
    organizationId: z.string().min(1),
    organizationName: optionalText,
    networkId: z.string().min(1),
    networkName: optionalText,
    serial: z.string().min(1),
    deviceName: optionalText,
    model: optionalText,
  }),
  z.object({
    uplink: z.string().min(1),
    ip: z.string().min(1),
    samples: z
      .array(
        z.object({
          ts: isoInstant,
          // The API reports null for a minute without probe results.
          lossPercent: optionalNumber,
          latencyMs: optionalNumber,
        }),
      )
      .min(1),
  }),
);

export type UplinkLossLatencyRecord = z.infer<typeof uplinkLossLatencyRecordSchema>;
