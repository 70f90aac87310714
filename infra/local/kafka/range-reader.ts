/**
 * Reads a range of records again, partition by partition, from given offsets up to where each
 * partition ended when the read began, without joining any consumer group's assignment or
 * committing: the input of a replay through the consumer handler.
 */
import { randomUUID } from "node:crypto";
import { type CommitOffset, KafkaEventSourceError } from "../event-source/errors.js";
import { type PolledRecord, toPolledRecord } from "../event-source/event.js";
import { GroupConsumer } from "../event-source/group-consumer.js";
import type { EventSourceLogger } from "../event-source/logger.js";
import { type KafkaConnection, withAdmin } from "./admin.js";

/** Where a replay starts: an offset of every chosen partition, or the first record at or after a time. */
export type RangeStart = { offset: number } | { time: Date };

export interface RangeOptions {
  connection: KafkaConnection;
  topic: string;
  /** Default: every partition of the topic. */
  partitions?: number[];
  start: RangeStart;
  /** Stop after this many records in all. */
  max?: number;
  logger: EventSourceLogger;
}

export interface PartitionRange {
  partition: number;
  /** The first offset read. */
  from: number;
  /** The offset after the last one read: the partition's end when the read began. */
  to: number;
}

export interface RangeReader {
  /** What will be read, per partition (partitions with nothing to read are left out). */
  readonly ranges: PartitionRange[];
  /** Up to `max` records, waiting at most `timeoutMs` for the first one. */
  poll(max: number, timeoutMs: number): Promise<PolledRecord[]>;
  /** True once every range has been read (or `max` records were). */
  done(): boolean;
  close(): Promise<void>;
}

const QUIET_MS = 5_000;

export async function openRange(options: RangeOptions): Promise<RangeReader> {
  const { connection, topic, start } = options;
  const ranges = await withAdmin(connection, async (admin) => {
    const ends = await admin.fetchTopicOffsets(topic);
    const starts =
      "time" in start ? await admin.fetchTopicOffsetsByTimestamp(topic, start.time.getTime()) : undefined;
    const chosen = options.partitions ?? ends.map((e) => e.partition);
    const unknown = chosen.filter((p) => !ends.some((e) => e.partition === p));
    if (unknown.length > 0) {
      throw new KafkaEventSourceError(
        `topic ${topic} has no partition ${unknown.join(", ")} (it has ${ends.length}: 0-${ends.length - 1})`,
        "replay",
      );
    }
    return ends
      .filter((end) => chosen.includes(end.partition))
      .map((end) => {
        const low = Number(end.low);
        const high = Number(end.high);
        // No record at or after the time: the broker answers the end (or -1).
        const at = starts
          ? Number(starts.find((s) => s.partition === end.partition)?.offset ?? high)
          : undefined;
        const from = Math.max(
          low,
          at === undefined ? (start as { offset: number }).offset : at < 0 ? high : at,
        );
        return { partition: end.partition, from: Math.min(from, high), to: high };
      })
      .filter((range) => range.from < range.to)
      .sort((a, b) => a.partition - b.partition);
  });

  const positions: CommitOffset[] = ranges.map((r) => ({ topic, partition: r.partition, offset: r.from }));
  const next = new Map(ranges.map((r) => [r.partition, r.from]));
  const limit = options.max ?? Number.POSITIVE_INFINITY;
  let read = 0;
  // A compacted topic may have no record left at the end of a range (offsets are not contiguous
  // there): a range that yields nothing for a while counts as read.
  let progressAt = Date.now();
  const done = () =>
    read >= limit ||
    ranges.every((r) => next.get(r.partition)! >= r.to) ||
    Date.now() - progressAt > QUIET_MS;
  const consumer =
    positions.length === 0
      ? undefined
      : await GroupConsumer.connectAt(
          {
            connection,
            groupId: `semaphore-replay-${randomUUID().slice(0, 8)}`,
            clientId: "semaphore-replay",
            startingPosition: "TRIM_HORIZON",
            connectTimeoutMs: 30_000,
            logger: options.logger,
            onRevoked: () => undefined,
          },
          positions,
        );

  return {
    ranges,
    async poll(max, timeoutMs) {
      if (!consumer || done()) return [];
      const messages = await consumer.poll(max, timeoutMs);
      const records: PolledRecord[] = [];
      for (const message of messages) {
        const range = ranges.find((r) => r.partition === message.partition);
        if (!range || message.offset >= range.to || read >= limit) continue;
        records.push(toPolledRecord(message));
        next.set(message.partition, message.offset + 1);
        read += 1;
      }
      if (messages.length > 0) progressAt = Date.now();
      return records;
    },
    done,
    close: async () => consumer?.close(),
  };
}
