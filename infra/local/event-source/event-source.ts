/**
 * A local stand-in for Lambda's self-managed Kafka event source mapping: it polls topics as a member
 * of a consumer group, invokes the handler with SelfManagedKafka events, and commits offsets only
 * after the handler succeeded (at-least-once, like AWS).
 *
 * Failures: a handler error leaves the batch uncommitted, and the same records (same offsets) are
 * delivered again, after retryDelayMs doubling per attempt up to 30 s, until the handler succeeds;
 * that is AWS's default for Kafka (MaximumRetryAttempts -1). With maxRetries set, a batch that still
 * fails after that many retries is handed to onFailure (like an on-failure destination), committed
 * and skipped, so its partitions move on.
 *
 * Rebalances and stop: only records of partitions this member still owns are ever committed. Records
 * polled from a partition that is taken away (or from any partition, on stop) and not yet committed
 * are dropped; whoever owns the partition next reads them again from the committed offset.
 */
import type { TopicPartition } from "@confluentinc/kafka-javascript";
import type { Context, SelfManagedKafkaEvent } from "aws-lambda";
import type { KafkaConnection } from "../kafka/admin.js";
import { lambdaContext } from "../lambda-context.js";
import { RecordBatcher } from "./batcher.js";
import {
  type CommitOffset,
  describeRanges,
  HandlerInvocationError,
  KafkaEventSourceError,
  type PartitionRange,
} from "./errors.js";
import {
  buildEvent,
  commitOffsets,
  envelopeBytes,
  type PolledRecord,
  partitionRanges,
  toPolledRecord,
} from "./event.js";
import { GroupConsumer } from "./group-consumer.js";
import type { EventSourceLogger } from "./logger.js";

export interface KafkaEventSourceOptions {
  connection: KafkaConnection;
  topics: string[];
  groupId: string;
  /** Records per event, at most (BatchSize, 1-10000). */
  batchSize: number;
  /** Seconds to gather records before invoking, from the batch's first record (0-300). */
  batchingWindowSeconds: number;
  /**
   * Where the group starts on partitions it has no committed offset for. LATEST is the end of each
   * partition when start is called (AWS fixes it when the mapping is created).
   */
  startingPosition: "TRIM_HORIZON" | "LATEST";
  handler: (event: SelfManagedKafkaEvent, context: Context) => Promise<unknown>;
  /** Name in the Lambda context given to the handler. Default "semaphore-consumer". */
  functionName?: string;
  /** Delay before the first retry of a failed batch; doubles per retry, up to 30 s. Default 1000. */
  retryDelayMs?: number;
  /** Retries of a failed batch before it is given up (see onFailure). Default: unlimited, like AWS. */
  maxRetries?: number;
  /** A batch given up after maxRetries; it is committed (skipped) once this returns. */
  onFailure?: (failure: BatchFailure) => void | Promise<void>;
  /** After each successful invocation, once its offsets are committed. */
  onBatch?: (batch: DeliveredBatch) => void;
  /** Default: console. */
  logger?: EventSourceLogger;
  /** How long start may take to connect and join the group. Default 30 s. */
  startTimeoutMs?: number;
}

export interface DeliveredBatch {
  event: SelfManagedKafkaEvent;
  /** 1 when the first delivery succeeded. */
  attempt: number;
  /** Empty when the broker refused the commit (the records will be delivered again). */
  committed: CommitOffset[];
}

export interface BatchFailure {
  event: SelfManagedKafkaEvent;
  error: HandlerInvocationError;
  attempts: number;
}

export interface EventSourceStats {
  /** Successful invocations. */
  batches: number;
  /** Records in successful invocations. */
  records: number;
  /** Invocations that failed. */
  failures: number;
  /** Invocations that delivered a batch again after a failure. */
  retries: number;
}

