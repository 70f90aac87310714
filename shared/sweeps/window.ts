import { InvalidScheduledTimeError } from "./errors.js";

/**
 * Sweep windows come from the schedule's scheduled time, never from "now", so that consecutive
 * sweeps tile time with no gap and no overlap and a retried invocation reproduces the same window
 * (and therefore the same record ids).
 */
export interface SweepWindow {
  /** Inclusive start, ISO-8601 UTC with second precision. */
  start: string;
  /** Exclusive end, ISO-8601 UTC with second precision. */
  end: string;
}

export interface WindowRule {
  /** The schedule's period: one window per scheduled invocation. */
  periodSeconds: number;
  /** How far behind real time the API's data is (loss/latency data is at least 2 minutes old). */
  dataDelaySeconds: number;
}

/**
 * Aligns the scheduled time down to the period grid (epoch-aligned), so a manual run or a
 * scheduler with a flexible time window still lands in the slot of the schedule it belongs to.
 */
export function sweepWindow(scheduledTime: Date, rule: WindowRule): SweepWindow {
  const ms = scheduledTime.getTime();
  if (!Number.isFinite(ms)) {
    throw new InvalidScheduledTimeError("scheduled time is not a valid date");
  }
  const periodMs = rule.periodSeconds * 1000;
  const slotMs = Math.floor(ms / periodMs) * periodMs;
  const endMs = slotMs - rule.dataDelaySeconds * 1000;
  return { start: toIsoSeconds(endMs - periodMs), end: toIsoSeconds(endMs) };
}

/** Splits a window into consecutive pieces no longer than maxSeconds (API limits on t1 - t0). */
export function splitWindow(window: SweepWindow, maxSeconds: number): SweepWindow[] {
  const pieces: SweepWindow[] = [];
  const endMs = Date.parse(window.end);
  for (let startMs = Date.parse(window.start); startMs < endMs; startMs += maxSeconds * 1000) {
    pieces.push({
      start: toIsoSeconds(startMs),
      end: toIsoSeconds(Math.min(startMs + maxSeconds * 1000, endMs)),
    });
  }
  return pieces;
}

export function windowSeconds(window: SweepWindow): number {
  return (Date.parse(window.end) - Date.parse(window.start)) / 1000;
}

function toIsoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
