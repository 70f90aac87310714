/**
 * What a local command shows of the functions it runs. `json`: their lines exactly as CloudWatch
 * receives them. `pretty`: the readable view (pretty-log.ts), with a live status line at the bottom
 * when the target is a terminal and the command has a status to show. The lines go to stdout, or
 * to stderr for a command whose stdout carries a result (invoke).
 */

import { painter, type Style } from "./format.js";
import { classify } from "./log-event.js";
import { type OutputTap, tapOutput } from "./output-tap.js";
import { PipelineStats } from "./pipeline-stats.js";
import { PrettyLog } from "./pretty-log.js";
import { renderStatus, StatusBar, type StatusExtras } from "./status-line.js";

export type OutputFormat = "pretty" | "json";

export interface LiveViewOptions {
  format: OutputFormat;
  target: "stdout" | "stderr";
  /** Telemetry rows per kind and batch (pretty). */
  rows: number;
  /** What the status line shows besides the totals; no status line without it. */
  status?: () => StatusExtras;
}

export interface LiveView {
  readonly format: OutputFormat;
  readonly stats: PipelineStats;
  /** A line of the command's own, in the pretty view (the JSON view has only the functions' lines). */
  say(text: string): void;
  /** A line of the command's own without the time in front (continuation lines), pretty view only. */
  print(text: string): void;
  /** Writes to the real stdout, past the view (a command's result). */
  result(text: string): void;
  paint(style: Style, text: string): string;
  /** Shows what the current batch holds (for a command that runs the consumer's code itself). */
  flush(): void;
  stop(): void;
}

const STATUS_INTERVAL_MS = 1_000;

/** `pretty` on a terminal, `json` otherwise, unless `--json` or `--pretty` says which. */
export function outputFormat(
  args: { json?: boolean | undefined; pretty?: boolean | undefined },
  tty: boolean,
): OutputFormat {
  if (args.json) return "json";
  if (args.pretty) return "pretty";
  return tty ? "pretty" : "json";
}

export function startLiveView(options: LiveViewOptions): LiveView {
  const stream = process[options.target];
  const paint = painter(stream);
  const stats = new PipelineStats();
  if (options.format === "json" && options.target === "stdout") {
    return {
      format: "json",
      stats,
      say: () => undefined,
      print: () => undefined,
      result: (text) => process.stdout.write(text),
      paint,
      flush: () => undefined,
      stop: () => undefined,
    };
  }
  let tap: OutputTap | undefined;
  const write = (text: string) => (tap ? tap[options.target](text) : stream.write(text));
  const bar =
    options.format === "pretty" && options.status && stream.isTTY ? new StatusBar(write) : undefined;
  const redraw = () =>
    bar?.draw(renderStatus(stats, options.status!(), Date.now(), stream.columns ?? 120, paint));
  const writeLine = (line: string) => {
    bar?.clear();
    write(`${line}\n`);
    redraw();
  };
  const pretty = new PrettyLog({
    write: writeLine,
    width: () => stream.columns ?? 120,
    rows: options.rows,
    paint,
  });
  tap = tapOutput((line) => {
    if (options.format === "json") {
      writeLine(line);
      return;
    }
    const event = classify(line);
    stats.event(event);
    pretty.event(event);
  });
  const timer = bar ? setInterval(redraw, STATUS_INTERVAL_MS) : undefined;
  timer?.unref();
  return {
    format: options.format,
    stats,
    say: (text) => (options.format === "pretty" ? pretty.say(text) : undefined),
    print: (text) => (options.format === "pretty" ? writeLine(text) : undefined),
    result: (text) => {
      bar?.clear();
      tap!.stdout(text);
      redraw();
    },
    paint,
    flush: () => pretty.flush(),
    stop() {
      if (timer) clearInterval(timer);
      pretty.flush();
      bar?.clear();
      tap?.restore();
      tap = undefined;
    },
  };
}
