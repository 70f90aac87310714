/**
 * Client-side helpers for a SASL_SSL + PLAIN Kafka endpoint (the local broker from ./broker.ts, or
 * Confluent Cloud): the librdkafka settings a client needs, and idempotent topic creation (topics
 * are created explicitly, as on Confluent Cloud; the local broker has auto-creation off).
 */
import { KafkaJS } from "@confluentinc/kafka-javascript";
import {
  KafkaAuthenticationError,
  SASL_AUTH_FAILURE_LOG,
  withoutThreadPrefix,
} from "../../../shared/kafka/errors.js";
import type { TopicSettings } from "../../../shared/kinds/kind.js";

/** Where and as whom to connect. A RunningKafkaBroker is one. */
export interface KafkaConnection {
  bootstrapServers: string;
  username: string;
  password: string;
  /** PEM file of the CA that signed the broker certificate; omit to use the system CAs (Confluent Cloud). */
  caLocation?: string;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Copies of each partition; the broker's default (`default.replication.factor`) when omitted. */
  replicationFactor?: number;
  /** Topic-level configs, e.g. `cleanup.policy`, `retention.ms`; the broker's defaults otherwise. */
  configs?: Record<string, string>;
}

/** The topic a kind's settings ask for (shared/kinds/kind.ts, TopicSettings). */
export function kindTopicSpec(name: string, settings: TopicSettings): TopicSpec {
  return {
    name,
    partitions: settings.partitions,
    configs: {
      "cleanup.policy": settings.cleanupPolicy,
      "retention.ms": String(settings.retentionHours * 3_600_000),
    },
  };
}

/** librdkafka settings (top level of a `@confluentinc/kafka-javascript` client config) for `conn`. */
export function kafkaClientConfig(conn: KafkaConnection): Record<string, string | number | boolean> {
  const config: Record<string, string | number | boolean> = {
    "bootstrap.servers": conn.bootstrapServers,
    "security.protocol": "sasl_ssl",
    "sasl.mechanisms": "PLAIN",
    "sasl.username": conn.username,
    "sasl.password": conn.password,
  };
  if (conn.caLocation) config["ssl.ca.location"] = conn.caLocation;
  return config;
}

/**
 * How a wrong API key/secret shows. librdkafka treats a SASL authentication failure as transient and
 * retries it forever: the KafkaJS-style calls only fail on their own timeout, with a transport error
 * (Producer.connect: KafkaJSConnectionError code -195 "broker transport failure" after 30 s). The
 * failure itself is reported at once only as an error-level client log line, e.g.
 * "sasl_ssl://127.0.0.1:9093/bootstrap: SASL authentication error: Authentication failed: Invalid
 * username or password (after 302ms in state AUTH_REQ)" with extra `{ fac: "FAIL" }`.
 */

/**
 * A KafkaJS-style logger (pass as `kafkaJS: { logger }`) that notices SASL authentication failures:
 * `failed` rejects with a KafkaAuthenticationError on the first one. Other lines go to `inner`
 * (dropped when there is none).
 */
export function saslFailureWatcher(
  bootstrapServers: string,
  who: string,
  inner?: KafkaJS.Logger,
): {
  logger: KafkaJS.Logger;
  failed: Promise<never>;
} {
  let reject!: (err: Error) => void;
  const failed = new Promise<never>((_, rej) => {
    reject = rej;
  });
  failed.catch(() => {}); // Observed by whoever races it; never an unhandled rejection.
  const make = (target: KafkaJS.Logger | undefined): KafkaJS.Logger => {
    const logger: KafkaJS.Logger = {
      info: (message, extra) => target?.info(message, extra),
      warn: (message, extra) => target?.warn(message, extra),
      debug: (message, extra) => target?.debug(message, extra),
      error: (message, extra) => {
        if (SASL_AUTH_FAILURE_LOG.test(message)) {
          reject(new KafkaAuthenticationError(bootstrapServers, withoutThreadPrefix(message), who));
        }
        target?.error(message, extra);
      },
      namespace: (namespace, level) => make(target?.namespace(namespace, level)),
      setLogLevel: (level) => target?.setLogLevel(level),
    };
    return logger;
  };
  return { logger: make(inner), failed };
}

/**
 * Runs `fn` with a connected admin client and disconnects it. Rejects with a KafkaAuthenticationError
 * as soon as the broker refuses the credentials (instead of after `fn`'s timeouts, with a transport
 * error); the client is then disconnected in the background once `fn`'s requests have timed out.
 */
export async function withAdmin<T>(
  conn: KafkaConnection,
  fn: (admin: KafkaJS.Admin) => Promise<T>,
  overrides: Record<string, string | number | boolean> = {},
): Promise<T> {
  const watcher = saslFailureWatcher(conn.bootstrapServers, `the admin client (user "${conn.username}")`);
  const config = {
    ...kafkaClientConfig(conn),
    ...overrides,
    kafkaJS: { logger: watcher.logger, logLevel: KafkaJS.logLevel.ERROR },
  } as KafkaJS.AdminConstructorConfig;
  const admin = new KafkaJS.Kafka({}).admin(config);
  await admin.connect();
  const work = fn(admin);
  let result: T;
  try {
    result = await Promise.race([work, watcher.failed]);
  } catch (err) {
    // Admin.disconnect() blocks the event loop until in-flight requests end (their timeouts, after an
    // authentication failure), so disconnect once `fn`'s requests have settled, in the background.
    void work
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => admin.disconnect())
      .catch(() => {});
    throw err;
  }
  await admin.disconnect();
  return result;
}

/** Which of the topics asked for were created, and which existed already (and were left as they are). */
export interface CreatedTopics {
  created: string[];
  existing: string[];
}

/**
 * Creates the topics that do not exist yet (replication factor: the spec's, or the broker's
 * default, 1 locally; Confluent Cloud wants 3). Already-existing topics are left as they are.
 */
export async function createTopics(broker: KafkaConnection, topics: TopicSpec[]): Promise<CreatedTopics> {
  if (topics.length === 0) return { created: [], existing: [] };
  return withAdmin(broker, async (admin) => {
    const present = new Set(await admin.listTopics({ timeout: 15_000 }));
    const missing = topics.filter((t) => !present.has(t.name));
    if (missing.length > 0) {
      // The client resolves (not rejects) for topics created meanwhile (TOPIC_ALREADY_EXISTS is skipped).
      await admin.createTopics({
        timeout: 15_000,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          ...(t.replicationFactor === undefined ? {} : { replicationFactor: t.replicationFactor }),
          configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    if (missing.length > 0) await waitForTopics(admin, missing, 15_000);
    return {
      created: missing.map((t) => t.name),
      existing: topics.filter((t) => present.has(t.name)).map((t) => t.name),
    };
  });
}

/** Until every partition of every topic has a leader, producing to it may fail with UNKNOWN_TOPIC. */
async function waitForTopics(admin: KafkaJS.Admin, topics: TopicSpec[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const names = topics.map((t) => t.name);
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: names, timeout: 5_000 });
      const ready = topics.every((t) => {
        const m = metadata.find((x) => x.name === t.name);
        return (
          m !== undefined && m.partitions.length >= t.partitions && m.partitions.every((p) => p.leader >= 0)
        );
      });
      if (ready) return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    if (Date.now() >= deadline) throw new Error(`topics ${names.join(", ")} have no partition leaders yet`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
