import type { UplinkLossLatencyRecord } from "../schemas/uplink-loss-latency.js";

type Sample = UplinkLossLatencyRecord["data"]["samples"][number];

/** One measure (loss or latency) over a record's samples; null where no sample had a value. */
export interface MeasureSummary {
  /** The value of the newest sample that has one: what the uplink looks like now. */
  latest: number | null;
  avg: number | null;
  max: number | null;
  /** Samples with a value; the API reports null for minutes without probe results. */
  count: number;
  sum: number;
}

export interface UplinkSummary {
  lossPercent: MeasureSummary;
  latencyMs: MeasureSummary;
}

/**
 * A record carries one sample per minute of its window. Log lines and metrics want a handful of
 * numbers, not the series: the latest value (current state), the average (typical) and the maximum
 * (worst minute). Nulls are skipped rather than read as zero loss.
 */
export function summariseUplinkSamples(samples: readonly Sample[]): UplinkSummary {
  return {
    lossPercent: summarise(samples, (sample) => sample.lossPercent),
    latencyMs: summarise(samples, (sample) => sample.latencyMs),
  };
}

function summarise(samples: readonly Sample[], measure: (sample: Sample) => number | null): MeasureSummary {
  let latest: number | null = null;
  let latestAt: string | null = null;
  let max: number | null = null;
  let sum = 0;
  let count = 0;
  for (const sample of samples) {
    const value = measure(sample);
    if (value === null) continue;
    count += 1;
    sum += value;
    if (max === null || value > max) max = value;
    if (latestAt === null || !isEarlier(sample.ts, latestAt)) {
      latestAt = sample.ts;
      latest = value;
    }
  }
  return { latest, avg: count === 0 ? null : roundTo3(sum / count), max, count, sum };
}

/**
 * Envelope instants are ISO-8601 UTC ("Z"); two of the same length have the same fractional digits,
 * so text order is time order and the common case skips Date.parse. Otherwise compare instants:
 * "10:00:00.5Z" sorts before "10:00:00Z" as text.
 */
function isEarlier(a: string, b: string): boolean {
  return a.length === b.length ? a < b : Date.parse(a) < Date.parse(b);
}

/** Averages of decimal inputs carry float noise (21.400000000000002); three decimals is ample. */
export function roundTo3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
