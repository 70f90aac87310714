/**
 * The live status line at the bottom of the terminal: sweeps run, records produced and consumed,
 * consumer lag, the next sweep, the last error. Redrawn in place; cleared before any other line is
 * written, then drawn again below it.
 */
import { clip, clock, count, type Style, until } from "./format.js";
import type { PipelineStats } from "./pipeline-stats.js";

export interface StatusExtras {
  /** Records the consumer groups have yet to read; undefined until first measured. */
  lag?: number | undefined;
  /** The next scheduled sweep. */
  next?: { kind: string; at: number } | undefined;
}

export function renderStatus(
  stats: PipelineStats,
  extras: StatusExtras,
  now: number,
  width: number,
  paint: (style: Style, text: string) => string,
): string {
  const parts = [
    `sweeps ${count(stats.sweepsOk)} ok${stats.sweepsFailed > 0 ? `, ${count(stats.sweepsFailed)} failed` : ""}`,
    `produced ${count(stats.produced)}`,
    `consumed ${count(stats.consumed)}${stats.rejected > 0 ? ` (${count(stats.rejected)} rejected)` : ""}`,
    `lag ${extras.lag === undefined ? "…" : count(extras.lag)}`,
    ...(extras.next ? [`next ${extras.next.kind} in ${until(extras.next.at - now)}`] : []),
    stats.lastError ? `last error ${clock(stats.lastError.at)} ${stats.lastError.text}` : "no errors",
  ];
  const text = clip(`▶ ${parts.join(" │ ")}`, Math.max(10, width - 1));
  return paint(stats.lastError ? "yellow" : "green", text);
}

/** Draws one line in place at the cursor's line of a terminal. */
export class StatusBar {
  #shown = false;

  constructor(private readonly write: (text: string) => void) {}

  draw(text: string): void {
    this.write(`\r\x1b[2K${text}`);
    this.#shown = true;
  }

  clear(): void {
    if (!this.#shown) return;
    this.write("\r\x1b[2K");
    this.#shown = false;
  }
}