export interface KafkaEventSource {
  /**
   * Stops polling, lets a running invocation finish (and commits it if it succeeded), leaves the group
   * and closes the client. Records polled but not committed are delivered again on the next start.
   */
  stop(): Promise<void>;
  stats(): EventSourceStats;
  /** Resolves once stopped; rejects if the source failed on its own (e.g. rejected credentials). */
  done: Promise<void>;
}

/** Lambda's invocation payload limit (6 MB): AWS never builds a larger event. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const MAX_RETRY_DELAY_MS = 30_000;
const POLL_SLICE_MS = 200;

/**
 * Resolves once the consumer has joined the group and received its partitions. Rejects with a
 * KafkaAuthenticationError (from ../kafka/admin.js) as soon as the broker refuses the credentials,
 * and with a KafkaEventSourceError for invalid options or a topic that does not exist.
 */
export async function startKafkaEventSource(options: KafkaEventSourceOptions): Promise<KafkaEventSource> {
  validate(options);
  const logger = options.logger ?? console;
  const functionName = options.functionName ?? "semaphore-consumer";
  const { groupId } = options;
  let stopping = false;
  let inFlight: PolledRecord[] = [];
  const counts: EventSourceStats = { batches: 0, records: 0, failures: 0, retries: 0 };

  const consumer = await GroupConsumer.connect(
    {
      connection: options.connection,
      groupId,
      clientId: `local-event-source-${functionName}`,
      startingPosition: options.startingPosition,
      connectTimeoutMs: options.startTimeoutMs ?? 30_000,
      logger,
      onRevoked: (partitions) => {
        batcher.discard(partitions);
        inFlight = inFlight.filter((r) => !partitions.some((p) => sameTopicPartition(p, r)));
      },
    },
    options.topics,
  );
  const batcher = new RecordBatcher(
    { poll: async (max, timeoutMs) => (await consumer.poll(max, timeoutMs)).map(toPolledRecord) },
    {
      batchSize: options.batchSize,
      windowMs: options.batchingWindowSeconds * 1000,
      maxPayloadBytes: MAX_PAYLOAD_BYTES,
      envelopeBytes: envelopeBytes(options.connection.bootstrapServers),
      pollSliceMs: POLL_SLICE_MS,
    },
  );

  /** Delivers one batch until it succeeds, is given up, or every record in it was revoked. */
  async function deliver(batch: PolledRecord[]): Promise<void> {
    inFlight = batch;
    for (let attempt = 1; ; attempt++) {
      const event = buildEvent(options.connection.bootstrapServers, inFlight);
      const ranges = partitionRanges(inFlight);
      const size = inFlight.length; // inFlight shrinks if a rebalance takes partitions meanwhile
      if (attempt > 1) counts.retries++;
      try {
        await Promise.resolve().then(() => options.handler(event, lambdaContext(functionName)));
      } catch (cause) {
        counts.failures++;
        const error = new HandlerInvocationError(groupId, functionName, ranges, attempt, cause);
        const retriesLeft = (options.maxRetries ?? Number.POSITIVE_INFINITY) - (attempt - 1);
        logger.error(
          retriesLeft > 0 ? "handler failed; the batch will be delivered again" : "handler failed; giving up",
          { groupId, functionName, attempt, partitions: ranges, error },
        );
        if (retriesLeft <= 0 && (await handedOver({ event, error, attempts: attempt }))) {
          await commit(inFlight, ranges);
          return;
        }
        await waitBeforeRetry(attempt);
        if (stopping || inFlight.length === 0) return; // uncommitted: read again by whoever owns them
        continue;
      }
      counts.batches++;
      counts.records += size;
      const committed = await commit(inFlight, ranges);
      options.onBatch?.({ event, attempt, committed });
      return;
    }
  }

  /** False when onFailure threw: the batch is then kept and retried rather than skipped unrecorded. */
  async function handedOver(failure: BatchFailure): Promise<boolean> {
    try {
      await options.onFailure?.(failure);
      return true;
    } catch (error) {
      logger.error("onFailure failed; the batch will be delivered again", { groupId, error });
      return false;
    }
  }

  /** [] when the broker refused the commit; the records will then be delivered again. */
  async function commit(records: PolledRecord[], ranges: PartitionRange[]): Promise<CommitOffset[]> {
    const offsets = commitOffsets(records);
    try {
      await consumer.commit(offsets);
      return offsets;
    } catch (error) {
      logger.warn("offsets not committed; these records will be delivered again", {
        groupId,
        partitions: describeRanges(ranges),
        error,
      });
      return [];
    }
  }

  /** Paused, but still polling: the membership stays alive and rebalances can take records away. */
  async function waitBeforeRetry(attempt: number): Promise<void> {
    const base = options.retryDelayMs ?? 1_000;
    const delay = Math.min(base * 2 ** (attempt - 1), Math.max(base, MAX_RETRY_DELAY_MS));
    consumer.pause();
    try {
      await batcher.idle(delay, () => stopping || inFlight.length === 0);
    } finally {
      consumer.resume();
    }
  }

  async function run(): Promise<void> {
    while (!stopping) {
      const batch = await batcher.next(() => stopping);
      if (batch.length > 0) await deliver(batch);
    }
  }

  const loop = run();
  loop.catch(() => {}); // Observed through `running`.
  const running = Promise.race([loop, consumer.failed]);
  running.catch(() => {}); // Observed through `done`.
  /** The client is closed only once the loop is out of it, a running invocation included. */
  const shutDown = async () => {
    stopping = true;
    await loop.catch(() => undefined);
    await consumer.close();
  };

  const deadline = startDeadline(options);
  try {
    await Promise.race([consumer.assigned, running, deadline.expired]);
  } catch (error) {
    await shutDown();
    throw error;
  } finally {
    deadline.cancel();
  }

  const done = (async () => {
    try {
      await running;
    } catch (error) {
      logger.error("the Kafka event source stopped on an error", { groupId, error });
      throw error;
    } finally {
      await shutDown();
    }
  })();
  done.catch(() => {}); // Reported through the logger; awaiting it is optional.

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopping = true;
      stopped ??= done.catch(() => undefined);
      return stopped;
    },
    stats: () => ({ ...counts }),
    done,
  };
}

