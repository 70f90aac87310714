// The time-window rules of the wireless byDevice operations (channel utilization, packet loss), as
// spec v1.73.0 words them: t0 at most 90 days back, t1 at most 90 days after t0, `timespan` (not
// with t0/t1) at most 90 days, default 7 days. Their least span is the caller's: packet loss says
// 5 minutes; channel utilization cannot average less than one of its intervals. The spec states
// the least span for `timespan` only; the simulator holds t0/t1 to it as well, which a caller
// that respects it cannot tell apart from the real service.

import { badRequest } from "./errors.js";
import type { Query } from "./query.js";
import { optionalSeconds, optionalTime, type TimeWindow } from "./time-window.js";

const SECOND = 1000;
const DAY = 86_400 * SECOND;
const MAX_LOOKBACK_MS = 90 * DAY;
const MAX_SPAN_MS = 90 * DAY;
const DEFAULT_SPAN_MS = 7 * DAY;

/** [t0, t1) of the request; `minSpanSeconds` is the least t1 - t0 (or timespan) it accepts. */
export function wirelessWindow(query: Query, nowMs: number, minSpanSeconds: number): TimeWindow {
  const t0 = optionalTime(query, "t0");
  const t1 = optionalTime(query, "t1");
  const timespan = optionalSeconds(query, "timespan");
  if (timespan !== undefined && (t0 !== undefined || t1 !== undefined)) {
    throw badRequest("Specify either 'timespan' or 't0'/'t1', not both");
  }
  let window: TimeWindow;
  if (t0 === undefined && t1 === undefined) {
    const spanMs = timespan === undefined ? DEFAULT_SPAN_MS : timespan * SECOND;
    if (spanMs < minSpanSeconds * SECOND || spanMs > MAX_SPAN_MS) {
      throw badRequest(`'timespan' must be at least ${minSpanSeconds} seconds and at most 90 days`);
    }
    window = { startMs: nowMs - spanMs, endMs: nowMs };
  } else {
    const endMs = t1 ?? Math.min((t0 ?? nowMs) + MAX_SPAN_MS, nowMs);
    window = { startMs: t0 ?? endMs - DEFAULT_SPAN_MS, endMs };
  }
  if (window.startMs < nowMs - MAX_LOOKBACK_MS) {
    throw badRequest("'t0' can be at most 90 days in the past");
  }
  if (window.endMs <= window.startMs) throw badRequest("'t0' must be before 't1'");
  if (window.endMs - window.startMs > MAX_SPAN_MS)
    throw badRequest("'t1' can be a maximum of 90 days after 't0'");
  if (window.endMs - window.startMs < minSpanSeconds * SECOND) {
    throw badRequest(`The timespan between 't0' and 't1' must be at least ${minSpanSeconds} seconds`);
  }
  return window;
}
