import { stdoutLines } from "../observability/stdout-lines.js";
import type { RecordLocation } from "./errors.js";
import type { RecordRejection } from "./rejection.js";
import type { TelemetryFields } from "./telemetry-line.js";

/**
 * Where the per-record lines go: one "telemetry" line per accepted record and one "rejected record"
 * line per rejected one. These lines are the consumer's output, not diagnostics, so the log level
 * does not silence them.
 */
export interface RecordLog {
  telemetry(fields: TelemetryFields): void;
  rejected(entry: RejectedRecordEntry): void;
  /**
   * Writes out the lines the log holds back, if it holds any back: called every few hundred
   * records and once a batch's records are all given, so every line is out before the batch ends.
   * A failure here is a failure to write those lines.
   */
  flush?(): void;
}

export interface RejectedRecordEntry {
  location: RecordLocation;
  /** The record's key as text, truncated; null when the record has none. */
  key: string | null;
  rejection: RecordRejection;
}

export interface JsonLineLogOptions {
  serviceName: string;
  /**
   * Receives one serialised line without its newline, as soon as it is made. By default the lines
   * go to stdout (CloudWatch Logs in Lambda), held back until flush(): one write per few hundred
   * lines instead of one per line.
   */
  write?: (line: string) => void;
  now?: () => Date;
}

/**
 * Writes each line as one compact JSON object with the same leading keys as the Powertools Logger
 * (level, message, timestamp, service), so one Logs Insights query reads both. It bypasses the
 * Logger on purpose: with logger.info() per line a 10,000-record batch took about twice as long
 * (1.7 to 2.6 times across runs) and wrote a third more bytes, the Lambda context on every line
 * (`npm run bench -- --only consumer` measures both). The context is on the Logger's "batch processed"
 * line instead, once per batch.
 */
export function jsonLineLog(options: JsonLineLogOptions): RecordLog {
  const out = options.write ? { write: options.write, flush: () => undefined } : stdoutLines();
  const now = options.now ?? (() => new Date());
  const service = options.serviceName;
  const serviceJson = JSON.stringify(service);
  // Lines of a batch mostly share their millisecond: its text is made once.
  let lastMs: number | undefined;
  let lastText = "";
  const timestampNow = () => {
    const date = now();
    const ms = date.getTime();
    if (ms !== lastMs) {
      lastText = date.toISOString();
      lastMs = ms;
    }
    return lastText;
  };
  return {
    telemetry(fields) {
      const timestamp = timestampNow();
      out.write(
        telemetryLine(timestamp, serviceJson, fields) ??
          JSON.stringify({ level: "INFO", message: "telemetry", timestamp, service, ...fields }),
      );
    },
    rejected({ location, key, rejection }) {
      out.write(
        JSON.stringify({
          level: "WARN",
          message: "rejected record",
          timestamp: timestampNow(),
          service,
          reason: rejection.reason,
          detail: rejection.detail,
          kind: rejection.kind,
          schema: rejection.schema,
          topic: location.topic,
          partition: location.partition,
          offset: location.offset,
          key,
          valueBytes: rejection.valueBytes,
          preview: rejection.preview,
        }),
      );
    },
    flush: out.flush,
  };
}

const HEAD_KEYS = new Set(["level", "message", "timestamp", "service"]);

/** Whether a field name keeps its place after the leading keys (below); known per name once seen. */
const placedAfterHead = new Map<string, boolean>();

/**
 * The line JSON.stringify would make of `{ level, message, timestamp, service, ...fields }`,
 * without spreading 25 fields into a fresh object per record only to serialise it (a third of the
 * line's cost): the leading keys as text, then the fields' own serialisation without its opening
 * brace. Gives up (undefined: the caller stringifies the spread) for a field whose place the spread
 * would change: one named like a leading key (overwritten in place) or an array index (objects list
 * those first).
 */
function telemetryLine(timestamp: string, serviceJson: string, fields: TelemetryFields): string | undefined {
  for (const name in fields) {
    let placed = placedAfterHead.get(name);
    if (placed === undefined) {
      placed = !HEAD_KEYS.has(name) && !isArrayIndex(name);
      placedAfterHead.set(name, placed);
    }
    if (!placed) return undefined;
  }
  const body = JSON.stringify(fields);
  const head = `{"level":"INFO","message":"telemetry","timestamp":"${timestamp}","service":${serviceJson}`;
  // "{}" when no field has a value to show (JSON.stringify leaves out undefined ones).
  return body === "{}" ? `${head}}` : `${head},${body.slice(1)}`;
}

/** "0", "17": the names an object keeps ahead of all others, whatever order they were added in. */
function isArrayIndex(name: string): boolean {
  const index = Number(name);
  return Number.isInteger(index) && index >= 0 && index < 2 ** 32 - 1 && String(index) === name;
}
