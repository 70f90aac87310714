/**
 * What the topics command reads and changes on a cluster (the local broker or Confluent Cloud):
 * topic lists with their sizes, a topic's partitions, leaders and configs, and deletion. Creation is
 * createTopics in ./admin.ts, shared with the local runtime.
 */
import type { KafkaJS } from "@confluentinc/kafka-javascript";
import { type KafkaConnection, withAdmin } from "./admin.js";
import { describeTopicConfigs, type TopicConfigEntry } from "./protocol/describe-configs.js";

export interface TopicSummary {
  name: string;
  partitions: number;
  /** Replicas of the first partition (every partition has as many unless reassigned by hand). */
  replicationFactor: number;
  internal: boolean;
}

export interface PartitionDescription {
  partition: number;
  /** Broker id of the leader; -1 while the partition has none. */
  leader: number;
  replicas: number[];
  isr: number[];
  /** Offsets of the first retained record and of the next record to be written. */
  low: number;
  high: number;
}

export interface TopicDescription {
  name: string;
  partitions: PartitionDescription[];
  configs: TopicConfigEntry[];
}

/** Every topic of the cluster, sorted by name; Kafka's internal topics (`__consumer_offsets`) only when asked. */
export async function listTopics(
  conn: KafkaConnection,
  options: { internal?: boolean } = {},
): Promise<TopicSummary[]> {
  return withAdmin(conn, async (admin) => {
    const names = await admin.listTopics({ timeout: 15_000 });
    if (names.length === 0) return [];
    const metadata = await admin.fetchTopicMetadata({ topics: names, timeout: 15_000 });
    return metadata
      .map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.length,
        replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
        internal: topic.isInternal === true || topic.name.startsWith("__"),
      }))
      .filter((topic) => options.internal === true || !topic.internal)
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}

/** Names among `topics` that the cluster does not have. */
export async function missingTopics(conn: KafkaConnection, topics: readonly string[]): Promise<string[]> {
  const present = new Set(await withAdmin(conn, (admin) => admin.listTopics({ timeout: 15_000 })));
  return topics.filter((topic) => !present.has(topic));
}

/** Partitions (leader, replicas, in-sync replicas, offsets) and every config of each topic. */
export async function describeTopics(
  conn: KafkaConnection,
  topics: readonly string[],
): Promise<TopicDescription[]> {
  const partitions = await withAdmin(conn, async (admin) => {
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics], timeout: 15_000 });
    return Promise.all(metadata.map((topic) => describePartitions(admin, topic)));
  });
  const configs = await describeTopicConfigs(conn, topics);
  return partitions.map((topic) => ({
    ...topic,
    configs: configs.find((c) => c.topic === topic.name)?.entries ?? [],
  }));
}

async function describePartitions(
  admin: KafkaJS.Admin,
  topic: KafkaJS.ITopicMetadata,
): Promise<Omit<TopicDescription, "configs">> {
  const offsets = await admin.fetchTopicOffsets(topic.name);
  const byPartition = new Map(offsets.map((o) => [o.partition, o]));
  return {
    name: topic.name,
    partitions: topic.partitions
      .map((p) => ({
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        low: Number(byPartition.get(p.partitionId)?.low ?? 0),
        high: Number(byPartition.get(p.partitionId)?.high ?? 0),
      }))
      .sort((a, b) => a.partition - b.partition),
  };
}

/** Deletes the topics (and every record in them). */
export async function deleteTopics(conn: KafkaConnection, topics: readonly string[]): Promise<void> {
  await withAdmin(conn, (admin) => admin.deleteTopics({ topics: [...topics], timeout: 15_000 }));
}
