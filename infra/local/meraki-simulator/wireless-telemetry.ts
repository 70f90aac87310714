// What the simulated access points measure, per band and 5-minute bucket: channel utilization and
// the packets exchanged with clients and lost each way. Values hash (seed, serial, band, bucket),
// so overlapping requests agree on shared buckets and tiled windows never count one twice. An
// access point has data for a bucket only when it reported all through it, as the organisation's
// availability (availability.ts) tells: one offline or dormant then reports nothing.

import type { SimDevice, SimNetwork } from "./dataset.js";
import { unitFromKey } from "./random.js";
import type { TimeWindow } from "./time-window.js";

export const WIRELESS_BANDS = ["2.4", "5", "6"] as const;
export type WirelessBand = (typeof WIRELESS_BANDS)[number];

/** The radios of each simulated model: Wi-Fi 6E models add 6 GHz; the others are dual-band. */
const TRI_BAND_MODELS = new Set(["CW9166I"]);

export function apBands(device: SimDevice): readonly WirelessBand[] {
  return TRI_BAND_MODELS.has(device.model) ? WIRELESS_BANDS : ["2.4", "5"];
}

export const BUCKET_MS = 300_000;

/** Whether the device reported at the instant; the request's availability answers it. */
export type ReportsAt = (device: SimDevice, ms: number) => boolean;

/** The buckets the access point reported from start to end. */
function reportedBuckets(ap: SimDevice, buckets: readonly number[], reportsAt: ReportsAt): number[] {
  return buckets.filter((bucket) => reportsAt(ap, bucket) && reportsAt(ap, bucket + BUCKET_MS - 1));
}

/** Starts of the 5-minute buckets that begin inside [startMs, endMs) and are over by nowMs. */
export function* bucketsIn(window: TimeWindow, nowMs: number): Generator<number> {
  const first = Math.ceil(window.startMs / BUCKET_MS) * BUCKET_MS;
  for (let t = first; t < window.endMs && t + BUCKET_MS <= nowMs; t += BUCKET_MS) yield t;
}

export interface Utilization {
  wifi: number;
  nonWifi: number;
  total: number;
}

/** Typical airtime use by band: 2.4 GHz is crowded and noisy, 6 GHz nearly empty. */
const UTILIZATION_BASE: Record<WirelessBand, { wifi: [number, number]; nonWifi: [number, number] }> = {
  "2.4": { wifi: [15, 45], nonWifi: [2, 12] },
  "5": { wifi: [5, 30], nonWifi: [0, 4] },
  "6": { wifi: [1, 12], nonWifi: [0, 1] },
};

export function utilizationAt(
  seed: number,
  serial: string,
  band: WirelessBand,
  bucketMs: number,
): Utilization {
  const key = `${seed}|${serial}|${band}`;
  const base = UTILIZATION_BASE[band];
  const wifiBase = between(base.wifi, unitFromKey(`${key}|wifi`));
  const nonWifiBase = between(base.nonWifi, unitFromKey(`${key}|nonWifi`));
  // Busy minutes come and go; now and then a burst (a meeting, a software update) fills the air.
  const burst =
    unitFromKey(`${key}|${bucketMs}|burst`) < 0.03 ? 25 + 15 * unitFromKey(`${key}|${bucketMs}|size`) : 0;
  const wifi = Math.min(95, wifiBase * (0.7 + 0.6 * unitFromKey(`${key}|${bucketMs}|wifi`)) + burst);
  const nonWifi = nonWifiBase * (0.5 + unitFromKey(`${key}|${bucketMs}|nonWifi`));
  return { wifi: round2(wifi), nonWifi: round2(nonWifi), total: round2(Math.min(100, wifi + nonWifi)) };
}

export interface PacketCounts {
  total: number;
  lost: number;
}

export interface BucketPackets {
  downstream: PacketCounts;
  upstream: PacketCounts;
}

/** Packets per 5 minutes by band: 5 GHz carries most client traffic. */
const PACKETS_BASE: Record<WirelessBand, [number, number]> = {
  "2.4": [20_000, 150_000],
  "5": [50_000, 600_000],
  "6": [10_000, 200_000],
};

