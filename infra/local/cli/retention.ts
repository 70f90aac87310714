import { UsageError } from "./errors.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `retention.ms` from "7d", "36h", "90m", "604800000" (milliseconds) or "forever" (-1, Kafka's
 * "keep every record").
 */
export function parseRetentionMs(text: string): number {
  if (text === "forever" || text === "-1") return -1;
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `--retention must be a duration such as 7d, 36h, 90m or 604800000 (ms), or forever, not "${text}"`,
    );
  }
  return Number(match[1]) * UNIT_MS[match[2] ?? "ms"]!;
}

/** "7d", "36h", "forever": how retention.ms reads best. */
export function formatRetentionMs(ms: number): string {
  if (ms < 0) return "forever";
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (ms >= UNIT_MS[unit]! && ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  }
  return `${ms}ms`;
}
