import { BatchTally } from "./batch-tally.js";
import { type DecodedRecord, decodeRecord } from "./decode-record.js";
import type { DeliveryClaim } from "./deliveries.js";
import { type RecordLocation, RecordProcessingError } from "./errors.js";
import { eventRecords, type KafkaEventInput, type KafkaEventRecord } from "./kafka-event.js";
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

/**
 * Decodes and validates every record of one event, in delivery order, without writing anything.
 * Throws only RecordProcessingError, for a failure no record content explains.
 */
export function decodeBatch(event: KafkaEventInput): DecodedEntry[] {
  const entries: DecodedEntry[] = [];
  for (const { record, location } of eventRecords(event)) {
    try {
      entries.push({ record, location, decoded: decodeRecord(record) });
    } catch (error) {
      throw new RecordProcessingError("internal", location, error);
    }
  }
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
  const tally = new BatchTally();
  const telemetry = new TelemetryMetrics(options.metricDimensions);
  const written = new Set<string>();
  const repeats = options.repeats ?? new Set<string>();
  for (const { record, location, decoded } of entries) {
    tally.seen(location);
    let stage: "internal" | "output" = "internal";
    try {
      if (!decoded.ok) {
        const entry = { location, key: keyText(record), rejection: decoded.rejection };
        stage = "output";
        options.recordLog.rejected(entry);
        stage = "internal";
        tally.rejected(decoded.rejection.reason, decoded.rejection.kind);
        continue;
      }
      const { envelope, kind } = decoded;
      if (written.has(envelope.id) || repeats.has(envelope.id)) {
        tally.duplicate(kind.id);
        continue;
      }
      // Once per record, for the line and for every metric of the kind.
      const summary = kind.consumer.summarise(envelope);
      const fields = telemetryFields(kind, envelope, summary, location);
      stage = "output";
      options.recordLog.telemetry(fields);
      stage = "internal";
      written.add(envelope.id);
      telemetry.add(kind, envelope, summary);
      tally.accepted(kind.id);
    } catch (error) {
      throw new RecordProcessingError(stage, location, error);
    }
  }
  return { tally, telemetry };
}

/** decodeBatch then writeBatch: one batch, with the repeats already known (or none). */
export function processBatch(event: KafkaEventInput, options: ProcessBatchOptions): ProcessedBatch {
  return writeBatch(decodeBatch(event), options);
}

/** Keys are text in every producer we know of; shown only on rejected lines, to help find the sender. */
function keyText(record: KafkaEventRecord): string | null {
  if (typeof record.key !== "string") return null;
  return truncate(Buffer.from(record.key, "base64").toString("utf8"), PREVIEW_CHARS);
}
