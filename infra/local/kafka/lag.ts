/**
 * Consumer group lag: per partition, how many records lie between the group's committed offset
 * and the end of the partition. The same numbers `kafka-consumer-groups --describe` shows.
 */
import type { KafkaJS } from "@confluentinc/kafka-javascript";

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The next offset the group will read; null when it committed none on this partition. */
  committed: number | null;
  /** The offset of the next record to be written (the high watermark). */
  end: number;
  /** Records the group has not read: end - committed, or every retained record without a commit. */
  lag: number;
}

export interface GroupLag {
  groupId: string;
  partitions: PartitionLag[];
  /** Sum over the partitions. */
  total: number;
}

/**
 * The group's lag on `topics`, or on every topic it has committed offsets for when `topics` is
 * omitted. A group that never committed (or does not exist) lags by every retained record.
 */
export async function groupLag(
  admin: KafkaJS.Admin,
  groupId: string,
  topics?: readonly string[],
): Promise<GroupLag> {
  const committed = await retrying(() =>
    admin.fetchOffsets({ groupId, ...(topics ? { topics: [...topics] } : {}), timeout: 15_000 }),
  );
  const names = topics ?? committed.map((t) => t.topic);
  const partitions: PartitionLag[] = [];
  for (const topic of names) {
    const ends = await admin.fetchTopicOffsets(topic);
    const offsets = new Map(
      (committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [
        p.partition,
        Number(p.offset),
      ]),
    );
    for (const end of [...ends].sort((a, b) => a.partition - b.partition)) {
      const at = offsets.get(end.partition);
      const next = at !== undefined && at >= 0 ? at : null;
      const high = Number(end.high);
      partitions.push({
        topic,
        partition: end.partition,
        committed: next,
        end: high,
        lag: Math.max(0, high - (next ?? Number(end.low))),
      });
    }
  }
  return { groupId, partitions, total: partitions.reduce((sum, p) => sum + p.lag, 0) };
}

const RETRIES = 20;
const RETRY_DELAY_MS = 250;

/**
 * Retries what the broker calls retriable: a fresh cluster answers the first offset requests of a
 * group with COORDINATOR_LOAD_IN_PROGRESS while it loads the offsets topic.
 */
async function retrying<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const retriable =
        typeof error === "object" && error !== null && "retriable" in error && error.retriable === true;
      if (!retriable || attempt >= RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}
