/**
 * DescribeConfigs for topics (API key 32), versions 1 and 2 (the same request and response; v0 went
 * in Kafka 4.0): every config of a topic with its value and where it comes from.
 */
import type { KafkaConnection } from "../admin.js";
import { BrokerConnection } from "./connection.js";
import { WireWriter } from "./wire.js";

const API_DESCRIBE_CONFIGS = 32;
const RESOURCE_TOPIC = 2;
const SPOKEN_VERSIONS = { min: 1, max: 2 };

/** Kafka's ConfigSource, as the Java admin client names it. */
export const CONFIG_SOURCES = [
  "UNKNOWN",
  "DYNAMIC_TOPIC_CONFIG",
  "DYNAMIC_BROKER_CONFIG",
  "DYNAMIC_DEFAULT_BROKER_CONFIG",
  "STATIC_BROKER_CONFIG",
  "DEFAULT_CONFIG",
  "DYNAMIC_BROKER_LOGGER_CONFIG",
  "CLIENT_METRICS_CONFIG",
  "GROUP_CONFIG",
] as const;

export type ConfigSource = (typeof CONFIG_SOURCES)[number];

export interface TopicConfigEntry {
  name: string;
  /** null for a sensitive config (the broker does not send it) or one without a value. */
  value: string | null;
  source: ConfigSource;
  readOnly: boolean;
  sensitive: boolean;
}

export interface TopicConfigs {
  topic: string;
  /** Set when the broker could not describe this topic (e.g. it does not exist); entries are empty then. */
  error: { code: number; message: string | null } | null;
  entries: TopicConfigEntry[];
}

/** Every config of each topic, in the broker's order. */
export async function describeTopicConfigs(
  conn: KafkaConnection,
  topics: readonly string[],
  timeoutMs = 15_000,
): Promise<TopicConfigs[]> {
  const broker = await BrokerConnection.open(conn, timeoutMs);
  try {
    const range = (await broker.apiVersions()).get(API_DESCRIBE_CONFIGS);
    const version = range ? Math.min(range.max, SPOKEN_VERSIONS.max) : -1;
    if (!range || version < Math.max(range.min, SPOKEN_VERSIONS.min)) {
      throw broker.protocolError(
        `the broker supports DescribeConfigs ${range ? `v${range.min}-v${range.max}` : "not at all"}; ` +
          `this tool speaks v${SPOKEN_VERSIONS.min}-v${SPOKEN_VERSIONS.max}`,
      );
    }
    const request = new WireWriter()
      .array(topics, (w, topic) =>
        w
          .int8(RESOURCE_TOPIC)
          .string(topic)
          .array(null, () => undefined),
      )
      .boolean(false); // include_synonyms
    const reader = await broker.request(API_DESCRIBE_CONFIGS, version, request);
    reader.int32(); // throttle_time_ms
    return reader.array((r) => {
      const code = r.int16();
      const message = r.nullableString();
      r.int8(); // resource_type
      const topic = r.string();
      const entries = r.array((e) => {
        const name = e.string();
        const value = e.nullableString();
        const readOnly = e.boolean();
        const source = CONFIG_SOURCES[e.int8()] ?? "UNKNOWN";
        const sensitive = e.boolean();
        e.array((s) => [s.string(), s.nullableString(), s.int8()]); // synonyms (none asked for)
        return { name, value, source, readOnly, sensitive };
      });
      return { topic, error: code === 0 ? null : { code, message }, entries };
    });
  } finally {
    broker.close();
  }
}
