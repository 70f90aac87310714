/** The local event source mapping: Kafka topics -> SelfManagedKafka events -> a Lambda handler. */
export type { CommitOffset, PartitionRange } from "./errors.js";
export { HandlerInvocationError, KafkaEventSourceError, OffsetCommitError } from "./errors.js";
export type { KafkaEventRecord } from "./event.js";
export type {
  BatchFailure,
  DeliveredBatch,
  EventSourceStats,
  KafkaEventSource,
  KafkaEventSourceOptions,
} from "./event-source.js";
export { startKafkaEventSource } from "./event-source.js";
export type { EventSourceLogger } from "./logger.js";
