// Kafka faults, on real brokers: a single KRaft broker this file can kill and restart on the same
// ports with the same TLS material (and a SASL_PLAINTEXT port next to its SASL_SSL one), and a
// two-broker cluster whose partition leaders can move. Each case states the fault, what the
// producer or the sweep must do, and what must not be lost; the cases are listed in cases.ts.
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTopics, type KafkaConnection, withAdmin } from "../../infra/local/kafka/admin.js";
import { generateTls } from "../../infra/local/kafka/tls.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { KafkaDeliveryError } from "../../shared/kafka/errors.js";
import {
  type KafkaProducerSettings,
  KafkaTelemetryProducer,
  type ProduceResult,
} from "../../shared/kafka/producer.js";
import type { TelemetryRecord } from "../../shared/kafka/record.js";
import { readRecords } from "../support/kafka-read.js";
import { type FaultCluster, startFaultCluster } from "./support/fault-broker.js";
import {
  errorOf,
  type FaultSweep,
  faultSweep,
  type Outcome,
  recordIds,
  summaryOf,
  topicCount,
  untilCount,
} from "./support/harness.js";
import { type LeakWatch, leakWatch } from "./support/leak-watch.js";
import { KAFKA_PASSWORD, KAFKA_USER, knownSecrets, MERAKI_KEY } from "./support/secrets.js";

const watch: LeakWatch = leakWatch();
let simulator: RunningSimulator;
/** One broker: killed, stopped and restarted by the cases. */
let single: FaultCluster;
/** Two brokers, node 2 a broker only: stopping it moves its partitions' leadership to node 1. */
let pair: FaultCluster;
let untrustedCa: string;
const sweeps: FaultSweep[] = [];
const credentials = { username: KAFKA_USER, password: KAFKA_PASSWORD };
const users = { [KAFKA_USER]: KAFKA_PASSWORD };

beforeAll(async () => {
  watch.start();
  [simulator, single, pair] = await Promise.all([
    startMerakiSimulator({
      seed: 21,
      organizations: 2,
      networksPerOrg: 2,
      devicesPerOrg: 10,
      apiKey: MERAKI_KEY,
    }),
    startFaultCluster({ users, plaintextListener: true }),
    startFaultCluster({ users, nodes: 2 }),
  ]);
  untrustedCa = (await generateTls(join(await mkdtemp(join(tmpdir(), "semaphore-other-ca-")), "tls"))).caFile;
}, 180_000);

afterAll(async () => {
  await Promise.all(sweeps.map((sweep) => sweep.close()));
  await Promise.all([simulator?.stop(), single?.stop(), pair?.stop()]);
  watch.stop();
});

const devices = () => simulator.dataset.devices.length;

async function sweepOn(
  cluster: FaultCluster,
  options: Partial<Parameters<typeof faultSweep>[0]> = {},
): Promise<FaultSweep> {
  const sweep = await faultSweep({
    kind: "device-availability",
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey: MERAKI_KEY,
    kafka: { ...cluster.connection(), caLocation: cluster.caLocation },
    watch,
    ...options,
    kafkaSettings: { connectTimeoutMs: 3_000, deliveryTimeoutMs: 3_000, ...options.kafkaSettings },
  });
  sweeps.push(sweep);
  return sweep;
}

function producerSettings(
  cluster: FaultCluster,
  overrides: Partial<KafkaProducerSettings> = {},
): KafkaProducerSettings {
  return {
    bootstrapServers: cluster.bootstrapServers,
    clientId: "faults",
    caLocation: cluster.caLocation,
    connectTimeoutMs: 3_000,
    deliveryTimeoutMs: 30_000,
    ...overrides,
  };
}

async function newTopic(conn: KafkaConnection, partitions: number, configs?: Record<string, string>) {
  const name = `faults.kafka.${randomBytes(4).toString("hex")}`;
  await createTopics(conn, [{ name, partitions, ...(configs ? { configs } : {}) }]);
  return name;
}

/** `count` records of about `bytes` bytes each, random (incompressible) so sizes are what they say. */
function records(topic: string, count: number, bytes = 200, from = 0): TelemetryRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    topic,
    key: `key-${from + i}`,
    value: JSON.stringify({ n: from + i, pad: randomBytes(Math.ceil(bytes * 0.75)).toString("base64") }),
    headers: { "record-id": `id-${from + i}` },
  }));
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

