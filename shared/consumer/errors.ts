// The consumer's failures, one base for the area. Bad records are not errors (they are rejected,
// logged and counted); these are what fails a batch, and each names where it happened.

import { SemaphoreError } from "../errors.js";

/** Where a record sits in Kafka: what an operator needs to find it again. */
export interface RecordLocation {
  topic: string;
  partition: number;
  offset: number;
}

export function describeLocation(location: RecordLocation): string {
  return `${location.topic}-${location.partition}@${location.offset}`;
}

export abstract class ConsumerError extends SemaphoreError {}

/** The invocation's event is not a Kafka event at all (nothing to process, nothing to retry). */
export class InvalidKafkaEventError extends ConsumerError {}

/**
 * A failure a retry can fix (the output could not be written) or that nobody can fix without
 * knowing where it happened (a bug). The batch fails, the event source mapping retries it from the
 * first uncommitted offset, and the message names the record that was being processed.
 */
export class RecordProcessingError extends ConsumerError {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;

  constructor(
    readonly stage: "output" | "internal",
    location: RecordLocation,
    cause: unknown,
  ) {
    const what = stage === "output" ? "could not write the output of" : "unexpected error while processing";
    super(
      `${what} record ${describeLocation(location)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.topic = location.topic;
    this.partition = location.partition;
    this.offset = location.offset;
  }
}

/** Publishing the batch's metrics failed after every record was processed. */
export class BatchMetricsError extends ConsumerError {
  constructor(
    readonly records: string,
    cause: unknown,
  ) {
    super(
      `could not publish the metrics of the batch (${records}): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * The deliveries table (shared/consumer/deliveries.ts) did not answer whether a record was written
 * before. The batch fails and the mapping retries it: writing it without knowing would count the
 * records a retried sweep repeated twice.
 */
export class DeliveriesUnavailableError extends ConsumerError {
  constructor(
    readonly tableName: string,
    readonly at: string,
    cause: unknown,
  ) {
    super(
      `could not check the deliveries table ${tableName} for record ${at}: ` +
        `${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`,
      { cause },
    );
  }
}
