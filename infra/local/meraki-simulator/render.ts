// Dataset records -> response items, with exactly the properties of the spec's (v1.73.0) 200 schemas
// and in the spec's property order, so bodies read like the documentation's examples. Every declared
// property is present with its declared type. Where the real API would send null for "not
// applicable" (a wired client's SSID) the simulator sends "" unless the spec declares the property
// nullable.

import {
  CLIENT_ONLINE_SECONDS,
  type DeviceStatus,
  type SimClient,
  type SimDevice,
  type SimNetwork,
  type SimOrganization,
} from "./dataset.js";
import { hash32 } from "./random.js";

export function renderOrganization(org: SimOrganization): object {
  return {
    id: org.id,
    name: org.name,
    url: org.url,
    api: { enabled: true },
    licensing: { model: org.licensingModel },
    cloud: { region: { name: org.region, host: { name: org.regionHost } } },
    management: { details: [] },
    // Declared as an object without properties; an organisation with no privacy settings has none.
    privacy: {},
  };
}

export function renderNetwork(network: SimNetwork): object {
  return {
    id: network.id,
    organizationId: network.organizationId,
    name: network.name,
    productTypes: network.productTypes,
    timeZone: network.timeZone,
    tags: network.tags,
    enrollmentString: network.enrollmentString,
    url: network.url,
    notes: network.notes,
    isBoundToConfigTemplate: false,
  };
}

/** `imei` is sent for cellular gateways only, as the API sends it only for devices with a modem. */
export function renderDevice(device: SimDevice): object {
  return {
    name: device.name,
    lat: device.lat,
    lng: device.lng,
    address: device.address,
    notes: device.notes,
    tags: device.tags,
    networkId: device.networkId,
    serial: device.serial,
    model: device.model,
    ...(device.cellular === null ? {} : { imei: device.cellular.imei }),
    mac: device.mac,
    lanIp: device.lanIp,
    firmware: device.firmware,
    productType: device.productType,
    details: [],
  };
}

/**
 * getNetworkDevices. No simulated device is placed on a floor plan, so `floorPlanId` is null (the
 * spec declares it nullable); `beaconIdParams` is sent for access points only, as the API does,
 * with the network's shared UUID and major and a per-device minor.
 */
export function renderNetworkDevice(device: SimDevice): object {
  return {
    name: device.name,
    lat: device.lat,
    lng: device.lng,
    address: device.address,
    notes: device.notes,
    tags: device.tags,
    networkId: device.networkId,
    serial: device.serial,
    model: device.model,
    mac: device.mac,
    lanIp: device.lanIp,
    firmware: device.firmware,
    floorPlanId: null,
    url: device.url,
    details: [],
    ...(device.productType === "wireless" ? { beaconIdParams: beaconIdParams(device) } : {}),
  };
}

function beaconIdParams(device: SimDevice): { uuid: string; major: number; minor: number } {
  const hex = [0, 1, 2, 3]
    .map((i) => hash32(`${device.networkId}|beacon|${i}`).toString(16).padStart(8, "0"))
    .join("");
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return {
    uuid,
    major: hash32(`${device.networkId}|major`) % 65_536,
    minor: hash32(`${device.serial}|minor`) % 65_536,
  };
}

/** `status` and `lastReportedAtMs` as the organisation's availability history has them now (availability.ts). */
export function renderDeviceStatus(
  device: SimDevice,
  status: DeviceStatus,
  lastReportedAtMs: number,
): object {
  return {
    name: device.name,
    serial: device.serial,
    mac: device.mac,
    publicIp: device.publicIp,
    networkId: device.networkId,
    status,
    lastReportedAt: microsecondTimestamp(lastReportedAtMs, device.serial),
    lanIp: device.lanIp,
    gateway: device.gateway,
    ipType: device.ipType,
    // A sensor has no address and so no DNS; an MG resolves through its carrier.
    primaryDns: device.productType === "sensor" ? "" : (device.cellular?.dns1 ?? "8.8.8.8"),
    secondaryDns: device.productType === "sensor" ? "" : (device.cellular?.dns2 ?? "8.8.4.4"),
    productType: device.productType,
    components: {
      powerSupplies: device.powerSupplies.map((psu) => ({
        slot: psu.slot,
        serial: psu.serial,
        model: psu.model,
        status: psu.status,
        poe: { unit: "watts", maximum: psu.poeMaximumWatts },
      })),
    },
    model: device.model,
    tags: device.tags,
  };
}

export function renderClient(client: SimClient, nowMs: number): object {
  const nowSeconds = Math.floor(nowMs / 1000);
  return {
    id: client.id,
    mac: client.mac,
    ip: client.ip,
    ip6: client.ip6,
    description: client.description,
    firstSeen: nowSeconds - client.firstSeenSecondsAgo,
    lastSeen: nowSeconds - client.lastSeenSecondsAgo,
    manufacturer: client.manufacturer,
    os: client.os,
    user: client.user,
    vlan: client.vlan,
    ssid: client.ssid,
    switchport: client.switchport,
    wirelessCapabilities: client.wirelessCapabilities,
    smInstalled: client.smInstalled,
    recentDeviceMac: client.recentDeviceMac,
    status: clientStatus(client),
    usage: { sent: client.usageSentKb, recv: client.usageRecvKb },
    namedVlan: client.namedVlan,
    adaptivePolicyGroup: "",
    deviceTypePrediction: client.deviceTypePrediction,
    recentDeviceSerial: client.recentDeviceSerial,
    recentDeviceName: client.recentDeviceName,
    recentDeviceConnection: client.recentDeviceConnection,
    notes: "",
    ip6Local: client.ip6Local,
    groupPolicy8021x: client.groupPolicy8021x,
    pskGroup: "",
  };
}

export function clientStatus(client: SimClient): "Online" | "Offline" {
  return client.lastSeenSecondsAgo < CLIENT_ONLINE_SECONDS ? "Online" : "Offline";
}

/** Meraki reports device times with microseconds ("2018-02-11T00:00:00.090210Z"). */
export function microsecondTimestamp(ms: number, salt: string): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const micros = String(hash32(salt) % 1000).padStart(3, "0");
  return `${iso.slice(0, -1)}${micros}Z`;
}
