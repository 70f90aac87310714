import { BatchTally } from "./batch-tally.js";
import { type DecodedRecord, decodeRecord } from "./decode-record.js";
import type { DeliveryClaim } from "./deliveries.js";
import { type RecordLocation, RecordProcessingError } from "./errors.js";
import { forEachEventRecord, type KafkaEventInput, type KafkaEventRecord } from "./kafka-event.js";
import type { RecordLog } from "./record-log.js";
import { PREVIEW_CHARS, truncate } from "./rejection.js";
import type { MetricDimensionMode } from "./settings.js";
import { telemetryFields } from "./telemetry-line.js";
import { TelemetryMetrics } from "./telemetry-metrics.js";

export interface ProcessBatchOptions {
  recordLog: RecordLog;
  metricDimensions: MetricDimensionMode;
  /**
   * Record ids an earlier batch already wrote (the deliveries table's verdicts on this batch's
   * claims): skipped and counted as duplicates, like a repeat within the batch.
   */
  repeats?: ReadonlySet<string>;
}

export interface ProcessedBatch {
  tally: BatchTally;
  telemetry: TelemetryMetrics;
}

/** One record of the event, decoded: a valid envelope or the reason it is not one. */
export interface DecodedEntry {
  record: KafkaEventRecord;
  location: RecordLocation;
  decoded: DecodedRecord;
}

/** A record log that holds lines back is flushed after this many records, and at the batch's end. */
const FLUSH_EVERY = 256;

/**
 * Decodes and validates every record of one event, in delivery order, without writing anything.
 * Throws only RecordProcessingError, for a failure no record content explains.
 */
export function decodeBatch(event: KafkaEventInput): DecodedEntry[] {
  const entries: DecodedEntry[] = [];
  forEachEventRecord(event, (record, location) => entries.push(decodeEntry(record, location)));
  return entries;
}

/** The valid records that are the first of their id in the batch: what the deliveries table is asked about. */
export function firstOfEachId(entries: readonly DecodedEntry[]): DeliveryClaim[] {
  const claims: DeliveryClaim[] = [];
  const seen = new Set<string>();
  for (const { decoded, location } of entries) {
    if (!decoded.ok || seen.has(decoded.envelope.id)) continue;
    seen.add(decoded.envelope.id);
    claims.push({ recordId: decoded.envelope.id, location });
  }
  return claims;
}

/**
 * Writes the decoded records in delivery order: a line per rejected record, a line and the metric
 * contributions per valid one, except for a record id already written (earlier in this batch, or
 * by an earlier batch: `repeats`), which is skipped and counted as a duplicate. Throws only
 * RecordProcessingError: the output failed, or something went wrong that no record content explains.
 */
export function writeBatch(entries: readonly DecodedEntry[], options: ProcessBatchOptions): ProcessedBatch {
  const writer = new BatchWriter(options);
  try {
    for (const entry of entries) writer.write(entry);
  } catch (error) {
    writer.abandon();
    throw error;
  }
  return writer.finish();
}

/**
 * decodeBatch then writeBatch in one pass, each record decoded just before it is written: for
 * when the repeats are already known (or there are none), so nothing needs the whole batch decoded
 * first. Holding 10,000 decoded envelopes until the writing began made the garbage collector copy
 * them all out of the young generation, a tenth of the batch's time; decoded one at a time, each
 * is garbage by the next record. The lines, metrics and errors are those of the two steps, except
 * that a record that fails to decode (a bug) ends the batch after the lines before it.
 */
export function processBatch(event: KafkaEventInput, options: ProcessBatchOptions): ProcessedBatch {
  const writer = new BatchWriter(options);
  try {
    forEachEventRecord(event, (record, location) => writer.write(decodeEntry(record, location)));
  } catch (error) {
    writer.abandon();
    throw error;
  }
  return writer.finish();
}

function decodeEntry(record: KafkaEventRecord, location: RecordLocation): DecodedEntry {
  try {
    return { record, location, decoded: decodeRecord(record) };
  } catch (error) {
    throw new RecordProcessingError("internal", location, error);
  }
}

/** The state of writing one batch: its tally, metrics, ids written and the lines not yet flushed. */
class BatchWriter {
  readonly #options: ProcessBatchOptions;
  readonly #tally = new BatchTally();
  readonly #telemetry: TelemetryMetrics;
  readonly #written = new Set<string>();
  readonly #repeats: ReadonlySet<string>;
  /** The first record given to the log since it was last flushed: the one a failed flush names. */
  #unflushed: RecordLocation | undefined;
  #sinceFlush = 0;

  constructor(options: ProcessBatchOptions) {
    this.#options = options;
    this.#telemetry = new TelemetryMetrics(options.metricDimensions);
    this.#repeats = options.repeats ?? new Set<string>();
  }

  write({ record, location, decoded }: DecodedEntry): void {
    const tally = this.#tally;
    const recordLog = this.#options.recordLog;
    tally.seen(location);
    let stage: "internal" | "output" = "internal";
    try {
      if (!decoded.ok) {
        const entry = { location, key: keyText(record), rejection: decoded.rejection };
        stage = "output";
        recordLog.rejected(entry);
        stage = "internal";
        this.#given(location);
        tally.rejected(decoded.rejection.reason, decoded.rejection.kind);
        return;
      }
      const { envelope, kind } = decoded;
      if (this.#written.has(envelope.id) || this.#repeats.has(envelope.id)) {
        tally.duplicate(kind.id);
        return;
      }
      // Once per record, for the line and for every metric of the kind.
      const summary = kind.consumer.summarise(envelope);
      const fields = telemetryFields(kind, envelope, summary, location);
      stage = "output";
      recordLog.telemetry(fields);
      stage = "internal";
      this.#given(location);
      this.#written.add(envelope.id);
      this.#telemetry.add(kind, envelope, summary);
      tally.accepted(kind.id);
    } catch (error) {
      throw new RecordProcessingError(stage, location, error);
    }
    if (this.#sinceFlush >= FLUSH_EVERY) this.#flush();
  }

  /** Every record is written: the rest of the lines go out, and the batch's tally and metrics are complete. */
  finish(): ProcessedBatch {
    this.#flush();
    return { tally: this.#tally, telemetry: this.#telemetry };
  }

  /**
   * The batch failed: the lines of the records before the failure still go out, as they would
   * have line by line. If they cannot, the failure already being thrown is the one to report.
   */
  abandon(): void {
    try {
      this.#flush();
    } catch {
      // The batch fails either way, with the error that stopped it.
    }
  }

  #given(location: RecordLocation): void {
    if (this.#options.recordLog.flush === undefined) return;
    this.#unflushed ??= location;
    this.#sinceFlush += 1;
  }

  #flush(): void {
    const from = this.#unflushed;
    if (from === undefined) return;
    this.#unflushed = undefined;
    this.#sinceFlush = 0;
    try {
      this.#options.recordLog.flush?.();
    } catch (error) {
      // The first line that did not go out is that of the first record since the last flush.
      throw new RecordProcessingError("output", from, error);
    }
  }
}

/** Keys are text in every producer we know of; shown only on rejected lines, to help find the sender. */
function keyText(record: KafkaEventRecord): string | null {
  if (typeof record.key !== "string") return null;
  return truncate(Buffer.from(record.key, "base64").toString("utf8"), PREVIEW_CHARS);
}