function sameTopicPartition(p: TopicPartition, r: PolledRecord): boolean {
  return p.topic === r.topic && p.partition === r.partition;
}

function startDeadline(options: KafkaEventSourceOptions): { expired: Promise<never>; cancel: () => void } {
  const ms = options.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const topics = options.topics.join(", ");
      const message = `the event source for ${topics} did not join consumer group ${options.groupId} within ${ms} ms`;
      reject(new KafkaEventSourceError(message, options.groupId));
    }, ms);
  });
  expired.catch(() => {}); // Raced by start.
  return { expired, cancel: () => clearTimeout(timer) };
}

function validate(options: KafkaEventSourceOptions): void {
  const problems: string[] = [];
  if (options.topics.length === 0) problems.push("topics: at least one topic is needed");
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 10_000)
    problems.push(`batchSize: ${options.batchSize} is not an integer in 1..10000`);
  if (
    !Number.isFinite(options.batchingWindowSeconds) ||
    options.batchingWindowSeconds < 0 ||
    options.batchingWindowSeconds > 300
  )
    problems.push(`batchingWindowSeconds: ${options.batchingWindowSeconds} is not in 0..300`);
  if (options.maxRetries !== undefined && !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0))
    problems.push(`maxRetries: ${options.maxRetries} is not a non-negative integer`);
  if (options.retryDelayMs !== undefined && !(options.retryDelayMs >= 0))
    problems.push(`retryDelayMs: ${options.retryDelayMs} is negative`);
  if (problems.length > 0) {
    throw new KafkaEventSourceError(
      `invalid event source options for group ${options.groupId}:\n  - ${problems.join("\n  - ")}`,
      options.groupId,
    );
  }
}
