import { BatchTally } from "./batch-tally.js";
import { decodeRecord } from "./decode-record.js";
import { RecordProcessingError } from "./errors.js";
import { eventRecords, type KafkaEventInput, type KafkaEventRecord } from "./kafka-event.js";
import type { RecordLog } from "./record-log.js";
import { PREVIEW_CHARS, truncate } from "./rejection.js";
import type { MetricDimensionMode } from "./settings.js";
import { telemetryFields } from "./telemetry-line.js";
import { TelemetryMetrics } from "./telemetry-metrics.js";

export interface ProcessBatchOptions {
  recordLog: RecordLog;
  metricDimensions: MetricDimensionMode;
}

export interface ProcessedBatch {
  tally: BatchTally;
  telemetry: TelemetryMetrics;
}

/**
 * Decodes, validates and writes every record of one event, in delivery order. Bad records are
 * logged and counted and the batch goes on; a record id already written in this batch is skipped.
 * Throws only RecordProcessingError: the output failed, or something went wrong that no record
 * content explains.
 */
export function processBatch(event: KafkaEventInput, options: ProcessBatchOptions): ProcessedBatch {
  const tally = new BatchTally();
  const telemetry = new TelemetryMetrics(options.metricDimensions);
  const written = new Set<string>();
  for (const { record, location } of eventRecords(event)) {
    tally.seen(location);
    let stage: "internal" | "output" = "internal";
    try {
      const decoded = decodeRecord(record);
      if (!decoded.ok) {
        const entry = { location, key: keyText(record), rejection: decoded.rejection };
        stage = "output";
        options.recordLog.rejected(entry);
        stage = "internal";
        tally.rejected(decoded.rejection.reason, decoded.rejection.kind);
        continue;
      }
      const { envelope, kind } = decoded;
      if (written.has(envelope.id)) {
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

/** Keys are text in every producer we know of; shown only on rejected lines, to help find the sender. */
function keyText(record: KafkaEventRecord): string | null {
  if (typeof record.key !== "string") return null;
  return truncate(Buffer.from(record.key, "base64").toString("utf8"), PREVIEW_CHARS);
}