/** The KafkaDeliveryError a produce failed with; fails the test when it did not fail with one. */
function deliveryErrorOf(outcome: Settled<ProduceResult>): KafkaDeliveryError {
  if (outcome.ok)
    throw new Error(`expected the produce to fail, it resolved: ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(KafkaDeliveryError);
  return outcome.error as KafkaDeliveryError;
}

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => {
      watch.note("producer error", error);
      return { ok: false as const, error: error as Error };
    },
  );
}

describe("the broker killed in the middle of a 30,000-record produce and back only after the delivery timeout", () => {
  const TOTAL = 30_000;
  let topic: string;
  let outcome: Settled<ProduceResult>;
  let seenAtKill: number;
  let inTopicAfterRestart: number;
  let retry: ProduceResult;
  let sweep: FaultSweep;
  let whileDown: Outcome;
  let afterRestart: Outcome;

  beforeAll(async () => {
    const conn = single.connection();
    topic = await newTopic(conn, 3);
    sweep = await sweepOn(single);
    const producer = await KafkaTelemetryProducer.connect(
      producerSettings(single, { deliveryTimeoutMs: 4_000 }),
      credentials,
    );
    const batch = records(topic, TOTAL);
    const produce = settle(producer.produce(batch));
    seenAtKill = await untilCount(conn, topic, TOTAL / 3);
    await single.stopNode(1);
    outcome = await produce;
    // A sweep invoked now finds no broker at all: "broker unreachable at start".
    whileDown = await sweep.invoke();
    await single.startNode(1);
    inTopicAfterRestart = await topicCount(conn, topic);
    // The retry of the invocation: the same records (same ids), on the same warm producer.
    retry = await producer.produce(batch);
    await producer.disconnect();
    afterRestart = await sweep.invoke();
  }, 180_000);

  it("fails the produce with a KafkaDeliveryError saying how many of the 30,000 were not delivered", () => {
    const error = deliveryErrorOf(outcome);
    expect(error.attempted).toBe(TOTAL);
    expect(error.undelivered).toBeGreaterThan(0);
    expect(error.undelivered).toBeLessThan(TOTAL);
    expect(error.message).toBe(
      `${error.undelivered} of ${TOTAL} records were not delivered to Kafka (${single.bootstrapServers}): ` +
        `topic ${topic}: ${error.undelivered} x Local: Message timed out. The invocation fails so the scheduler ` +
        "retries it; record ids are deterministic, so a retry duplicates nothing a consumer cannot drop.",
    );
    // The broker was killed once a third had landed: the rest really was still on its way.
    expect(seenAtKill).toBeGreaterThanOrEqual(TOTAL / 3);
  });

  it("left every record it did not count as undelivered in the topic", async ({ annotate }) => {
    const { undelivered } = deliveryErrorOf(outcome);
    // Exactly TOTAL - undelivered when no acknowledgement was in flight at the kill; records the
    // broker had written but could not acknowledge are counted as undelivered too (at most the
    // difference), never the other way round.
    expect(inTopicAfterRestart).toBeGreaterThanOrEqual(TOTAL - undelivered);
    expect(inTopicAfterRestart).toBeLessThanOrEqual(TOTAL);
    await annotate(
      `broker killed with ${seenAtKill} records in the topic: ${undelivered} of ${TOTAL} not delivered, ` +
        `${inTopicAfterRestart} in the topic after the restart`,
    );
  });

  it("the retry delivers all 30,000 under the same ids, so the topic holds each of them", async () => {
    expect(retry).toEqual({ delivered: TOTAL, bytes: expect.any(Number) });
    const all = await readRecords(single.connection(), topic, inTopicAfterRestart + TOTAL, {
      timeoutMs: 60_000,
    });
    expect(new Set(recordIds(all)).size).toBe(TOTAL);
    expect(await topicCount(single.connection(), topic)).toBe(inTopicAfterRestart + TOTAL);
  });

  it("a sweep started while the broker is down fails at connect, naming the servers and the refusal", () => {
    const error = errorOf(whileDown);
    expect(error.name).toBe("KafkaUnreachableError");
    expect(error.message).toMatch(
      new RegExp(
        `^Kafka at ${single.bootstrapServers} could not be reached within 3000 ms \\(.*Connection refused.*\\)\\. ` +
          "Check the bootstrap servers",
      ),
    );
  });

  it("and its retry, once the broker is back, delivers every record of the slot", async () => {
    expect(summaryOf(afterRestart).records.produced).toBe(devices());
    const landed = await sweep.records();
    expect(landed).toHaveLength(devices());
    expect(new Set(landed.map((r) => r.key))).toEqual(
      new Set(simulator.dataset.devices.map((d) => d.serial)),
    );
  });
});

describe("the broker killed in the middle of a produce and restarted within the delivery timeout", () => {
  const TOTAL = 30_000;
  let topic: string;
  let outcome: Settled<ProduceResult>;
  let stoppedBeforeDone = false;

  beforeAll(async () => {
    const conn = single.connection();
    topic = await newTopic(conn, 3);
    const producer = await KafkaTelemetryProducer.connect(
      producerSettings(single, { deliveryTimeoutMs: 60_000 }),
      credentials,
    );
    let done = false;
    const produce = settle(producer.produce(records(topic, TOTAL))).finally(() => {
      done = true;
    });
    await untilCount(conn, topic, TOTAL / 3);
    stoppedBeforeDone = !done;
    await single.stopNode(1);
    await single.startNode(1);
    outcome = await produce;
    await producer.disconnect();
  }, 180_000);

  it("resolves with every record delivered", () => {
    expect(stoppedBeforeDone).toBe(true);
    expect(outcome).toEqual({ ok: true, value: { delivered: TOTAL, bytes: expect.any(Number) } });
  });

  it("and the topic holds each record exactly once (the idempotent producer's retries add no copy)", async () => {
    expect(await topicCount(single.connection(), topic)).toBe(TOTAL);
    const landed = await readRecords(single.connection(), topic, TOTAL, { timeoutMs: 60_000 });
    expect(new Set(recordIds(landed)).size).toBe(TOTAL);
  });
});

describe("partition leaders moving to the other broker in the middle of a produce", () => {
  const TOTAL = 20_000;
  let topic: string;
  let leadersBefore: number[];
  let leadersAfter: number[];
  let outcome: Settled<ProduceResult>;
  let stoppedBeforeDone = false;

  const leaders = () =>
    withAdmin(pair.connection(), async (admin) => {
      const [metadata] = await admin.fetchTopicMetadata({ topics: [topic] });
      return metadata!.partitions.sort((a, b) => a.partitionId - b.partitionId).map((p) => p.leader);
    });

  beforeAll(async () => {
    topic = `faults.leaders.${randomBytes(4).toString("hex")}`;
    await withAdmin(pair.connection(), (admin) =>
      admin.createTopics({ timeout: 15_000, topics: [{ topic, numPartitions: 4, replicationFactor: 2 }] }),
    );
    await untilLeaders(
      () => leaders(),
      (found) => found.every((leader) => leader > 0),
    );
    leadersBefore = await leaders();
    const producer = await KafkaTelemetryProducer.connect(producerSettings(pair), credentials);
    let done = false;
    const produce = settle(producer.produce(records(topic, TOTAL))).finally(() => {
      done = true;
    });
    await untilCount(pair.connection(), topic, TOTAL / 10);
    stoppedBeforeDone = !done;
    // Killed, not shut down: the controller moves its leaderships once its session expires.
    await pair.stopNode(2);
    outcome = await produce;
    leadersAfter = await leaders();
    await producer.disconnect();
  }, 180_000);

  it("moved the leadership of node 2's partitions to node 1 while the produce was running", () => {
    expect(stoppedBeforeDone).toBe(true);
    expect(leadersBefore).toContain(2);
    expect(leadersAfter).toEqual([1, 1, 1, 1]);
  });

  it("resolves with every record delivered", () => {
    expect(outcome).toEqual({ ok: true, value: { delivered: TOTAL, bytes: expect.any(Number) } });
  });

  it("and the topic holds each record exactly once", async () => {
    expect(await topicCount(pair.connection(), topic)).toBe(TOTAL);
    const landed = await readRecords(pair.connection(), topic, TOTAL, { timeoutMs: 60_000 });
    expect(new Set(recordIds(landed)).size).toBe(TOTAL);
  });
});

describe("wrong SASL credentials in the Kafka secret", () => {
  it("fail the sweep with a KafkaAuthenticationError before any record is built, and never show the password", async () => {
    const sweep = await sweepOn(single, {
      secretValues: { kafka: JSON.stringify({ username: KAFKA_USER, password: `${KAFKA_PASSWORD}-wrong` }) },
    });
    simulator.resetLog();
    const error = errorOf(await sweep.invoke());
    expect(error.name).toBe("KafkaAuthenticationError");
    expect(error.message).toContain(
      `Kafka at ${single.bootstrapServers} rejected the SASL/PLAIN credentials`,
    );
    expect(simulator.requests).toEqual([]);
    expect(await sweep.count()).toBe(0);
  });

  it("are read again after the failure: once the secret is fixed, the next invocation delivers everything", async () => {
    const sweep = await sweepOn(single, {
      secretValues: { kafka: JSON.stringify({ ...credentials, password: "wrong-pw" }) },
    });
    expect(errorOf(await sweep.invoke()).name).toBe("KafkaAuthenticationError");
    await sweep.putSecret(sweep.settings.kafkaSecretId, JSON.stringify(credentials));
    expect(summaryOf(await sweep.invoke()).records.produced).toBe(devices());
    expect(await sweep.count()).toBe(devices());
  });
});

describe("TLS sent to a plaintext port", () => {
  it("fails at connect within the timeout, and the error says the port does not speak TLS", async () => {
    const misdirected = await sweepOn(single, {
      kafkaSettings: { bootstrapServers: single.plaintextBootstrapServers! },
    });
    const error = errorOf(await misdirected.invoke());
    expect(error.name).toBe("KafkaUnreachableError");
    expect(error.message).toContain(
      `Kafka at ${single.plaintextBootstrapServers} could not be reached within 3000 ms (`,
    );
    expect(error.message).toContain("SSL handshake failed");
    expect(error.message).toContain("connecting to a PLAINTEXT broker listener?");
    expect(await misdirected.count()).toBe(0);
  });
});

describe("a broker certificate the client does not trust", () => {
  it("fails at connect within the timeout, and the error names the failed certificate verification", async () => {
    const sweep = await sweepOn(single, { kafkaSettings: { caLocation: untrustedCa } });
    const error = errorOf(await sweep.invoke());
    expect(error.name).toBe("KafkaUnreachableError");
    expect(error.message).toContain(
      `Kafka at ${single.bootstrapServers} could not be reached within 3000 ms (`,
    );
    expect(error.message).toContain("certificate verify failed");
    expect(await sweep.count()).toBe(0);
  });
});

describe("a topic that does not exist", () => {
  it("fails the sweep with every built record counted as undelivered", async () => {
    const sweep = await sweepOn(single, { createTopic: false });
    const error = errorOf(await sweep.invoke()) as KafkaDeliveryError;
    expect(error).toBeInstanceOf(KafkaDeliveryError);
    expect([error.undelivered, error.attempted]).toEqual([devices(), devices()]);
    expect(error.message).toMatch(
      new RegExp(
        `^${devices()} of ${devices()} records were not delivered to Kafka .*: topic ${sweep.topic}: ${devices()} x `,
      ),
    );
  });

  it("and once the topic is created, the retry delivers every record", async () => {
    const sweep = await sweepOn(single, { createTopic: false });
    expect(errorOf(await sweep.invoke())).toBeInstanceOf(KafkaDeliveryError);
    await createTopics(single.connection(), [{ name: sweep.topic, partitions: 2 }]);
    expect(summaryOf(await sweep.invoke()).records.produced).toBe(devices());
    expect(await sweep.count()).toBe(devices());
  });
});

describe("a record over the size limit", () => {
  it("larger than the client's message.max.bytes (1 MB): only that record is undelivered, and counted", async () => {
    const topic = await newTopic(single.connection(), 1);
    const producer = await KafkaTelemetryProducer.connect(producerSettings(single), credentials);
    const batch = [
      ...records(topic, 10),
      ...records(topic, 1, 1_200_000, 10),
      ...records(topic, 10, 200, 11),
    ];
    const outcome = await settle(producer.produce(batch));
    await producer.disconnect();
    const error = deliveryErrorOf(outcome);
    expect([error.undelivered, error.attempted]).toEqual([1, 21]);
    expect(error.details).toEqual([
      {
        topic,
        reasons: { "refused by the client before sending (Broker: Message size too large)": 1 },
        sampleKeys: ["key-10"],
      },
    ]);
    expect(await topicCount(single.connection(), topic)).toBe(20);
  });

  it("larger than the topic's max.message.bytes: the broker refuses the record's batch, and all of it is counted", async () => {
    const topic = await newTopic(single.connection(), 1, { "max.message.bytes": "100000" });
    const producer = await KafkaTelemetryProducer.connect(producerSettings(single), credentials);
    const batch = [...records(topic, 10), ...records(topic, 1, 300_000, 10), ...records(topic, 10, 200, 11)];
    const outcome = await settle(producer.produce(batch));
    await producer.disconnect();
    const error = deliveryErrorOf(outcome);
    // librdkafka sends the records of a partition in one batch; the broker refuses it whole.
    const inTopic = await topicCount(single.connection(), topic);
    expect(error.undelivered + inTopic).toBe(21);
    expect(error.details[0]!.reasons).toEqual({ "Broker: Message size too large": error.undelivered });
    expect(error.undelivered).toBeGreaterThanOrEqual(1);
  });
});

describe("secrets", () => {
  it("no log line, error or summary of these cases shows a Kafka password or the Meraki key", () => {
    // The watch did see the cases' output: their errors, log lines and EMF documents.
    for (const seen of [
      "KafkaUnreachableError",
      "KafkaAuthenticationError",
      "KafkaDeliveryError",
      '"_aws"',
    ]) {
      expect(watch.text()).toContain(seen);
    }
    expect(watch.findings(knownSecrets({ "run broker password": inject("kafka").password }))).toEqual([]);
  });
});

async function untilLeaders(read: () => Promise<number[]>, ready: (leaders: number[]) => boolean) {
  const deadline = Date.now() + 30_000;
  while (!ready(await read())) {
    if (Date.now() > deadline) throw new Error("partitions got no leaders in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
