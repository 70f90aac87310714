/** Running totals of the pipeline, read from the functions' output lines, for the status line. */
import type { LogEvent } from "./log-event.js";

export interface LastError {
  at: string;
  text: string;
}

export class PipelineStats {
  sweepsOk = 0;
  sweepsFailed = 0;
  produced = 0;
  consumed = 0;
  rejected = 0;
  lastError: LastError | null = null;

  event(event: LogEvent): void {
    switch (event.type) {
      case "sweep":
        this.sweepsOk += 1;
        this.produced += event.summary.records.produced;
        return;
      case "sweep-incomplete":
        this.sweepsFailed += 1;
        this.produced += event.summary.records.produced;
        this.lastError = { at: event.at, text: `${event.summary.sweep}: ${event.error.name}` };
        return;
      case "sweep-failed":
        this.sweepsFailed += 1;
        this.lastError = { at: event.at, text: `${event.who}: ${event.error.name}: ${event.error.message}` };
        return;
      case "batch":
        this.consumed += event.summary.records;
        this.rejected += event.summary.rejected;
        return;
      case "batch-failed":
        this.lastError = { at: event.at, text: `consumer: ${event.error.name}: ${event.error.message}` };
        return;
      case "log":
        if (event.level === "ERROR" || event.level === "CRITICAL") {
          this.lastError = { at: event.at, text: `${event.service}: ${event.message}` };
        }
        return;
      default:
        return;
    }
  }
}
