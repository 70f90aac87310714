/**
 * The consumer's telemetry lines of one kind as a compact table: where (network, device), then the
 * kind's own line fields in the order its module declares them (shared/kinds/<kind>.ts,
 * `consumer.fields`). Columns that are empty in every row are left out, and so are columns that no
 * longer fit the terminal's width.
 */
import type { LineFields } from "../../../shared/kinds/kind.js";
import { CONSUMED_KINDS } from "../../../shared/kinds/registry.js";
import { cell, clip, clock, plural, type Style, windowText } from "./format.js";

export interface TableOptions {
  width: number;
  /** Rows shown at most; the rest are counted. */
  maxRows: number;
  paint: (style: Style, text: string) => string;
  /** When the consumer wrote them (its batch's time). */
  at: string;
}

const MAX_CELL = 28;
const GAP = "  ";

interface Column {
  title: string;
  value: (row: LineFields) => string;
}

function columnsOf(kindId: string): Column[] {
  const kind = CONSUMED_KINDS.find((k) => k.id === kindId);
  const own = Object.keys(kind?.consumer.fields ?? {});
  return [
    { title: "network", value: (row) => cell(row.networkName ?? row.networkId) },
    { title: "device", value: (row) => cell(row.deviceName ?? row.serial) },
    ...own.map((name) => ({ title: name, value: (row: LineFields) => cell(row[name]) })),
  ];
}

/** A rule with the kind, the count, the window and the time, then the header and the rows. */
export function renderTelemetryTable(
  kindId: string,
  rows: readonly LineFields[],
  options: TableOptions,
): string[] {
  const { width, maxRows, paint, at } = options;
  const first = rows[0];
  const window = first
    ? `window ${windowText({ start: String(first.windowStart), end: String(first.windowEnd) })}`
    : "";
  const title = `── ${kindId} · ${plural(rows.length, "record")} · ${window} · ${clock(at)} `;
  const lines = [paint("cyan", clip(title.padEnd(width, "─"), width))];

  const shown = rows.slice(0, Math.max(0, maxRows));
  const columns = columnsOf(kindId)
    .map((column) => {
      const values = shown.map((row) => clip(column.value(row), MAX_CELL));
      const size = Math.max(column.title.length, ...values.map((v) => v.length));
      return { ...column, values, size };
    })
    .filter((column) => column.values.some((v) => v !== "–"));
  const fitting: typeof columns = [];
  let used = 0;
  for (const column of columns) {
    const needed = (fitting.length === 0 ? 0 : GAP.length) + column.size;
    if (used + needed > width) break;
    fitting.push(column);
    used += needed;
  }
  const hidden = columns.length - fitting.length;
  if (fitting.length > 0 && shown.length > 0) {
    lines.push(
      paint(
        "dim",
        fitting
          .map((c) => clip(c.title, c.size).padEnd(c.size))
          .join(GAP)
          .trimEnd(),
      ),
    );
    for (let i = 0; i < shown.length; i++) {
      lines.push(
        fitting
          .map((c) => c.values[i]!.padEnd(c.size))
          .join(GAP)
          .trimEnd(),
      );
    }
  }
  const more = [
    rows.length > shown.length ? `… ${plural(rows.length - shown.length, "more record")}` : "",
    hidden > 0 ? `${plural(hidden, "more column")} (too wide)` : "",
  ].filter((part) => part !== "");
  if (more.length > 0) lines.push(paint("dim", `${more.join(", ")}: --json prints every line in full`));
  return lines;
}
