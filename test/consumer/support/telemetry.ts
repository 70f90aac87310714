import type { TelemetryRecord } from "../../../shared/kafka/record.js";
import {
  type DeviceStatusRow,
  deviceStatuses,
  deviceStatusRecords,
} from "../../../shared/kinds/device-statuses.js";
import {
  type NetworkClientRow,
  networkClientRecords,
  networkClients,
} from "../../../shared/kinds/network-clients.js";
import {
  type UplinkLossLatencyRow,
  uplinkLossLatency,
  uplinkLossLatencyRecords,
} from "../../../shared/kinds/uplink-loss-latency.js";
import type { Device, Network } from "../../../shared/meraki/index.js";
import type { SweepWindow } from "../../../shared/sweeps/window.js";

/**
 * Records made by the sweeps' own mapping functions from API-shaped rows, so the consumer is
 * specified against exactly what the producer writes.
 */
export const TOPICS = {
  uplinks: uplinkLossLatency.defaultTopic,
  clients: networkClients.defaultTopic,
  statuses: deviceStatuses.defaultTopic,
} as const;

export const organization = { id: "2930418", name: "My organization" };
export const mainOffice: Network = { id: "N_24329156", name: "Main Office" };
export const branch: Network = { id: "N_24329157", name: "Branch" };
export const networks = new Map([mainOffice, branch].map((network) => [network.id, network]));
export const devices = new Map<string, Device>(
  [
    { serial: "Q234-ABCD-5678", name: "Edge MX", model: "MX68", networkId: mainOffice.id },
    { serial: "Q234-ABCD-9999", name: "Branch MX", model: "MX67", networkId: branch.id },
  ].map((device) => [device.serial, device]),
);

