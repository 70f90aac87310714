import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { dirname } from "node:path";
import { KafkaJS } from "@confluentinc/kafka-javascript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTopics, kafkaClientConfig, withAdmin } from "../../infra/local/kafka/admin.js";
import { type RunningKafkaBroker, startKafkaBroker } from "../../infra/local/kafka/broker.js";
import { KafkaAuthenticationError } from "../../shared/kafka/errors.js";
import { readRecords } from "../support/kafka-read.js";

// Self-contained: this suite runs its own broker (it also checks start/stop), independent of the
// one the global setup provides to the other suites.
let broker: RunningKafkaBroker;

beforeAll(async () => {
  broker = await startKafkaBroker();
}, 60_000);

afterAll(async () => {
  await broker?.stop();
});

const quiet = { logLevel: KafkaJS.logLevel.NOTHING };
const uniqueTopic = (): string => `kafka-broker-test-${randomUUID()}`;

/** A KafkaJS-style logger that keeps the error-level lines the client logs. */
function errorCollector(): { logger: KafkaJS.Logger; errors: string[] } {
  const errors: string[] = [];
  const logger: KafkaJS.Logger = {
    info: () => {},
    warn: () => {},
    debug: () => {},
    error: (message) => {
      errors.push(message);
    },
    namespace: () => logger,
    setLogLevel: () => {},
  };
  return { logger, errors };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function tcpConnect(hostPort: string): Promise<void> {
  const [host, port] = hostPort.split(":") as [string, string];
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}

describe("local Kafka broker (KRaft, SASL_SSL + PLAIN on loopback)", () => {
  it("advertises a loopback SASL_SSL/PLAIN endpoint whose CA file verifies it for the given credentials", async () => {
    expect(broker).toMatchObject({
      bootstrapServers: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      securityProtocol: "SASL_SSL",
      saslMechanism: "PLAIN",
      username: "semaphore",
    });
    const topics = await withAdmin(broker, (admin) => admin.listTopics({ timeout: 5_000 }));
    expect(topics.filter((t) => !t.startsWith("__"))).toEqual([]);
  });

  it("round-trips a record over SASL_SSL with its key, value and headers", async () => {
    const topic = uniqueTopic();
    await createTopics(broker, [{ name: topic, partitions: 1 }]);
    const producer = new KafkaJS.Kafka({}).producer({
      ...kafkaClientConfig(broker),
      kafkaJS: quiet,
    } as KafkaJS.ProducerConstructorConfig);
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: [
          {
            key: "Q2XX-AAAA-0001",
            value: '{"serial":"Q2XX-AAAA-0001","status":"online"}',
            headers: { "content-type": "application/json", "semaphore-sweep": "sweep-1" },
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }

    const records = await readRecords(broker, topic, 1, { timeoutMs: 20_000 });

    expect(records).toEqual([
      {
        topic,
        partition: 0,
        offset: "0",
        key: "Q2XX-AAAA-0001",
        value: '{"serial":"Q2XX-AAAA-0001","status":"online"}',
        headers: { "content-type": "application/json", "semaphore-sweep": "sweep-1" },
      },
    ]);
  });

  it("createTopics creates the requested partitions and leaves an existing topic alone", async () => {
    const topic = uniqueTopic();
    await createTopics(broker, [{ name: topic, partitions: 3 }]);
    await createTopics(broker, [{ name: topic, partitions: 3 }]);

    const metadata = await withAdmin(broker, (admin) => admin.fetchTopicMetadata({ topics: [topic] }));

    expect(
      metadata.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionId) })),
    ).toEqual([{ name: topic, partitions: [0, 1, 2] }]);
  });

  it("does not create topics on demand (auto.create.topics.enable=false, like Confluent Cloud)", async () => {
    const topic = uniqueTopic();
    const producer = new KafkaJS.Kafka({}).producer({
      ...kafkaClientConfig(broker),
      "message.timeout.ms": 2_000,
      kafkaJS: quiet,
    } as KafkaJS.ProducerConstructorConfig);
    await producer.connect();
    try {
      // librdkafka waits for the topic to appear until message.timeout.ms, then gives up.
      await expect(producer.send({ topic, messages: [{ value: "x" }] })).rejects.toMatchObject({
        code: KafkaJS.ErrorCodes.ERR__MSG_TIMED_OUT,
      });
    } finally {
      await producer.disconnect();
    }

    const topics = await withAdmin(broker, (admin) => admin.listTopics({ timeout: 5_000 }));
    expect(topics).not.toContain(topic);
  });

  it("refuses a wrong password: the client reports a SASL authentication error within seconds", async () => {
    // librdkafka keeps retrying a failed SASL handshake; the failure shows at once only as an
    // error-level client log line, while the request itself fails later with a transport error.
    const { logger, errors } = errorCollector();
    const admin = new KafkaJS.Kafka({}).admin({
      ...kafkaClientConfig({ ...broker, password: "not-the-password" }),
      kafkaJS: { logger, logLevel: KafkaJS.logLevel.ERROR },
    } as KafkaJS.AdminConstructorConfig);
    await admin.connect();
    try {
      const listing = admin.listTopics({ timeout: 3_000 });
      listing.catch(() => {});

      await waitFor(() => errors.length > 0, 5_000);
      expect(errors[0]).toMatch(
        /: SASL authentication error: Authentication failed: Invalid username or password \(after \d+ms in state AUTH_REQ\)$/,
      );
      await expect(listing).rejects.toMatchObject({
        name: "KafkaJSConnectionError",
        code: KafkaJS.ErrorCodes.ERR__TRANSPORT,
      });
    } finally {
      await admin.disconnect();
    }
  });

  it("createTopics with a wrong password rejects at once with KafkaAuthenticationError", async () => {
    const started = Date.now();
    const attempt = createTopics({ ...broker, password: "not-the-password" }, [
      { name: uniqueTopic(), partitions: 1 },
    ]);

    await expect(attempt).rejects.toThrow(KafkaAuthenticationError);
    await expect(attempt).rejects.toThrow(
      /SASL authentication error: Authentication failed: Invalid username/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("stop() ends the broker and removes its temporary data directory", async () => {
    const other = await startKafkaBroker({ heapMb: 256 });
    const dataDir = dirname(other.logFile);
    await tcpConnect(other.bootstrapServers);

    await other.stop();

    expect(existsSync(dataDir)).toBe(false);
    await expect(tcpConnect(other.bootstrapServers)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  }, 60_000);
});
