// What the local tools (npm start, invoke, topics, consume) make of their options and environment:
// which Kafka cluster and credentials, which function, which topic, which settings, which output.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { parseStackConfig } from "../../infra/config/stack-config.js";
import { InputFileError, UsageError } from "../../infra/local/cli/errors.js";
import { parseFunctionName } from "../../infra/local/cli/function-name.js";
import { givenKafka } from "../../infra/local/cli/kafka-target.js";
import { formatRetentionMs, parseRetentionMs } from "../../infra/local/cli/retention.js";
import { topicOf } from "../../infra/local/cli/topic-name.js";
import { allKindSpecs, topicSpec } from "../../infra/local/commands/topics.js";
import { findSession, type PipelineSession, publishSession } from "../../infra/local/session.js";
import { outputFormat } from "../../infra/local/terminal/live-view.js";
import { KIND_IDS, kindById } from "../../shared/kinds/registry.js";

const config = parseStackConfig(stackConfig);
const dir = mkdtempSync(join(tmpdir(), "semaphore-tools-"));
const credentials = join(dir, "kafka.json");
writeFileSync(credentials, JSON.stringify({ username: "ABCDKEY", password: "s3cr3t-value" }));
const garbled = join(dir, "garbled.json");
writeFileSync(garbled, '{"user": "ABCDKEY", "secret": "s3cr3t-value"}');

describe("the Kafka cluster of a command", () => {
  it("is none when neither options nor environment name one", () => {
    expect(givenKafka({}, {}, config)).toBeUndefined();
  });

  it("is the bootstrap given, with the credentials file's key and secret, described without the secret", () => {
    const kafka = givenKafka(
      { "kafka-bootstrap": "pkc-1.example.com:9092", "kafka-credentials": credentials },
      {},
      config,
    );
    expect(kafka).toEqual({
      connection: {
        bootstrapServers: "pkc-1.example.com:9092",
        username: "ABCDKEY",
        password: "s3cr3t-value",
      },
      description: `pkc-1.example.com:9092, user "ABCDKEY" from ${credentials}`,
    });
  });

  it("takes the same from KAFKA_BOOTSTRAP_SERVERS, KAFKA_USERNAME and KAFKA_PASSWORD", () => {
    const env = { KAFKA_BOOTSTRAP_SERVERS: "b:9092", KAFKA_USERNAME: "K", KAFKA_PASSWORD: "S" };
    expect(givenKafka({}, env, config)?.connection).toEqual({
      bootstrapServers: "b:9092",
      username: "K",
      password: "S",
    });
  });

  it("goes to the stack config's kafka.bootstrapServers when only credentials are given", () => {
    const kafka = givenKafka({ "kafka-credentials": credentials }, {}, config);
    expect(kafka?.connection.bootstrapServers).toBe(config.kafka.bootstrapServers);
    expect(kafka?.description).toContain("(kafka.bootstrapServers of the stack config)");
  });

  it("refuses a bootstrap without credentials, saying how to give them", () => {
    expect(() => givenKafka({ "kafka-bootstrap": "b:9092" }, {}, config)).toThrow(
      new UsageError(
        'Kafka at b:9092 needs SASL/PLAIN credentials: --kafka-credentials <file> (JSON {"username": "<API key>", ' +
          '"password": "<API secret>"}, the Kafka secret\'s format) or KAFKA_USERNAME and KAFKA_PASSWORD',
      ),
    );
  });

  it("refuses half of the credentials in the environment", () => {
    expect(() => givenKafka({}, { KAFKA_USERNAME: "K" }, config)).toThrow(
      new UsageError("KAFKA_USERNAME and KAFKA_PASSWORD go together: set both, or neither"),
    );
  });

  it("refuses a credentials file of another shape without repeating what it holds", () => {
    const attempt = () => givenKafka({ "kafka-credentials": garbled }, {}, config);
    expect(attempt).toThrow(InputFileError);
    expect(attempt).toThrow(
      `${garbled} is not a Kafka credential: it must be JSON {"username": "<API key>", "password": "<API secret>"}, ` +
        "the format of the Kafka secret",
    );
  });

  it("refuses a CA file that cannot be read, naming it", () => {
    expect(() =>
      givenKafka({ "kafka-credentials": credentials, "kafka-ca": join(dir, "missing.pem") }, {}, config),
    ).toThrow(`cannot read the CA certificate (--kafka-ca) ${join(dir, "missing.pem")}`);
  });
});

describe("the function of invoke", () => {
  it.each([...KIND_IDS, "consumer"].map((name) => [name]))("%s is a function", (name) => {
    expect(parseFunctionName(name)).toBe(name);
  });

  it("a retired kind is not, and the error names its successor", () => {
    expect(() => parseFunctionName("device-statuses")).toThrow(
      "device-statuses is retired and no longer swept (replaced by device-availability); invoke consumer with its records instead",
    );
  });

  it("an unknown name is not, and the error lists the functions", () => {
    expect(() => parseFunctionName("uplinks")).toThrow(
      `no function "uplinks": name a sweep kind (${KIND_IDS.join(", ")}) or consumer`,
    );
  });
});

