// Rows of getOrganizationDevicesUplinksLossAndLatency: one per MX, uplink and probe destination,
// with one sample per whole minute inside [t0, t1). Sample values hash (seed, serial, uplink, ip,
// minute), so overlapping windows agree on shared minutes and tiled windows never repeat a minute.

import type { SimDevice, SimNetwork } from "./dataset.js";
import { unitFromKey } from "./random.js";
import type { TimeWindow } from "./time-window.js";

export const UPLINK_NAMES = ["cellular", "wan1", "wan2", "wan3"] as const;
export type UplinkName = (typeof UPLINK_NAMES)[number];

/** What every simulated MX has and probes; the API's default destination is Google DNS. */
export const SIMULATED_UPLINKS: readonly UplinkName[] = ["wan1", "wan2"];
export const PROBE_IPS: readonly string[] = ["8.8.8.8"];
/** Destinations for the extra empty rows, so they do not collide with real rows' identities. */
const EXTRA_IPS = ["8.8.8.8", "1.1.1.1", "9.9.9.9", "208.67.222.222"];
const MINUTE_MS = 60_000;

export interface UplinkSample {
  ts: string;
  lossPercent: number;
  latencyMs: number;
}

export interface UplinkRow {
  networkId: string;
  /** The spec says string; the real API sometimes sends null, which the nullSerialRows fault mimics. */
  serial: string | null;
  uplink: string;
  ip: string;
  timeSeries: UplinkSample[];
}

export interface UplinkQuery {
  window: TimeWindow;
  uplink: UplinkName | undefined;
  ip: string | undefined;
  seed: number;
  nullSerialRows: number;
  emptyTimeSeriesRows: number;
}

export function uplinkRows(
  appliances: readonly SimDevice[],
  networks: readonly SimNetwork[],
  q: UplinkQuery,
): UplinkRow[] {
  const rows: UplinkRow[] = [];
  for (const device of appliances) {
    for (const uplink of SIMULATED_UPLINKS) {
      for (const ip of PROBE_IPS) {
        rows.push({
          networkId: device.networkId,
          serial: device.serial,
          uplink,
          ip,
          timeSeries: samples(sampleKey(q.seed, device.serial, uplink, ip), uplink, q.window),
        });
      }
    }
  }
  for (let k = 0; k < q.nullSerialRows && networks.length > 0; k++) {
    const network = networks[k % networks.length];
    if (network === undefined) break;
    rows.push({
      networkId: network.id,
      serial: null,
      uplink: "wan1",
      ip: "8.8.8.8",
      timeSeries: samples(`${q.seed}|null-serial-${k}`, "wan1", q.window),
    });
  }
  for (let k = 0; k < q.emptyTimeSeriesRows && appliances.length > 0; k++) {
    const device = appliances[k % appliances.length];
    if (device === undefined) break;
    rows.push({
      networkId: device.networkId,
      serial: device.serial,
      uplink: "cellular",
      ip: EXTRA_IPS[Math.floor(k / appliances.length) % EXTRA_IPS.length] ?? "8.8.8.8",
      timeSeries: [],
    });
  }
  return rows.filter(
    (row) => (q.uplink === undefined || row.uplink === q.uplink) && (q.ip === undefined || row.ip === q.ip),
  );
}

/** The identity every per-minute value of one device uplink and probe destination hashes from. */
export function sampleKey(seed: number, serial: string, uplink: UplinkName, ip: string): string {
  return `${seed}|${serial}|${uplink}|${ip}`;
}

/**
 * The measurements of the minute starting at `minuteMs` (a whole minute). Both uplinksLossAndLatency
 * and lossAndLatencyHistory read them from here, so the two operations agree on every minute.
 */
export interface MinuteMeasurement {
  lossPercent: number;
  latencyMs: number;
  /** Milliseconds; only lossAndLatencyHistory reports it. */
  jitterMs: number;
  /** Kilobits per second; only lossAndLatencyHistory reports it. */
  goodputKbps: number;
}

export function minuteMeasurement(key: string, uplink: UplinkName, minuteMs: number): MinuteMeasurement {
  // A secondary uplink is typically a cheaper, slower circuit.
  const baseLatency = 8 + unitFromKey(`${key}|base`) * 40 + (uplink === "wan2" ? 15 : 0);
  const jitter = unitFromKey(`${key}|${minuteMs}|latency`);
  const lossRoll = unitFromKey(`${key}|${minuteMs}|loss`);
  // Mostly clean, with rare lossy minutes that also show queueing delay.
  const lossPercent = lossRoll < 0.9 ? 0 : round1(((lossRoll - 0.9) / 0.1) * 8);
  const capacityKbps = (uplink === "wan2" ? 20_000 : 100_000) * (0.5 + unitFromKey(`${key}|capacity`));
  const use = unitFromKey(`${key}|${minuteMs}|goodput`);
  return {
    lossPercent,
    latencyMs: round1(baseLatency + jitter * 6 + lossPercent * 4),
    jitterMs: round1(0.5 + jitter * 3 + lossPercent * 0.8),
    goodputKbps: Math.round(capacityKbps * (0.2 + use * 0.7) * (1 - lossPercent / 100)),
  };
}

/** Whole minutes inside [startMs, endMs), the minutes both operations report. */
export function* minutesIn(startMs: number, endMs: number): Generator<number> {
  for (let t = Math.ceil(startMs / MINUTE_MS) * MINUTE_MS; t < endMs; t += MINUTE_MS) yield t;
}

function samples(key: string, uplink: UplinkName, window: TimeWindow): UplinkSample[] {
  const out: UplinkSample[] = [];
  for (const t of minutesIn(window.startMs, window.endMs)) {
    const { lossPercent, latencyMs } = minuteMeasurement(key, uplink, t);
    out.push({ ts: isoSeconds(t), lossPercent, latencyMs });
  }
  return out;
}

/** "2026-11-22T09:53:00Z": whole seconds, as the API writes them. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
