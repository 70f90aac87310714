// The time-window rules of the two windowed operations, as the spec words them. Times are epoch
// milliseconds; t0/t1 accept ISO 8601 or epoch seconds like the Dashboard API.

import { badRequest } from "./errors.js";
import { type Query, single } from "./query.js";

export interface TimeWindow {
  startMs: number;
  endMs: number;
}

const SECOND = 1000;
const DAY = 86_400 * SECOND;

/** Loss and latency data is at least this old. */
export const UPLINK_DATA_DELAY_MS = 120 * SECOND;
export const UPLINK_MAX_SPAN_MS = 300 * SECOND;
const UPLINK_MAX_LOOKBACK_MS = 60 * DAY;

const CLIENTS_DEFAULT_SPAN_MS = DAY;
const CLIENTS_MAX_SPAN_MS = 31 * DAY;

/**
 * uplinksLossAndLatency: t1 - t0 <= 5 minutes, t1 at most 2 minutes ago, t0 within 60 days;
 * `timespan` (default 300 s) excludes t0/t1 and ends 2 minutes ago.
 */
export function uplinkWindow(query: Query, nowMs: number): TimeWindow {
  const t0 = optionalTime(query, "t0");
  const t1 = optionalTime(query, "t1");
  const timespan = optionalSeconds(query, "timespan");
  const latestEnd = nowMs - UPLINK_DATA_DELAY_MS;
  if (timespan !== undefined && (t0 !== undefined || t1 !== undefined)) {
    throw badRequest("Specify either 'timespan' or 't0'/'t1', not both");
  }
  let window: TimeWindow;
  if (t0 === undefined && t1 === undefined) {
    const spanMs = (timespan ?? UPLINK_MAX_SPAN_MS / SECOND) * SECOND;
    if (!(spanMs > 0) || spanMs > UPLINK_MAX_SPAN_MS) {
      throw badRequest("'timespan' must be greater than 0 and at most 300 seconds");
    }
    window = { startMs: latestEnd - spanMs, endMs: latestEnd };
  } else if (t1 === undefined) {
    const start = t0 ?? latestEnd;
    window = { startMs: start, endMs: Math.min(start + UPLINK_MAX_SPAN_MS, latestEnd) };
  } else {
    window = { startMs: t0 ?? t1 - UPLINK_MAX_SPAN_MS, endMs: t1 };
    if (t1 > latestEnd) throw badRequest("'t1' must be at least 2 minutes in the past");
  }
  if (window.endMs <= window.startMs)
    throw badRequest("'t0' must be before 't1' and 't1' at least 2 minutes ago");
  if (window.endMs - window.startMs > UPLINK_MAX_SPAN_MS) {
    throw badRequest("'t1' can be a maximum of 5 minutes after 't0'");
  }
  if (window.startMs < nowMs - UPLINK_MAX_LOOKBACK_MS)
    throw badRequest("'t0' can be at most 60 days in the past");
  return window;
}

/** getNetworkClients: `t0` or `timespan` (default 1 day, at most 31 days), ending now. */
export function clientsWindow(query: Query, nowMs: number): TimeWindow {
  const t0 = optionalTime(query, "t0");
  const timespan = optionalSeconds(query, "timespan");
  if (t0 !== undefined && timespan !== undefined)
    throw badRequest("Specify either 't0' or 'timespan', not both");
  if (t0 !== undefined) {
    if (t0 < nowMs - CLIENTS_MAX_SPAN_MS) throw badRequest("'t0' can be at most 31 days in the past");
    if (t0 > nowMs) throw badRequest("'t0' must not be in the future");
    return { startMs: t0, endMs: nowMs };
  }
  const spanMs = timespan === undefined ? CLIENTS_DEFAULT_SPAN_MS : timespan * SECOND;
  if (!(spanMs > 0) || spanMs > CLIENTS_MAX_SPAN_MS) {
    throw badRequest("'timespan' must be greater than 0 and at most 2678400 seconds");
  }
  return { startMs: nowMs - spanMs, endMs: nowMs };
}

const HISTORY_DEFAULT_SPAN_MS = DAY;
const HISTORY_MAX_SPAN_MS = 31 * DAY;

/**
 * lossAndLatencyHistory: `timespan` (default 1 day, at most 31 days) ending now, or t0/t1 with t0
 * within 60 days and t1 at most 31 days after t0. A missing t1 is now (at most 31 days after t0);
 * a missing t0 is t1 minus the default span. Unlike uplinksLossAndLatency, a recent t1 is not an
 * error: the answer simply holds no minute newer than the 2-minute data delay (the caller clips).
 */
export function historyWindow(query: Query, nowMs: number): TimeWindow {
  const t0 = optionalTime(query, "t0");
  const t1 = optionalTime(query, "t1");
  const timespan = optionalSeconds(query, "timespan");
  if (timespan !== undefined && (t0 !== undefined || t1 !== undefined)) {
    throw badRequest("Specify either 'timespan' or 't0'/'t1', not both");
  }
  if (t0 === undefined && t1 === undefined) {
    const spanMs = timespan === undefined ? HISTORY_DEFAULT_SPAN_MS : timespan * SECOND;
    if (!(spanMs > 0) || spanMs > HISTORY_MAX_SPAN_MS) {
      throw badRequest("'timespan' must be greater than 0 and at most 2678400 seconds");
    }
    return { startMs: nowMs - spanMs, endMs: nowMs };
  }
  const window =
    t1 === undefined
      ? { startMs: t0 ?? nowMs, endMs: Math.min((t0 ?? nowMs) + HISTORY_MAX_SPAN_MS, nowMs) }
      : { startMs: t0 ?? t1 - HISTORY_DEFAULT_SPAN_MS, endMs: t1 };
  if (window.startMs < nowMs - UPLINK_MAX_LOOKBACK_MS)
    throw badRequest("'t0' can be at most 60 days in the past");
  if (window.endMs <= window.startMs) throw badRequest("'t0' must be before 't1'");
  if (window.endMs - window.startMs > HISTORY_MAX_SPAN_MS) {
    throw badRequest("'t1' can be a maximum of 31 days after 't0'");
  }
  return window;
}

export function optionalTime(query: Query, name: string): number | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  const ms = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * SECOND : Date.parse(raw);
  if (!Number.isFinite(ms)) throw badRequest(`'${name}' must be an ISO 8601 timestamp or epoch seconds`);
  return ms;
}

export function optionalSeconds(query: Query, name: string): number | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(seconds)) throw badRequest(`'${name}' must be a number of seconds`);
  return seconds;
}