describe("a topic argument", () => {
  it("names a kind's topic of the stack config by the kind", () => {
    expect(topicOf(config, "network-clients")).toBe(config.sweeps["network-clients"].topic);
  });

  it("names a retired kind's old topic by the retired kind", () => {
    expect(topicOf(config, "device-statuses")).toBe(config.sweeps["device-statuses"].topic);
  });

  it("is otherwise the topic's own name", () => {
    expect(topicOf(config, "orders.v1")).toBe("orders.v1");
  });
});

describe("topics create", () => {
  it("creates a kind's topic with the kind's partitions, retention and cleanup policy", () => {
    const settings = kindById("assurance-alerts").topicSettings;
    expect(topicSpec(config, { name: "assurance-alerts", configs: {} })).toEqual({
      name: config.sweeps["assurance-alerts"].topic,
      partitions: settings.partitions,
      configs: {
        "cleanup.policy": settings.cleanupPolicy,
        "retention.ms": String(settings.retentionHours * 3_600_000),
      },
    });
  });

  it("lets the options override a kind's settings and add configs", () => {
    expect(
      topicSpec(config, {
        name: "assurance-alerts",
        partitions: 12,
        replicationFactor: 3,
        retentionMs: 86_400_000,
        cleanupPolicy: "compact",
        configs: { "min.insync.replicas": "2" },
      }),
    ).toEqual({
      name: config.sweeps["assurance-alerts"].topic,
      partitions: 12,
      replicationFactor: 3,
      configs: { "cleanup.policy": "compact", "retention.ms": "86400000", "min.insync.replicas": "2" },
    });
  });

  it("creates any other topic with one partition and the broker's defaults", () => {
    expect(topicSpec(config, { name: "orders.v1", configs: {} })).toEqual({
      name: "orders.v1",
      partitions: 1,
      configs: {},
    });
  });

  it("refuses a cleanup policy Kafka does not have", () => {
    expect(() => topicSpec(config, { name: "orders.v1", cleanupPolicy: "forever", configs: {} })).toThrow(
      'cleanup-policy must be one of delete, compact, compact,delete, not "forever"',
    );
  });

  it("create-all creates every enabled kind's topic, each with its kind's settings", () => {
    expect(
      allKindSpecs(config, 3).map((spec) => [spec.name, spec.partitions, spec.replicationFactor]),
    ).toEqual(
      KIND_IDS.map((kind) => [config.sweeps[kind].topic, kindById(kind).topicSettings.partitions, 3]),
    );
  });
});

describe("--retention", () => {
  it.each([
    ["7d", 604_800_000],
    ["36h", 129_600_000],
    ["90m", 5_400_000],
    ["30s", 30_000],
    ["604800000", 604_800_000],
    ["forever", -1],
  ])("%s is %d ms", (text, ms) => {
    expect(parseRetentionMs(text)).toBe(ms);
  });

  it("refuses what is not a duration", () => {
    expect(() => parseRetentionMs("a week")).toThrow(
      '--retention must be a duration such as 7d, 36h, 90m or 604800000 (ms), or forever, not "a week"',
    );
  });

  it.each([
    [604_800_000, "7d"],
    [129_600_000, "36h"],
    [1_500, "1500ms"],
    [-1, "forever"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatRetentionMs(ms)).toBe(text);
  });
});

describe("the running pipeline's session file", () => {
  const session: PipelineSession = {
    pid: process.pid,
    startedAt: "2026-11-22T10:00:00.000Z",
    kafka: { bootstrapServers: "127.0.0.1:9093", caLocation: "/tmp/ca.pem", embedded: true },
    aws: { endpoint: "http://127.0.0.1:5000", region: "us-east-1" },
    secretIds: { kafka: "semaphore/kafka", meraki: "semaphore/meraki-api-key" },
    meraki: { baseUrl: "http://127.0.0.1:7000/api/v1", simulated: true },
    budgetTable: "semaphore-meraki-budget",
    consumerGroupPrefix: "semaphore-consumer",
  };

  it("is found while its process runs, and not once removed", () => {
    const directory = mkdtempSync(join(tmpdir(), "semaphore-run-"));
    const remove = publishSession(session, directory);
    expect(findSession(directory)).toEqual(session);
    remove();
    expect(findSession(directory)).toBeUndefined();
  });

  it("is not found, and is removed, when its process is gone", () => {
    const directory = mkdtempSync(join(tmpdir(), "semaphore-run-"));
    // Pid 2^22 + 1 is above Linux's pid_max limit: no process has it.
    publishSession({ ...session, pid: 4_194_305 }, directory);
    expect(findSession(directory)).toBeUndefined();
    expect(readdirSync(directory)).toEqual([]);
  });

  it("is of the newest pipeline when several run", () => {
    const directory = mkdtempSync(join(tmpdir(), "semaphore-run-"));
    publishSession(session, directory);
    publishSession({ ...session, pid: process.ppid, startedAt: "2026-11-22T11:00:00.000Z" }, directory);
    expect(findSession(directory)?.pid).toBe(process.ppid);
  });
});

describe("the output of a tool", () => {
  it.each([
    [{}, true, "pretty"],
    [{}, false, "json"],
    [{ json: true }, true, "json"],
    [{ pretty: true }, false, "pretty"],
  ] as const)("with %o, a terminal %s: %s", (args, tty, format) => {
    expect(outputFormat(args, tty)).toBe(format);
  });
});
