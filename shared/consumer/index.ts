export type { ConsumerBatchSummary, KindCounts, TallyKind } from "./batch-tally.js";
export { type DecodedRecord, decodeRecord } from "./decode-record.js";
export type { TelemetryEnvelope, TelemetryKind } from "./envelopes.js";
export { BatchMetricsError, RecordProcessingError } from "./errors.js";
export { type ConsumerHandler, type ConsumerHandlerOptions, createConsumerHandler } from "./handler.js";
export {
  eventRecords,
  InvalidKafkaEventError,
  type KafkaEventInput,
  type KafkaEventRecord,
  type RecordLocation,
} from "./kafka-event.js";
export {
  type JsonLineLogOptions,
  jsonLineLog,
  type RecordLog,
  type RejectedRecordEntry,
} from "./record-log.js";
export type { RecordRejection, RejectionReason } from "./rejection.js";
export { type ConsumerSettings, consumerSettingsFromEnv, type MetricDimensionMode } from "./settings.js";
