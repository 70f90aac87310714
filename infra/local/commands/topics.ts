/**
 * `npm run topics -- <subcommand>`: the topics of the stack on the embedded broker or Confluent
 * Cloud. Each subcommand returns what it found or did, as data (`--json` prints it) and as text.
 */
import { isKindId, KIND_IDS, type KindId, kindById } from "../../../shared/kinds/registry.js";
import { kafkaConsumerGroupId, type StackConfig } from "../../config/stack-config.js";
import { NotConfirmedError, UnknownTopicsError, UsageError } from "../cli/errors.js";
import { formatRetentionMs } from "../cli/retention.js";
import {
  createTopics,
  type KafkaConnection,
  kindTopicSpec,
  type TopicSpec,
  withAdmin,
} from "../kafka/admin.js";
import { type GroupLag, groupLag } from "../kafka/lag.js";
import {
  deleteTopics,
  describeTopics,
  listTopics,
  missingTopics,
  type TopicDescription,
  type TopicSummary,
} from "../kafka/topics.js";
import { plural } from "../terminal/format.js";

/** A command's answer: `data` for --json, `lines` for people. */
export interface Report<T> {
  data: T;
  lines: string[];
}

/** The enabled kind whose topic (in the stack config) this is. */
function kindOfTopic(config: StackConfig, topic: string): KindId | undefined {
  return KIND_IDS.find((kind) => config.sweeps[kind].enabled && config.sweeps[kind].topic === topic);
}

export async function listCommand(
  conn: KafkaConnection,
  config: StackConfig,
  options: { internal: boolean },
): Promise<Report<Array<TopicSummary & { kind: string | null }>>> {
  const topics = (await listTopics(conn, options)).map((t) => ({
    ...t,
    kind: kindOfTopic(config, t.name) ?? null,
  }));
  const expected = KIND_IDS.filter((kind) => config.sweeps[kind].enabled).map(
    (kind) => config.sweeps[kind].topic,
  );
  const absent = expected.filter((topic) => !topics.some((t) => t.name === topic));
  return {
    data: topics,
    lines: [
      ...table(
        ["topic", "partitions", "replicas", "kind"],
        topics.map((t) => [t.name, String(t.partitions), String(t.replicationFactor), t.kind ?? ""]),
      ),
      ...(absent.length > 0
        ? ["", `missing for enabled kinds: ${absent.join(", ")} (npm run topics -- create-all)`]
        : []),
    ],
  };
}

export interface CreateRequest {
  /** A topic name, or a kind id (its topic and settings are the defaults). */
  name: string;
  partitions?: number | undefined;
  replicationFactor?: number | undefined;
  retentionMs?: number | undefined;
  cleanupPolicy?: string | undefined;
  configs: Record<string, string>;
}

const CLEANUP_POLICIES = ["delete", "compact", "compact,delete"];

export function topicSpec(config: StackConfig, request: CreateRequest): TopicSpec {
  const kindSpec = isKindId(request.name)
    ? kindTopicSpec(config.sweeps[request.name].topic, kindById(request.name).topicSettings)
    : undefined;
  if (request.cleanupPolicy !== undefined && !CLEANUP_POLICIES.includes(request.cleanupPolicy)) {
    throw new UsageError(
      `--cleanup-policy must be one of ${CLEANUP_POLICIES.join(", ")}, not "${request.cleanupPolicy}"`,
    );
  }
  return {
    name: kindSpec?.name ?? request.name,
    partitions: request.partitions ?? kindSpec?.partitions ?? 1,
    ...(request.replicationFactor === undefined ? {} : { replicationFactor: request.replicationFactor }),
    configs: {
      ...kindSpec?.configs,
      ...(request.cleanupPolicy === undefined ? {} : { "cleanup.policy": request.cleanupPolicy }),
      ...(request.retentionMs === undefined ? {} : { "retention.ms": String(request.retentionMs) }),
      ...request.configs,
    },
  };
}

export async function createCommand(
  conn: KafkaConnection,
  specs: TopicSpec[],
): Promise<Report<{ created: string[]; existing: string[] }>> {
  const outcome = await createTopics(conn, specs);
  return {
    data: outcome,
    lines: specs.map((spec) =>
      outcome.created.includes(spec.name)
        ? `created ${spec.name}: ${describeSpec(spec)}`
        : `exists  ${spec.name} (left as it is; npm run topics -- describe ${spec.name})`,
    ),
  };
}

/** Every enabled kind's topic, with the kind's settings (shared/kinds/<kind>.ts, topicSettings). */
export function allKindSpecs(config: StackConfig, replicationFactor: number | undefined): TopicSpec[] {
  return KIND_IDS.filter((kind) => config.sweeps[kind].enabled).map((kind) => ({
    ...kindTopicSpec(config.sweeps[kind].topic, kindById(kind).topicSettings),
    ...(replicationFactor === undefined ? {} : { replicationFactor }),
  }));
}

