// getOrganizationApiRequestsOverviewResponseCodesByInterval, answered from the simulator's own
// request log: every request attributed to the organisation (whatever its status: a 429 of the
// rate limit or of a fault counts like any other) is counted by status code in the interval it was
// answered in. The log keeps wall-clock times while the API answers on its own clock (`now`, which
// tests freeze), so a request made k ms ago counts k ms before the API's now.

import type { SimOrganization } from "./dataset.js";
import { badRequest } from "./errors.js";
import type { HandlerContext, Reply } from "./operation.js";
import { type Query, single } from "./query.js";
import { optionalSeconds, optionalTime, type TimeWindow } from "./time-window.js";

const SECOND = 1000;
const DAY = 86_400 * SECOND;
const MAX_SPAN_MS = 31 * DAY;
/** The spec's valid intervals, in seconds. */
export const API_REQUEST_INTERVALS = [120, 3600, 14400, 21600] as const;
const DEFAULT_INTERVAL_SECONDS = 21600;
/**
 * "Interval is calculated if time params are provided": the simulator takes the smallest valid
 * interval that keeps the answer within the intervals of the default (31 days at 21600 s).
 */
const MAX_INTERVALS = Math.ceil(MAX_SPAN_MS / (DEFAULT_INTERVAL_SECONDS * SECOND));
/** Filters the request log cannot answer: it does not know admins, user agents or source addresses. */
const UNSIMULATED_FILTERS = ["operationIds", "sourceIps", "adminIds", "userAgent"];

export function apiRequestsResponseCodesByInterval(org: SimOrganization, ctx: HandlerContext): Reply {
  for (const name of UNSIMULATED_FILTERS) {
    if (ctx.query[name] !== undefined || ctx.query[`${name}[]`] !== undefined) {
      throw badRequest(`'${name}' is not supported by the simulator`);
    }
  }
  const version = single(ctx.query, "version");
  if (version !== undefined && version !== "0" && version !== "1") {
    throw badRequest("'version' must be one of: 0, 1");
  }
  const { window, intervalMs } = requestsWindow(ctx.query, ctx.nowMs);
  const intervals: { startMs: number; endMs: number; counts: Map<number, number> }[] = [];
  for (let startMs = window.startMs; startMs < window.endMs; startMs += intervalMs) {
    intervals.push({ startMs, endMs: Math.min(startMs + intervalMs, window.endMs), counts: new Map() });
  }
  // Every simulated operation is a v1 one.
  const counted = version === "0" ? [] : ctx.requests;
  const wallNowMs = Date.now();
  for (const request of counted) {
    if (request.organizationId !== org.id) continue;
    const atMs = ctx.nowMs - (wallNowMs - request.at);
    if (atMs < window.startMs || atMs >= window.endMs) continue;
    const interval = intervals[Math.floor((atMs - window.startMs) / intervalMs)];
    interval?.counts.set(request.status, (interval.counts.get(request.status) ?? 0) + 1);
  }
  const body = intervals.map((interval) => ({
    startTs: isoSeconds(interval.startMs),
    endTs: isoSeconds(interval.endMs),
    counts: [...interval.counts].sort(([a], [b]) => a - b).map(([code, count]) => ({ code, count })),
  }));
  return { body, headers: {} };
}

/**
 * t0 at most 31 days ago, t1 at most 31 days after t0; or `timespan` (at most 31 days, default 31
 * days) ending now. Without time parameters an explicit interval sets the timespan (the spec:
 * "autocalculated") to the same number of intervals.
 */
function requestsWindow(query: Query, nowMs: number): { window: TimeWindow; intervalMs: number } {
  const t0 = optionalTime(query, "t0");
  const t1 = optionalTime(query, "t1");
  const timespan = optionalSeconds(query, "timespan");
  const interval = optionalInterval(query);
  if (timespan !== undefined && (t0 !== undefined || t1 !== undefined)) {
    throw badRequest("Specify either 'timespan' or 't0'/'t1', not both");
  }
  let window: TimeWindow;
  if (t0 === undefined && t1 === undefined) {
    const spanMs =
      timespan !== undefined
        ? timespan * SECOND
        : interval !== undefined
          ? Math.min(MAX_SPAN_MS, interval * SECOND * MAX_INTERVALS)
          : MAX_SPAN_MS;
    if (!(spanMs > 0) || spanMs > MAX_SPAN_MS) {
      throw badRequest("'timespan' must be greater than 0 and at most 2678400 seconds");
    }
    window = { startMs: nowMs - spanMs, endMs: nowMs };
  } else {
    const startMs = t0 ?? (t1 ?? nowMs) - MAX_SPAN_MS;
    window = { startMs, endMs: t1 ?? Math.min(startMs + MAX_SPAN_MS, nowMs) };
  }
  if (window.startMs < nowMs - MAX_SPAN_MS) throw badRequest("'t0' can be at most 31 days in the past");
  if (window.endMs <= window.startMs) throw badRequest("'t0' must be before 't1'");
  if (window.endMs - window.startMs > MAX_SPAN_MS) {
    throw badRequest("'t1' can be a maximum of 31 days after 't0'");
  }
  const spanMs = window.endMs - window.startMs;
  const seconds =
    interval ??
    API_REQUEST_INTERVALS.find((candidate) => spanMs <= candidate * SECOND * MAX_INTERVALS) ??
    DEFAULT_INTERVAL_SECONDS;
  return { window, intervalMs: seconds * SECOND };
}

function optionalInterval(query: Query): number | undefined {
  const raw = single(query, "interval");
  if (raw === undefined) return undefined;
  const match = API_REQUEST_INTERVALS.find((candidate) => String(candidate) === raw);
  if (match === undefined) {
    throw badRequest(`'interval' must be one of: ${API_REQUEST_INTERVALS.join(", ")}`);
  }
  return match;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
