/**
 * What one output line of the functions is, for the readable views: the consumer's telemetry and
 * rejected-record lines (shared/consumer/record-log.ts), the sweep handler's and the consumer
 * handler's Powertools lines (shared/handlers/sweep-handler.ts, shared/consumer/handler.ts), EMF
 * metric documents, and anything else by level. The lines themselves are exactly what CloudWatch
 * receives; these views only read them.
 */
import type { ConsumerBatchSummary } from "../../../shared/consumer/batch-tally.js";
import type { LineFields } from "../../../shared/kinds/kind.js";
import type { SweepSummary } from "../../../shared/sweeps/run-sweep.js";

export interface LoggedError {
  name: string;
  message: string;
}

export type LogEvent =
  | { type: "telemetry"; fields: LineFields }
  | { type: "rejected"; at: string; line: RejectedLine }
  | { type: "sweep"; at: string; summary: SweepSummary }
  | { type: "sweep-incomplete"; at: string; summary: SweepSummary; error: LoggedError }
  /** `who`: the kind (once the handler knows the event), else the function's service name. */
  | { type: "sweep-failed"; at: string; who: string; error: LoggedError }
  | { type: "batch"; at: string; summary: ConsumerBatchSummary; offsets: string }
  | { type: "batch-failed"; at: string; error: LoggedError }
  | { type: "metrics" }
  | { type: "log"; at: string; level: string; service: string; message: string; attributes: Attributes }
  | { type: "text"; text: string };

export interface RejectedLine {
  reason: string;
  detail: string;
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  preview: string | null;
}

export type Attributes = Record<string, unknown>;

/** Keys every Powertools line has, and the Lambda context's: not worth showing a person. */
export const STANDARD_KEYS = new Set([
  "level",
  "message",
  "timestamp",
  "service",
  "sampling_rate",
  "cold_start",
  "function_arn",
  "function_memory_size",
  "function_name",
  "function_request_id",
  "xray_trace_id",
]);

export function classify(line: string): LogEvent {
  if (!line.startsWith("{")) return { type: "text", text: line };
  let json: Attributes;
  try {
    json = JSON.parse(line) as Attributes;
  } catch {
    return { type: "text", text: line };
  }
  if ("_aws" in json) return { type: "metrics" };
  const at = String(json.timestamp ?? new Date().toISOString());
  const error = loggedError(json.error);
  switch (json.message) {
    case "telemetry":
      return { type: "telemetry", fields: json as LineFields };
    case "rejected record":
      return { type: "rejected", at, line: json as unknown as RejectedLine };
    case "sweep completed":
      return { type: "sweep", at, summary: json.summary as SweepSummary };
    case "sweep incomplete":
      return { type: "sweep-incomplete", at, summary: json.summary as SweepSummary, error };
    case "sweep failed":
    case "sweep could not start":
      return { type: "sweep-failed", at, who: String(json.sweep ?? json.service), error };
    case "batch processed":
      return {
        type: "batch",
        at,
        summary: json.summary as ConsumerBatchSummary,
        offsets: String(json.offsets ?? ""),
      };
    case "batch failed":
      return { type: "batch-failed", at, error };
    default:
      return {
        type: "log",
        at,
        level: String(json.level ?? "INFO"),
        service: String(json.service ?? ""),
        message: String(json.message ?? ""),
        attributes: Object.fromEntries(Object.entries(json).filter(([key]) => !STANDARD_KEYS.has(key))),
      };
  }
}

function loggedError(value: unknown): LoggedError {
  if (typeof value === "object" && value !== null) {
    const { name, message } = value as Attributes;
    return { name: String(name ?? "Error"), message: String(message ?? "") };
  }
  return { name: "Error", message: value === undefined ? "" : String(value) };
}