function describeSpec(spec: TopicSpec): string {
  const configs = spec.configs ?? {};
  const retention = configs["retention.ms"];
  return [
    plural(spec.partitions, "partition"),
    `replication ${spec.replicationFactor ?? "broker default"}`,
    ...(configs["cleanup.policy"] ? [`cleanup ${configs["cleanup.policy"]}`] : []),
    ...(retention ? [`retention ${formatRetentionMs(Number(retention))}`] : []),
    ...Object.entries(configs)
      .filter(([name]) => name !== "cleanup.policy" && name !== "retention.ms")
      .map(([name, value]) => `${name}=${value}`),
  ].join(", ");
}

export async function describeCommand(
  conn: KafkaConnection,
  topics: string[],
  options: { allConfigs: boolean },
): Promise<Report<TopicDescription[]>> {
  await requireTopics(conn, topics);
  const described = await describeTopics(conn, topics);
  const lines: string[] = [];
  for (const topic of described) {
    const shown = topic.configs.filter((c) => options.allConfigs || c.source === "DYNAMIC_TOPIC_CONFIG");
    lines.push(
      `${topic.name}: ${plural(topic.partitions.length, "partition")}, ${plural(
        topic.partitions.reduce((n, p) => n + p.high - p.low, 0),
        "record",
      )} retained`,
      ...table(
        ["partition", "leader", "replicas", "in sync", "first offset", "next offset"],
        topic.partitions.map((p) => [
          String(p.partition),
          p.leader < 0 ? "none" : String(p.leader),
          p.replicas.join(","),
          p.isr.join(","),
          String(p.low),
          String(p.high),
        ]),
      ).map((line) => `  ${line}`),
      options.allConfigs
        ? "  configs:"
        : "  configs set on the topic (--all-configs for the broker's defaults too):",
      ...table(
        ["name", "value", ...(options.allConfigs ? ["source"] : [])],
        shown.map((c) => [
          c.name,
          c.sensitive ? "(sensitive)" : (c.value ?? ""),
          ...(options.allConfigs ? [c.source] : []),
        ]),
      ).map((line) => `    ${line}`),
      "",
    );
  }
  return { data: described, lines };
}

export async function deleteCommand(
  conn: KafkaConnection,
  topics: string[],
  confirm: (question: string) => Promise<boolean>,
): Promise<Report<{ deleted: string[] }>> {
  await requireTopics(conn, topics);
  const question = `delete ${topics.join(", ")} and every record in ${topics.length === 1 ? "it" : "them"} from ${conn.bootstrapServers}?`;
  if (!(await confirm(question)))
    throw new NotConfirmedError(`not deleted: ${question.replace(/\?$/, "")} was not confirmed`);
  await deleteTopics(conn, topics);
  return { data: { deleted: topics }, lines: topics.map((t) => `deleted ${t}`) };
}

/**
 * The lag of the given groups (on every topic each has offsets for), or of the stack's consumer
 * groups on their topics: `<prefix>-<kind>` for every enabled kind, and a retired kind's while it
 * is drained.
 */
export async function lagCommand(
  conn: KafkaConnection,
  config: StackConfig,
  options: { groups: string[]; prefix: string },
): Promise<Report<GroupLag[]>> {
  const prefixed = { ...config, consumer: { ...config.consumer, groupId: options.prefix } };
  const wanted: Array<{ groupId: string; topics?: string[] }> =
    options.groups.length > 0
      ? options.groups.map((groupId) => ({ groupId }))
      : KIND_IDS.filter((kind) => config.sweeps[kind].enabled).map((kind) => ({
          groupId: kafkaConsumerGroupId(prefixed, kind),
          topics: [config.sweeps[kind].topic],
        }));
  const present = new Set(await withAdmin(conn, (admin) => admin.listTopics({ timeout: 15_000 })));
  const lags = await withAdmin(conn, async (admin) => {
    const out: GroupLag[] = [];
    for (const { groupId, topics } of wanted) {
      const existing = topics?.filter((t) => present.has(t));
      // A stack group whose topic is not there yet has nothing to lag behind (and the broker
      // refuses an offsets request for no topic at all).
      if (existing?.length === 0) out.push({ groupId, partitions: [], total: 0 });
      else out.push(await groupLag(admin, groupId, existing));
    }
    return out;
  });
  const rows = lags.flatMap((lag) =>
    lag.partitions.map((p) => [
      lag.groupId,
      `${p.topic}-${p.partition}`,
      p.committed === null ? "none" : String(p.committed),
      String(p.end),
      String(p.lag),
    ]),
  );
  const missing = wanted.flatMap((w) => (w.topics ?? []).filter((t) => !present.has(t)));
  return {
    data: lags,
    lines: [
      ...table(["group", "partition", "committed", "end", "lag"], rows),
      "",
      ...lags.map((lag) => `${lag.groupId}: ${plural(lag.total, "record")} behind`),
      ...(missing.length > 0 ? [`topics missing: ${missing.join(", ")} (npm run topics -- create-all)`] : []),
    ],
  };
}

async function requireTopics(conn: KafkaConnection, topics: string[]): Promise<void> {
  if (topics.length === 0) throw new UsageError("name at least one topic (or kind)");
  const missing = await missingTopics(conn, topics);
  if (missing.length > 0) throw new UnknownTopicsError(missing, conn.bootstrapServers);
}

/** Left-aligned columns, two spaces apart. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}
