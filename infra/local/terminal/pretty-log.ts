/**
 * The readable view of the functions' output: one line per sweep, the consumer's telemetry as a
 * table per kind and batch, rejected records, warnings and errors. Informational chatter (the
 * event source's partition assignments, EMF documents) is left to `--json`.
 */

import type { LineFields } from "../../../shared/kinds/kind.js";
import type { SweepSummary } from "../../../shared/sweeps/run-sweep.js";
import { cell, clip, clock, count, plural, type Style, windowText } from "./format.js";
import type { Attributes, LogEvent, LoggedError, RejectedLine } from "./log-event.js";
import { renderTelemetryTable } from "./telemetry-table.js";

export interface PrettyLogOptions {
  /** Receives finished lines, without newlines. */
  write: (line: string) => void;
  width: () => number;
  /** Telemetry rows shown per kind and batch. */
  rows: number;
  paint: (style: Style, text: string) => string;
}

export class PrettyLog {
  readonly #options: PrettyLogOptions;
  /** The current batch's telemetry lines by kind, until the consumer reports the batch. */
  #pending = new Map<string, LineFields[]>();
  #pendingRejections: Array<{ at: string; line: RejectedLine }> = [];

  constructor(options: PrettyLogOptions) {
    this.#options = options;
  }

  event(event: LogEvent): void {
    const { paint } = this.#options;
    switch (event.type) {
      case "telemetry": {
        const kind = String(event.fields.kind);
        const rows = this.#pending.get(kind) ?? [];
        rows.push(event.fields);
        this.#pending.set(kind, rows);
        return;
      }
      case "rejected":
        this.#pendingRejections.push({ at: event.at, line: event.line });
        return;
      case "batch":
        this.flush(event.at);
        if (event.summary.duplicates > 0) {
          this.#say(
            event.at,
            paint(
              "dim",
              `consumer skipped ${plural(event.summary.duplicates, "duplicate")} (${event.offsets})`,
            ),
          );
        }
        return;
      case "batch-failed":
        this.flush(event.at);
        this.#say(event.at, `${paint("red", "✗ consumer batch failed")} ${describeError(event.error)}`);
        return;
      case "sweep":
        this.#say(event.at, `${paint("green", "✓")} ${sweepLine(event.summary)}`);
        return;
      case "sweep-incomplete":
        this.#say(
          event.at,
          `${paint("yellow", "! incomplete")} ${sweepLine(event.summary)}: ${describeError(event.error)}`,
        );
        return;
      case "sweep-failed":
        this.#say(event.at, `${paint("red", "✗")} ${event.who} failed: ${describeError(event.error)}`);
        return;
      case "log":
        if (event.level === "WARN") {
          this.#say(
            event.at,
            `${paint("yellow", "!")} ${event.service}: ${event.message}${attributesText(event.attributes)}`,
          );
        } else if (event.level === "ERROR" || event.level === "CRITICAL") {
          this.#say(
            event.at,
            `${paint("red", "✗")} ${event.service}: ${event.message}${attributesText(event.attributes)}`,
          );
        }
        return;
      case "text":
        this.#options.write(event.text);
        return;
      case "metrics":
        return;
    }
  }

  /** Writes what the current batch holds: a table per kind, then its rejected records. */
  flush(at: string = new Date().toISOString()): void {
    const { write, width, rows, paint } = this.#options;
    for (const [kind, lines] of this.#pending) {
      for (const line of renderTelemetryTable(kind, lines, { width: width(), maxRows: rows, paint, at }))
        write(line);
    }
    for (const { at: when, line } of this.#pendingRejections) {
      this.#say(
        when,
        `${paint("yellow", "! rejected")} ${line.topic}-${line.partition}@${line.offset} ${line.reason}: ${line.detail}` +
          (line.preview ? paint("dim", `  ${clip(line.preview, 80)}`) : ""),
      );
    }
    this.#pending = new Map();
    this.#pendingRejections = [];
  }

  /** A line of this view's own (the runtime's progress). */
  say(text: string, at: string = new Date().toISOString()): void {
    this.#say(at, text);
  }

  #say(at: string, text: string): void {
    this.#options.write(`${this.#options.paint("dim", clock(at))} ${text}`);
  }
}

function sweepLine(summary: SweepSummary): string {
  const shard = summary.shard ? ` [shard ${summary.shard.index + 1}/${summary.shard.count}]` : "";
  const failed = summary.organizations.failed.length;
  const dropped = Object.values(summary.records.dropped).reduce((sum, n) => sum + n, 0);
  return [
    `${summary.sweep}${shard}`,
    `window ${windowText(summary.window)}`,
    plural(summary.records.produced, "record"),
    `→ ${summary.topic}`,
    plural(summary.organizations.swept, "organisation"),
    ...(failed > 0
      ? [`${count(failed)} failed (${summary.organizations.failed.map((f) => f.organizationId).join(", ")})`]
      : []),
    ...(dropped > 0 ? [`${count(dropped)} dropped`] : []),
    `${count(summary.durationMs)} ms`,
  ].join(" · ");
}

function describeError(error: LoggedError): string {
  return error.message ? `${error.name}: ${error.message}` : error.name;
}

/** The attributes worth a glance, `key=value`, errors by name and message. */
function attributesText(attributes: Attributes): string {
  const parts = Object.entries(attributes).map(([key, value]) => {
    if (key === "error" && typeof value === "object" && value !== null) {
      const { name, message } = value as Attributes;
      return `${String(name)}: ${String(message)}`;
    }
    return `${key}=${typeof value === "object" ? JSON.stringify(value) : cell(value)}`;
  });
  return parts.length > 0 ? ` (${clip(parts.join(", "), 300)})` : "";
}
