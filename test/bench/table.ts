// What every benchmark row reports, and the one table `npm run bench` prints and keeps as JSON.

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

export interface BenchResult {
  /** The row this belongs to (`--only <row>`). */
  row: string;
  measure: string;
  value: number;
  unit: string;
  /** What the value is compared with, measured in the same run. */
  baseline?: { label: string; value: number };
  /** Lower is better (time, bytes, calls) or higher (throughput). */
  better: "lower" | "higher";
  /** The target the issue states, if any; `met` says whether the value reaches it. */
  target?: { text: string; met: boolean };
  note?: string;
}

export const RESULTS_DIR = fileURLToPath(new URL("../../bench-results/", import.meta.url));

/** The improvement over the baseline, as "12.3x" in the direction that is better. */
function ratio(result: BenchResult): string {
  if (result.baseline === undefined || result.baseline.value === 0 || result.value === 0) return "";
  const factor =
    result.better === "higher" ? result.value / result.baseline.value : result.baseline.value / result.value;
  return `${factor >= 100 ? factor.toFixed(0) : factor.toFixed(1)}x`;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en");
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString("en") : value.toFixed(2);
}

const HEADER = ["row", "measure", "value", "baseline", "ratio", "target"];

function cells(results: readonly BenchResult[]): string[][] {
  return results.map((r) => [
    r.row,
    r.measure,
    `${formatNumber(r.value)} ${r.unit}`,
    r.baseline ? `${formatNumber(r.baseline.value)} (${r.baseline.label})` : "",
    ratio(r),
    r.target ? `${r.target.met ? "met" : "MISSED"}: ${r.target.text}` : "",
  ]);
}

/** The table as the terminal shows it: columns padded to line up. */
export function renderTable(results: readonly BenchResult[]): string {
  const header = HEADER;
  const lines = cells(results);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const render = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ");
  return [render(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...lines.map(render)].join("\n");
}

/** The same table in Markdown, as the README's Performance section shows it. */
export function renderMarkdown(results: readonly BenchResult[]): string {
  const row = (values: readonly string[]) => `| ${values.join(" | ")} |`;
  return [row(HEADER), row(HEADER.map(() => "---")), ...cells(results).map(row)].join("\n");
}

export interface BenchRun {
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  results: BenchResult[];
}

export function machine(): BenchRun["machine"] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/**
 * bench-results/<start time>.json, bench-results/latest.json and latest.md, the table in Markdown
 * for the README (the folder is git-ignored).
 */
export function saveRun(run: BenchRun): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${run.startedAt.replaceAll(":", "-")}.json`;
  const json = `${JSON.stringify(run, null, 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(`${RESULTS_DIR}latest.json`, json);
  writeFileSync(`${RESULTS_DIR}latest.md`, `${renderMarkdown(run.results)}\n`);
  return file;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