export const uplinkWindow: SweepWindow = { start: "2026-11-22T09:58:00Z", end: "2026-11-22T10:03:00Z" };
export const window: SweepWindow = { start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:05:00Z" };
const sweepId = "2026-11-22T10:05:00Z";
const observedAt = "2026-11-22T10:05:01Z";

export const mainOfficeWan1: UplinkLossLatencyRow = {
  networkId: mainOffice.id,
  serial: "Q234-ABCD-5678",
  uplink: "wan1",
  ip: "8.8.8.8",
  timeSeries: [
    { ts: "2026-11-22T09:58:00Z", lossPercent: 0, latencyMs: 20.5 },
    { ts: "2026-11-22T09:59:00Z", lossPercent: 5.3, latencyMs: 194.9 },
    { ts: "2026-11-22T10:00:00Z", lossPercent: 1.2, latencyMs: 31.1 },
    { ts: "2026-11-22T10:01:00Z", lossPercent: null, latencyMs: null },
  ],
};

export const mainOfficeWan2: UplinkLossLatencyRow = {
  networkId: mainOffice.id,
  serial: "Q234-ABCD-5678",
  uplink: "wan2",
  ip: "8.8.8.8",
  timeSeries: [{ ts: "2026-11-22T09:58:00Z", lossPercent: 0, latencyMs: 45 }],
};

export const branchWan1: UplinkLossLatencyRow = {
  networkId: branch.id,
  serial: "Q234-ABCD-9999",
  uplink: "wan1",
  ip: "1.1.1.1",
  timeSeries: [
    { ts: "2026-11-22T09:58:00Z", lossPercent: 10, latencyMs: 80 },
    { ts: "2026-11-22T09:59:00Z", lossPercent: 20, latencyMs: 120 },
  ],
};

export function uplinkRecords(rows: UplinkLossLatencyRow[]): TelemetryRecord[] {
  return uplinkLossLatencyRecords(rows, {
    organization,
    networks,
    devices,
    window: uplinkWindow,
    sweepId,
    observedAt,
    topic: TOPICS.uplinks,
  }).records;
}

export const laptop: NetworkClientRow = {
  id: "k74272e",
  mac: "22:33:44:55:66:77",
  ip: "10.0.0.12",
  description: "Miles's phone",
  manufacturer: "Apple",
  os: "iOS",
  ssid: "Corp",
  vlan: "100",
  status: "Online",
  usage: { sent: 138, recv: 61 },
  recentDeviceSerial: "Q234-ABCD-0001",
  recentDeviceName: "Lobby AP",
};

export const printer: NetworkClientRow = {
  id: "k84fe10",
  mac: "00:11:22:33:44:55",
  ip: "10.0.0.40",
  status: "Offline",
  recentDeviceSerial: "Q234-ABCD-0002",
  recentDeviceName: "Floor 2 AP",
};

export function clientRecords(rows: NetworkClientRow[], network: Network = mainOffice): TelemetryRecord[] {
  return networkClientRecords(rows, {
    organization,
    network,
    window,
    sweepId,
    observedAt,
    topic: TOPICS.clients,
  }).records;
}

export const lobbyAp: DeviceStatusRow = {
  name: "Lobby AP",
  serial: "Q234-ABCD-0001",
  mac: "00:11:22:33:44:01",
  publicIp: "123.123.123.1",
  networkId: mainOffice.id,
  status: "online",
  lastReportedAt: "2026-11-22T10:04:12.090210Z",
  lanIp: "10.0.0.2",
  gateway: "10.0.0.1",
  ipType: "dhcp",
  primaryDns: "8.8.8.8",
  secondaryDns: "8.8.4.4",
  productType: "wireless",
  model: "MR34",
  tags: ["lobby"],
};

export const floor2Ap: DeviceStatusRow = {
  ...lobbyAp,
  name: "Floor 2 AP",
  serial: "Q234-ABCD-0002",
  mac: "00:11:22:33:44:02",
  status: "offline",
  lanIp: "10.0.0.3",
};

/** In the inventory but not in a network: networkId null. */
export const spareSwitch: DeviceStatusRow = {
  name: "Spare switch",
  serial: "Q234-ABCD-0003",
  networkId: null,
  status: "dormant",
  productType: "switch",
  model: "MS120-8",
};

export function statusRecords(rows: DeviceStatusRow[]): TelemetryRecord[] {
  return deviceStatusRecords(rows, {
    organization,
    networks,
    window,
    sweepId,
    observedAt,
    topic: TOPICS.statuses,
  }).records;
}

/**
 * A production-sized batch: `count` records, about a third of each kind, from one organisation of
 * `count / 50` networks, made by the real mappings. Deterministic, so runs compare.
 */
export function largeBatch(count: number): TelemetryRecord[] {
  const networkCount = Math.max(1, Math.floor(count / 50));
  const bigNetworks = new Map<string, Network>();
  const bigDevices = new Map<string, Device>();
  for (let n = 0; n < networkCount; n++) {
    const id = `N_${1000 + n}`;
    bigNetworks.set(id, { id, name: `Site ${n}` });
  }
  const networkIds = [...bigNetworks.keys()];
  const perKind = Math.floor(count / 3);
  const uplinkRows: UplinkLossLatencyRow[] = [];
  for (let i = 0; i < perKind; i++) {
    // Two uplinks per appliance.
    const serial = `Q2MX-${String(Math.floor(i / 2)).padStart(4, "0")}-0000`;
    const networkId = networkIds[Math.floor(i / 2) % networkCount]!;
    bigDevices.set(serial, { serial, name: `MX ${i >> 1}`, model: "MX68", networkId });
    uplinkRows.push({
      networkId,
      serial,
      uplink: i % 2 === 0 ? "wan1" : "wan2",
      ip: "8.8.8.8",
      timeSeries: Array.from({ length: 5 }, (_, m) => ({
        ts: `2026-11-22T${m < 2 ? "09" : "10"}:${String((58 + m) % 60).padStart(2, "0")}:00Z`,
        lossPercent: (i * 7 + m) % 11,
        latencyMs: 20 + ((i * 13 + m * 3) % 90) + 0.5,
      })),
    });
  }
  const uplinks = uplinkLossLatencyRecords(uplinkRows, {
    organization,
    networks: bigNetworks,
    devices: bigDevices,
    window: uplinkWindow,
    sweepId,
    observedAt,
    topic: TOPICS.uplinks,
  }).records;

  const clients: TelemetryRecord[] = [];
  const clientCount = perKind;
  for (let n = 0; n < networkCount; n++) {
    const rows: NetworkClientRow[] = [];
    for (let c = n; c < clientCount; c += networkCount) {
      rows.push({ ...laptop, id: `k${c.toString(16).padStart(6, "0")}`, ip: `10.${n % 256}.${c % 256}.7` });
    }
    clients.push(
      ...networkClientRecords(rows, {
        organization,
        network: bigNetworks.get(networkIds[n]!)!,
        window,
        sweepId,
        observedAt,
        topic: TOPICS.clients,
      }).records,
    );
  }

  const statusRows: DeviceStatusRow[] = Array.from(
    { length: count - uplinks.length - clients.length },
    (_, i) => ({
      ...lobbyAp,
      serial: `Q2AP-${String(i).padStart(4, "0")}-0000`,
      name: `AP ${i}`,
      networkId: networkIds[i % networkCount]!,
      status: ["online", "online", "online", "alerting", "offline"][Math.floor(i / networkCount) % 5]!,
    }),
  );
  const statuses = deviceStatusRecords(statusRows, {
    organization,
    networks: bigNetworks,
    window,
    sweepId,
    observedAt,
    topic: TOPICS.statuses,
  }).records;
  return [...uplinks, ...clients, ...statuses];
}
