// getDeviceLossAndLatencyHistory: one device uplink towards one destination, one item per
// `resolution` bucket. Per-minute values come from the same generator as uplinksLossAndLatency, so at
// the default resolution of 60 s both operations report identical loss and latency for a minute;
// coarser buckets average the minutes they hold.

import type { SimDevice } from "./dataset.js";
import { badRequest } from "./errors.js";
import { enumValue, type Query, single } from "./query.js";
import { historyWindow, UPLINK_DATA_DELAY_MS } from "./time-window.js";
import {
  isoSeconds,
  type MinuteMeasurement,
  minuteMeasurement,
  minutesIn,
  PROBE_IPS,
  SIMULATED_UPLINKS,
  sampleKey,
} from "./uplinks.js";

/** This operation's uplink vocabulary; since v1.73.0 it has wan4, which uplinksLossAndLatency lacks. */
const HISTORY_UPLINKS = ["cellular", "wan1", "wan2", "wan3", "wan4"] as const;
const RESOLUTIONS = [60, 600, 3600, 86_400] as const;
const DEFAULT_RESOLUTION = 60;
const DEFAULT_UPLINK = "wan1";

/** The spec's item properties, in its order. */
export interface HistoryItem {
  startTime: string;
  endTime: string;
  lossPercent: number;
  latencyMs: number;
  goodput: number;
  jitter: number;
}

export interface HistoryQuery {
  query: Query;
  nowMs: number;
  seed: number;
}

/** Throws ApiError 400 on invalid parameters; answers [] for an uplink or destination never probed. */
export function lossAndLatencyHistory(device: SimDevice, q: HistoryQuery): HistoryItem[] {
  const ip = single(q.query, "ip");
  if (ip === undefined || ip === "") throw badRequest("'ip' is required");
  const requestedUplink = enumValue(q.query, "uplink", HISTORY_UPLINKS) ?? DEFAULT_UPLINK;
  const resolutionSeconds = resolution(q.query);
  const window = historyWindow(q.query, q.nowMs);
  // The API measures only appliances (MX, Z); other product types have no uplink history.
  if (device.productType !== "appliance") {
    throw badRequest("Loss and latency history is only available for MX, MG and Z devices");
  }
  const uplink = SIMULATED_UPLINKS.find((name) => name === requestedUplink);
  if (uplink === undefined || !PROBE_IPS.includes(ip)) return [];
  const key = sampleKey(q.seed, device.serial, uplink, ip);
  const endMs = Math.min(window.endMs, q.nowMs - UPLINK_DATA_DELAY_MS);
  const bucketMs = resolutionSeconds * 1000;
  const items: HistoryItem[] = [];
  for (let b = Math.ceil(window.startMs / bucketMs) * bucketMs; b < endMs; b += bucketMs) {
    const minutes = [...minutesIn(b, Math.min(b + bucketMs, endMs))].map((t) =>
      minuteMeasurement(key, uplink, t),
    );
    items.push({
      startTime: isoSeconds(b),
      endTime: isoSeconds(b + bucketMs),
      ...(minutes.length === 1 && minutes[0] !== undefined ? exact(minutes[0]) : mean(minutes)),
    });
  }
  return items;
}

type Values = Omit<HistoryItem, "startTime" | "endTime">;

function exact(m: MinuteMeasurement): Values {
  return { lossPercent: m.lossPercent, latencyMs: m.latencyMs, goodput: m.goodputKbps, jitter: m.jitterMs };
}

function mean(minutes: readonly MinuteMeasurement[]): Values {
  const avg = (pick: (m: MinuteMeasurement) => number): number =>
    minutes.reduce((sum, m) => sum + pick(m), 0) / minutes.length;
  return {
    lossPercent: round2(avg((m) => m.lossPercent)),
    latencyMs: round2(avg((m) => m.latencyMs)),
    goodput: Math.round(avg((m) => m.goodputKbps)),
    jitter: round2(avg((m) => m.jitterMs)),
  };
}

function resolution(query: Query): number {
  const raw = single(query, "resolution");
  if (raw === undefined) return DEFAULT_RESOLUTION;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(RESOLUTIONS as readonly number[]).includes(value)) {
    throw badRequest(`'resolution' must be one of: ${RESOLUTIONS.join(", ")}`);
  }
  return value;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
