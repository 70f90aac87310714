/** Small text helpers of the terminal views: times, counts, values, fitting text into columns. */
import { styleText } from "node:util";

/** "22:52:28" of an ISO timestamp, in UTC like every window and log timestamp. */
export function clock(iso: string | Date): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  return Number.isNaN(date.getTime()) ? "--:--:--" : date.toISOString().slice(11, 19);
}

/** "22:43–22:48" of a window. */
export function windowText(window: { start: string; end: string }): string {
  return `${clock(window.start).slice(0, 5)}–${clock(window.end).slice(0, 5)}`;
}

/** 1,234 */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** "1 record", "3 records" */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

/** A line value as a cell: null as "–", fractions with at most two decimals. */
export function cell(value: unknown): string {
  if (value === null || value === undefined || value === "") return "–";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
  return String(value);
}

/** Cuts text to `width` characters, marking the cut with "…". */
export function clip(text: string, width: number): string {
  if (width <= 0) return "";
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

/** "1:05" or "12s" until a moment. */
export function until(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export type Style = Parameters<typeof styleText>[0];

/**
 * Styles text for `stream`: colours only when it is a terminal that wants them (node:util's
 * styleText checks the stream, NO_COLOR and FORCE_COLOR).
 */
export function painter(stream: NodeJS.WritableStream): (style: Style, text: string) => string {
  return (style, text) => styleText(style, text, { stream });
}
