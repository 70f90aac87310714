/**
 * Typed failures of the local event source mapping. Each names the group, and where one is involved
 * the topic, partition and offsets, so a log line alone says which records are affected.
 */

/** Offsets `first`..`last` (inclusive) of one partition, as delivered in one event. */
export interface PartitionRange {
  topic: string;
  partition: number;
  firstOffset: number;
  lastOffset: number;
}

/** The offset to commit for a partition: the next record to read, as Kafka expects. */
export interface CommitOffset {
  topic: string;
  partition: number;
  offset: number;
}

export class KafkaEventSourceError extends Error {
  override readonly name: string = "KafkaEventSourceError";
  constructor(
    message: string,
    readonly groupId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function describeRanges(ranges: readonly PartitionRange[]): string {
  return ranges.map((r) => `${r.topic}[${r.partition}] offsets ${r.firstOffset}..${r.lastOffset}`).join(", ");
}

export function describeOffsets(offsets: readonly CommitOffset[]): string {
  return offsets.map((o) => `${o.topic}[${o.partition}] offset ${o.offset}`).join(", ");
}

/** The handler rejected (or threw for) a batch; nothing of the batch was committed. */
export class HandlerInvocationError extends KafkaEventSourceError {
  override readonly name = "HandlerInvocationError";
  constructor(
    groupId: string,
    readonly functionName: string,
    readonly ranges: readonly PartitionRange[],
    /** 1 for the first delivery of the batch, 2 for its first retry, ... */
    readonly attempt: number,
    cause: unknown,
  ) {
    super(
      `${functionName} failed on ${describeRanges(ranges)} (group ${groupId}, attempt ${attempt}): ${reason(cause)}`,
      groupId,
      { cause },
    );
  }
}

/**
 * The broker refused a commit (typically because a rebalance moved the partition or the consumer was
 * evicted from the group). The records stay uncommitted and will be delivered again: at-least-once.
 */
export class OffsetCommitError extends KafkaEventSourceError {
  override readonly name = "OffsetCommitError";
  constructor(
    groupId: string,
    readonly offsets: readonly CommitOffset[],
    cause: unknown,
  ) {
    super(`could not commit ${describeOffsets(offsets)} for group ${groupId}: ${reason(cause)}`, groupId, {
      cause,
    });
  }
}

/** librdkafka's errors are plain objects with a message, not Error instances. */
function reason(cause: unknown): string {
  if (typeof cause === "object" && cause !== null && "message" in cause) return String(cause.message);
  return String(cause);
}
