// Response types of the operations we call, transcribed from the official spec subset
// (../shared/meraki/openapi-subset.json, Dashboard API v1.42.0): only the properties the spec lists.
// The spec marks no property as required and the live API sends null for unset values (an unnamed
// device has "name": null), so every property is optional and nullable (SpecShape). Only the ids of
// the inventory (organisation id, network id, device serial) are required: without them nothing
// can be named, so a page lacking one is rejected as a broken contract. Telemetry rows (statuses,
// clients, loss/latency) keep a nullable id, because a sweep drops and counts such a row instead
// of losing the whole page. The schemas check only these fields' types and let every other
// property through untouched, so a new property or a spec/API disagreement elsewhere never fails.

import { z } from "zod";

type SpecShape<T> = { [K in keyof T]?: T[K] | null };

export type ProductType =
  | "appliance"
  | "camera"
  | "cellularGateway"
  | "sensor"
  | "switch"
  | "systemsManager"
  | "wireless";

/** getOrganizations item. */
export type Organization = SpecShape<{
  name: string;
  url: string;
  api: SpecShape<{ enabled: boolean }>;
  licensing: SpecShape<{ model: "co-term" | "per-device" | "subscription" }>;
  cloud: SpecShape<{ region: SpecShape<{ name: string }> }>;
  management: SpecShape<{ details: SpecShape<{ name: string; value: string }>[] }>;
}> & { id: string };

/** getOrganizationNetworks item. */
export type Network = SpecShape<{
  organizationId: string;
  name: string;
  productTypes: string[];
  timeZone: string;
  tags: string[];
  enrollmentString: string;
  url: string;
  notes: string;
  isBoundToConfigTemplate: boolean;
}> & { id: string };

/** getOrganizationDevices item. */
export type Device = SpecShape<{
  name: string;
  lat: number;
  lng: number;
  address: string;
  notes: string;
  tags: string[];
  networkId: string;
  model: string;
  imei: string;
  mac: string;
  lanIp: string;
  firmware: string;
  productType: string;
  details: SpecShape<{ name: string; value: string }>[];
}> & { serial: string };

export type PowerSupplyStatus =
  | "available"
  | "connected"
  | "disconnected"
  | "powered"
  | "powering"
  | "standby";

/** getOrganizationDevicesStatuses item. */
export type DeviceStatus = SpecShape<{
  name: string;
  mac: string;
  publicIp: string;
  networkId: string;
  /** "online" | "alerting" | "offline" | "dormant" (the spec types it as a free string). */
  status: string;
  lastReportedAt: string;
  lanIp: string;
  gateway: string;
  ipType: string;
  primaryDns: string;
  secondaryDns: string;
  productType: string;
  components: SpecShape<{
    powerSupplies: SpecShape<{
      slot: number;
      serial: string;
      model: string;
      status: PowerSupplyStatus;
      poe: SpecShape<{ unit: string; maximum: number }>;
    }>[];
  }>;
  model: string;
  tags: string[];
  serial: string;
}>;

export type LossAndLatencySample = SpecShape<{
  /** date-time */
  ts: string;
  /** null when the device had no measurement for this point. */
  lossPercent: number;
  latencyMs: number;
}>;

/**
 * getOrganizationDevicesUplinksLossAndLatency item. `serial` stays nullable: the API returns rows
 * for uplinks whose device it cannot name, and the sweep, not the client, decides what to do with them.
 */
export type UplinkLossAndLatency = SpecShape<{
  networkId: string;
  serial: string;
  /** "wan1" | "wan2" | "wan3" | "cellular" */
  uplink: string;
  ip: string;
  timeSeries: LossAndLatencySample[];
}>;

/**
 * getNetworkClients item. The spec declares the 200 body as a single object of this shape, but the
 * live API (and the spec's own perPage/Link paging) returns an array of them, one page at a time.
 */
export type NetworkClient = SpecShape<{
  mac: string;
  ip: string;
  ip6: string;
  description: string;
  /** Unix seconds. */
  firstSeen: number;
  lastSeen: number;
  manufacturer: string;
  os: string;
  user: string;
  vlan: string;
  ssid: string;
  switchport: string;
  wirelessCapabilities: string;
  smInstalled: boolean;
  recentDeviceMac: string;
  status: "Offline" | "Online";
  usage: SpecShape<{ sent: number; recv: number }>;
  namedVlan: string;
  adaptivePolicyGroup: string;
  deviceTypePrediction: string;
  recentDeviceSerial: string;
  recentDeviceName: string;
  recentDeviceConnection: "Wired" | "Wireless";
  notes: string;
  ip6Local: string;
  groupPolicy8021x: string;
  pskGroup: string;
  id: string;
}>;

// Runtime checks of the fields the sweeps rely on (ids and the sample series).
const id = z.string().min(1);
const optionalText = z.string().nullish();

export const organizationSchema = z.looseObject({ id, name: optionalText });
export const networkSchema = z.looseObject({ id, name: optionalText, organizationId: optionalText });
export const deviceSchema = z.looseObject({
  serial: id,
  name: optionalText,
  model: optionalText,
  networkId: optionalText,
});
export const deviceStatusSchema = z.looseObject({
  serial: optionalText,
  status: optionalText,
  networkId: optionalText,
});
export const uplinkLossAndLatencySchema = z.looseObject({
  serial: optionalText,
  networkId: optionalText,
  uplink: optionalText,
  ip: optionalText,
  timeSeries: z
    .array(
      z.looseObject({
        ts: optionalText,
        lossPercent: z.number().nullish(),
        latencyMs: z.number().nullish(),
      }),
    )
    .nullish(),
});
export const networkClientSchema = z.looseObject({ id: optionalText });
