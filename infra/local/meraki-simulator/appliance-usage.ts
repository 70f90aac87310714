// Bytes each MX uplink sent and received, per whole minute, hashed from (seed, serial, uplink,
// minute): a window's total is the sum of its minutes, so tiled windows add up to the window that
// covers them and overlapping ones agree on the minutes they share. What an uplink carries follows
// its status (appliance-uplinks.ts): an active circuit carries the site's traffic, a ready standby
// only its probes, a failed one nothing; an offline MX carried traffic until it stopped reporting.
// The statuses are the dataset's: a flicker of a minute or two between online and alerting
// (availability.ts) moves no traffic here.

import { type ApplianceUplink, applianceUplinks } from "./appliance-uplinks.js";
import type { SimDevice } from "./dataset.js";
import { badRequest } from "./errors.js";
import type { Query } from "./query.js";
import { hash32, unitFromKey } from "./random.js";
import { optionalSeconds, optionalTime, type TimeWindow } from "./time-window.js";
import { minutesIn } from "./uplinks.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 86_400 * SECOND;
const USAGE_DEFAULT_SPAN_MS = DAY;
const USAGE_MAX_SPAN_MS = 14 * DAY;
const USAGE_MAX_LOOKBACK_MS = 30 * DAY;

export interface UplinkUsage {
  interface: string;
  /** Bytes. */
  sent: number;
  received: number;
}

/**
 * uplinks/usage/byNetwork: `timespan` (default 1 day, at most 14 days) ending now, or t0/t1 with t0
 * within 30 days and t1 at most 14 days after t0 (a missing t1 is now or t0 + 14 days, a missing t0
 * is t1 minus a day). Minutes after now have not happened: they count nothing.
 */
export function usageWindow(query: Query, nowMs: number): TimeWindow {
  const t0 = optionalTime(query, "t0");
  const t1 = optionalTime(query, "t1");
  const timespan = optionalSeconds(query, "timespan");
  if (timespan !== undefined && (t0 !== undefined || t1 !== undefined)) {
    throw badRequest("Specify either 'timespan' or 't0'/'t1', not both");
  }
  if (t0 === undefined && t1 === undefined) {
    const spanMs = timespan === undefined ? USAGE_DEFAULT_SPAN_MS : timespan * SECOND;
    if (!(spanMs > 0) || spanMs > USAGE_MAX_SPAN_MS) {
      throw badRequest("'timespan' must be greater than 0 and at most 1209600 seconds");
    }
    return { startMs: nowMs - spanMs, endMs: nowMs };
  }
  const window =
    t1 === undefined
      ? { startMs: t0 ?? nowMs, endMs: Math.min((t0 ?? nowMs) + USAGE_MAX_SPAN_MS, nowMs) }
      : { startMs: t0 ?? t1 - USAGE_DEFAULT_SPAN_MS, endMs: t1 };
  if (window.startMs < nowMs - USAGE_MAX_LOOKBACK_MS) {
    throw badRequest("'t0' can be at most 30 days in the past");
  }
  if (window.endMs <= window.startMs) throw badRequest("'t0' must be before 't1'");
  if (window.endMs - window.startMs > USAGE_MAX_SPAN_MS) {
    throw badRequest("'t1' can be a maximum of 14 days after 't0'");
  }
  return window;
}

/**
 * Each of the MX's uplinks with what it sent and received in the whole minutes of `window` up to
 * now; `lastReportedAtMs` is when it last reported, as the device statuses say.
 */
export function applianceUplinkUsage(
  device: SimDevice,
  seed: number,
  window: TimeWindow,
  nowMs: number,
  lastReportedAtMs: number,
): UplinkUsage[] {
  const now = applianceUplinks(device, seed);
  // Offline and dormant appliances were up until they last reported; the dataset has no earlier outage.
  const down = device.status === "offline" || device.status === "dormant";
  const before = down ? applianceUplinks(device, seed, "online") : now;
  return now.map((uplink, index) => {
    const traffic = {
      now: minuteTraffic(seed, device, uplink),
      before: minuteTraffic(seed, device, before[index]!),
    };
    const usage: UplinkUsage = { interface: uplink.interface, sent: 0, received: 0 };
    for (const minuteMs of minutesIn(window.startMs, Math.min(window.endMs, nowMs))) {
      const bytes = (down && minuteMs + MINUTE > lastReportedAtMs ? traffic.now : traffic.before)(
        minuteMs / MINUTE,
      );
      usage.sent += bytes.sent;
      usage.received += bytes.received;
    }
    return usage;
  });
}

/**
 * The bytes of the uplink in minute number `minute` (epoch minutes) while it has the status it has.
 * Windows may span days of minutes, so the per-minute values mix integers rather than hash text.
 */
function minuteTraffic(
  seed: number,
  device: SimDevice,
  uplink: ApplianceUplink,
): (minute: number) => { sent: number; received: number } {
  const base = hash32(`${seed}|${device.serial}|${uplink.interface}|usage`);
  switch (uplink.status) {
    case "active": {
      // A secondary circuit is typically a cheaper, slower one (as in uplinks.ts).
      const scale = uplink.interface === "wan1" ? 1 : 0.4;
      const receivedMbps =
        (2 + unitFromKey(`${seed}|${device.serial}|${uplink.interface}|rx-base`) * 48) * scale;
      return (minute) => {
        const load = 0.3 + unitMix(base, minute * 2);
        const received = Math.round(((receivedMbps * load * 1e6) / 8) * 60);
        return { received, sent: Math.round(received * (0.1 + 0.3 * unitMix(base, minute * 2 + 1))) };
      };
    }
    case "ready":
      return (minute) => ({
        received: 2_000 + Math.round(unitMix(base, minute * 2) * 2_000),
        sent: 2_000 + Math.round(unitMix(base, minute * 2 + 1) * 2_000),
      });
    default:
      return () => ({ sent: 0, received: 0 });
  }
}

/** Uniform in [0, 1) from two integers (murmur3's finaliser), like unitFromKey but without text. */
function unitMix(base: number, value: number): number {
  let h = (base ^ Math.imul(value, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
