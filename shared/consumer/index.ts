export type { ConsumerBatchSummary, KindCounts, TallyKind } from "./batch-tally.js";
export { type DecodedRecord, decodeRecord } from "./decode-record.js";
export {
  type DeliveryClaim,
  type DeliveryLedger,
  type DeliveryVerdict,
  DynamoDbDeliveryLedger,
  type DynamoDbDeliveryLedgerOptions,
} from "./deliveries.js";
export {
  BatchMetricsError,
  ConsumerError,
  DeliveriesUnavailableError,
  InvalidKafkaEventError,
  type RecordLocation,
  RecordProcessingError,
} from "./errors.js";
export { type ConsumerHandler, type ConsumerHandlerOptions, createConsumerHandler } from "./handler.js";
export { forEachEventRecord, type KafkaEventInput, type KafkaEventRecord } from "./kafka-event.js";
export {
  type JsonLineLogOptions,
  jsonLineLog,
  type RecordLog,
  type RejectedRecordEntry,
} from "./record-log.js";
export type { RecordRejection, RejectionReason } from "./rejection.js";
export {
  type ConsumerSettings,
  consumerSettingsFromEnv,
  DEFAULT_REMEMBER_DELIVERIES_DAYS,
  type MetricDimensionMode,
} from "./settings.js";
