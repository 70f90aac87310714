import { describeLocation, type RecordLocation } from "./kafka-event.js";

/**
 * A failure a retry can fix (the output could not be written) or that nobody can fix without
 * knowing where it happened (a bug). The batch fails, the event source mapping retries it from the
 * first uncommitted offset, and the message names the record that was being processed.
 */
export class RecordProcessingError extends Error {
  override readonly name = "RecordProcessingError";
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
export class BatchMetricsError extends Error {
  override readonly name = "BatchMetricsError";
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
