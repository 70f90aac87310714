import { z } from "zod";
import { envelopeSchema, optionalNumber, optionalText } from "./envelope.js";

export const NETWORK_CLIENT_SCHEMA = "semaphore.network-client.v1";

export const networkClientRecordSchema = envelopeSchema(
  NETWORK_CLIENT_SCHEMA,
  z.object({
    organizationId: z.string().min(1),
    organizationName: optionalText,
    networkId: z.string().min(1),
    networkName: optionalText,
    clientId: z.string().min(1),
    mac: optionalText,
    description: optionalText,
    /** The device the client was last connected to. */
    serial: optionalText,
    deviceName: optionalText,
  }),
  z.object({
    status: optionalText,
    ip: optionalText,
    ip6: optionalText,
    ip6Local: optionalText,
    vlan: optionalText,
    namedVlan: optionalText,
    ssid: optionalText,
    switchport: optionalText,
    recentDeviceConnection: optionalText,
    manufacturer: optionalText,
    os: optionalText,
    deviceTypePrediction: optionalText,
    user: optionalText,
    /** Unix seconds, as the API reports them. */
    firstSeen: optionalNumber,
    lastSeen: optionalNumber,
    /** Kilobytes sent and received in the API's timespan. */
    usage: z.object({ sent: optionalNumber, recv: optionalNumber }),
  }),
);

export type NetworkClientRecord = z.infer<typeof networkClientRecordSchema>;
