import { z } from "zod";
import { envelopeSchema, optionalText } from "./envelope.js";

export const DEVICE_STATUS_SCHEMA = "semaphore.device-status.v1";

export const deviceStatusRecordSchema = envelopeSchema(
  DEVICE_STATUS_SCHEMA,
  z.object({
    organizationId: z.string().min(1),
    organizationName: optionalText,
    networkId: optionalText,
    networkName: optionalText,
    serial: z.string().min(1),
    deviceName: optionalText,
    model: optionalText,
    productType: optionalText,
    mac: optionalText,
  }),
  z.object({
    status: z.string().min(1),
    lastReportedAt: optionalText,
    publicIp: optionalText,
    lanIp: optionalText,
    gateway: optionalText,
    ipType: optionalText,
    primaryDns: optionalText,
    secondaryDns: optionalText,
    tags: z.array(z.string()),
  }),
);

export type DeviceStatusRecord = z.infer<typeof deviceStatusRecordSchema>;