export function packetsAt(seed: number, serial: string, band: WirelessBand, bucketMs: number): BucketPackets {
  const key = `${seed}|${serial}|${band}`;
  const rate = between(PACKETS_BASE[band], unitFromKey(`${key}|rate`));
  const direction = (name: string, share: number): PacketCounts => {
    const total = Math.round(rate * share * (0.5 + unitFromKey(`${key}|${bucketMs}|${name}|total`)));
    const roll = unitFromKey(`${key}|${bucketMs}|${name}|loss`);
    // Mostly a fraction of a percent; one bucket in ten has interference and loses several percent.
    const lossFraction = roll < 0.9 ? 0.001 + (roll / 0.9) * 0.009 : 0.02 + ((roll - 0.9) / 0.1) * 0.13;
    return { total, lost: Math.round(total * lossFraction) };
  };
  return { downstream: direction("down", 1), upstream: direction("up", 0.6) };
}

/** getOrganizationWirelessDevicesChannelUtilizationByDevice: one item per access point, the spec's order. */
export interface ChannelUtilizationItem {
  serial: string;
  mac: string;
  network: { id: string };
  byBand: {
    band: WirelessBand;
    wifi: { percentage: number };
    nonWifi: { percentage: number };
    total: { percentage: number };
  }[];
}

export interface WindowQuery {
  window: TimeWindow;
  nowMs: number;
  seed: number;
  reportsAt: ReportsAt;
}

/** The average of each band's buckets in the window; access points without a bucket are left out. */
export function channelUtilizationItems(aps: readonly SimDevice[], q: WindowQuery): ChannelUtilizationItem[] {
  const buckets = [...bucketsIn(q.window, q.nowMs)];
  const items: ChannelUtilizationItem[] = [];
  for (const ap of aps) {
    const reported = reportedBuckets(ap, buckets, q.reportsAt);
    if (reported.length > 0) items.push(channelUtilizationItem(ap, reported, q.seed));
  }
  return items;
}

function channelUtilizationItem(
  ap: SimDevice,
  buckets: readonly number[],
  seed: number,
): ChannelUtilizationItem {
  return {
    serial: ap.serial,
    mac: ap.mac,
    network: { id: ap.networkId },
    byBand: apBands(ap).map((band) => {
      const values = buckets.map((bucket) => utilizationAt(seed, ap.serial, band, bucket));
      const mean = (pick: (u: Utilization) => number) =>
        round2(values.reduce((s, u) => s + pick(u), 0) / values.length);
      return {
        band,
        wifi: { percentage: mean((u) => u.wifi) },
        nonWifi: { percentage: mean((u) => u.nonWifi) },
        total: { percentage: mean((u) => u.total) },
      };
    }),
  };
}

interface DirectionItem {
  total: number;
  lost: number;
  lossPercentage: number;
}

/** getOrganizationWirelessDevicesPacketLossByDevice: one item per access point, the spec's order. */
export interface PacketLossItem {
  downstream: DirectionItem;
  upstream: DirectionItem;
  network: { id: string; name: string };
  device: { name: string; serial: string; mac: string };
}

/**
 * The window's buckets summed over the access point's bands (those in `bands` when given); access
 * points with no bucket, or none of the bands, are left out.
 */
export function packetLossItems(
  aps: readonly SimDevice[],
  networkById: ReadonlyMap<string, SimNetwork>,
  q: WindowQuery & { bands: ReadonlySet<WirelessBand> | undefined },
): PacketLossItem[] {
  const buckets = [...bucketsIn(q.window, q.nowMs)];
  const items: PacketLossItem[] = [];
  for (const ap of aps) {
    const bands = apBands(ap).filter((band) => q.bands === undefined || q.bands.has(band));
    const reported = reportedBuckets(ap, buckets, q.reportsAt);
    if (bands.length === 0 || reported.length === 0) continue;
    const sum = { downstream: { total: 0, lost: 0 }, upstream: { total: 0, lost: 0 } };
    for (const band of bands) {
      for (const bucket of reported) {
        const packets = packetsAt(q.seed, ap.serial, band, bucket);
        for (const direction of ["downstream", "upstream"] as const) {
          sum[direction].total += packets[direction].total;
          sum[direction].lost += packets[direction].lost;
        }
      }
    }
    items.push({
      downstream: withPercentage(sum.downstream),
      upstream: withPercentage(sum.upstream),
      network: { id: ap.networkId, name: networkById.get(ap.networkId)?.name ?? "" },
      device: { name: ap.name, serial: ap.serial, mac: ap.mac },
    });
  }
  return items;
}

function withPercentage(counts: PacketCounts): DirectionItem {
  return {
    total: counts.total,
    lost: counts.lost,
    lossPercentage: counts.total === 0 ? 0 : round2((counts.lost / counts.total) * 100),
  };
}

function between([low, high]: [number, number], unit: number): number {
  return low + (high - low) * unit;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
