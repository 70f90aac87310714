import { isEarlierInstant } from "../schemas/envelope.js";
import type { ValueSummary } from "./kind.js";

/** One measure over a record's time series; null where no point had a value. */
export interface SeriesSummary extends ValueSummary {
  /** The value of the newest point that has one: what the subject looks like now. */
  latest: number | null;
  avg: number | null;
}

/**
 * A record that carries a series (one point per minute of its window, say) is summarised for log
 * lines and metrics: the latest value (current state), the average (typical), the minimum and the
 * maximum (worst minute). Null points are skipped rather than read as zero. `at` orders the points;
 * ISO-8601 UTC instants of the same length compare as text, so the common case needs no Date.parse.
 */
export function summariseSeries<Point>(
  points: readonly Point[],
  value: (point: Point) => number | null,
  at: (point: Point) => string,
): SeriesSummary {
  let latest: number | null = null;
  let latestAt: string | null = null;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  for (const point of points) {
    const v = value(point);
    if (v === null) continue;
    count += 1;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    const t = at(point);
    if (latestAt === null || !isEarlierInstant(t, latestAt)) {
      latestAt = t;
      latest = v;
    }
  }
  return {
    latest,
    avg: count === 0 ? null : roundTo3(sum / count),
    min: count === 0 ? Number.NaN : min,
    max: count === 0 ? Number.NaN : max,
    count,
    sum,
  };
}

/** The summary as a metric contribution: nothing when no point had a value. */
export function contribution(summary: SeriesSummary): ValueSummary | null {
  return summary.count === 0 ? null : summary;
}

/** A line field: the extreme, or null when no point had a value. */
export function extreme(summary: SeriesSummary, which: "min" | "max"): number | null {
  return summary.count === 0 ? null : summary[which];
}

/** Averages of decimal inputs carry float noise (21.400000000000002); three decimals is ample. */
export function roundTo3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
