// Secret faults, on the run's Secrets Manager (moto), the simulator and real brokers: a secret that
// is missing, empty, not JSON or not a key fails the invocation before anything is asked of Meraki
// or Kafka, with an error naming the secret and never its value; a key rotated between
// invocations fails the attempt that still used the old one, and the retry reads the new one and
// delivers every record of the slot under the same ids.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { KafkaAuthenticationError, KafkaDeliveryError } from "../../shared/kafka/errors.js";
import { KafkaTelemetryProducer } from "../../shared/kafka/producer.js";
import { MerakiAuthError } from "../../shared/meraki/index.js";
import { SweepFailedError } from "../../shared/sweeps/errors.js";
import { readRecords } from "../support/kafka-read.js";
import { type FaultCluster, startFaultCluster } from "./support/fault-broker.js";
import { errorOf, type FaultSweep, faultSweep, recordIds, summaryOf } from "./support/harness.js";
import { type LeakWatch, leakWatch } from "./support/leak-watch.js";
import {
  KAFKA_PASSWORD,
  KAFKA_PASSWORD_ROTATED,
  KAFKA_USER,
  KAFKA_USER_ROTATED,
  knownSecrets,
  MERAKI_KEY,
  MERAKI_KEY_ROTATED,
} from "./support/secrets.js";

const watch: LeakWatch = leakWatch();
let simulator: RunningSimulator;
let cluster: FaultCluster;
const sweeps: FaultSweep[] = [];

beforeAll(async () => {
  watch.start();
  [simulator, cluster] = await Promise.all([
    startMerakiSimulator({
      seed: 41,
      organizations: 2,
      networksPerOrg: 2,
      devicesPerOrg: 6,
      apiKey: MERAKI_KEY,
    }),
    startFaultCluster({
      users: { [KAFKA_USER]: KAFKA_PASSWORD, [KAFKA_USER_ROTATED]: KAFKA_PASSWORD_ROTATED },
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(sweeps.map((sweep) => sweep.close()));
  await Promise.all([simulator?.stop(), cluster?.stop()]);
  watch.stop();
});

beforeEach(() => {
  simulator.setApiKeys([MERAKI_KEY]);
  simulator.resetLog();
});

const devices = () => simulator.dataset.devices.length;

async function sweep(options: Partial<Parameters<typeof faultSweep>[0]> = {}): Promise<FaultSweep> {
  const created = await faultSweep({
    kind: "device-availability",
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey: MERAKI_KEY,
    watch,
    ...options,
  });
  sweeps.push(created);
  return created;
}

/** Failed before any request to Meraki and any record: the error, for its message. */
async function failsBeforeStarting(target: FaultSweep): Promise<Error> {
  const error = errorOf(await target.invoke());
  expect(error.name).toBe("SecretError");
  expect(simulator.requests).toEqual([]);
  expect(await target.count()).toBe(0);
  return error;
}

const kafkaJson = (username: string, password: string) => JSON.stringify({ username, password });
const brokerPassword = () => inject("kafka").password;

describe("a secret that does not exist", () => {
  it("the Meraki one: fails naming the secret and how to create it", async () => {
    const target = await sweep({ overrides: { merakiSecretId: "semaphore/faults/no-such-meraki-secret" } });
    expect((await failsBeforeStarting(target)).message).toBe(
      'Secrets Manager secret "semaphore/faults/no-such-meraki-secret" was not found: create it (README, ' +
        '"Deploy") or fix the secret name/ARN in the stack config',
    );
  });

  it("the Kafka one: fails naming the secret and how to create it", async () => {
    const target = await sweep({ overrides: { kafkaSecretId: "semaphore/faults/no-such-kafka-secret" } });
    expect((await failsBeforeStarting(target)).message).toBe(
      'Secrets Manager secret "semaphore/faults/no-such-kafka-secret" was not found: create it (README, ' +
        '"Deploy") or fix the secret name/ARN in the stack config',
    );
  });
});

describe("a Meraki secret that holds no usable key", () => {
  const notAKey = (secretId: string) =>
    `secret "${secretId}" does not hold a Meraki API key: store the key as plain text (one line, no spaces) ` +
    'or as the JSON {"apiKey": "<key>"}';

  it("empty (only whitespace): fails naming the secret", async () => {
    const target = await sweep({ secretValues: { meraki: "  \n" } });
    expect((await failsBeforeStarting(target)).message).toBe(notAKey(target.settings.merakiSecretId));
  });

  it('JSON without the key ({"apiKey": ""}): fails naming the secret', async () => {
    const target = await sweep({ secretValues: { meraki: '{"apiKey": ""}' } });
    expect((await failsBeforeStarting(target)).message).toBe(notAKey(target.settings.merakiSecretId));
  });

  it("JSON that does not parse: fails naming the secret, without sending the text to Meraki as a key", async () => {
    const target = await sweep({ secretValues: { meraki: `{"apiKey":"${MERAKI_KEY}"` } });
    expect((await failsBeforeStarting(target)).message).toBe(notAKey(target.settings.merakiSecretId));
  });

  it("two keys on two lines: fails naming the secret, and neither key appears anywhere", async () => {
    const target = await sweep({ secretValues: { meraki: `${MERAKI_KEY}\n${MERAKI_KEY_ROTATED}` } });
    expect((await failsBeforeStarting(target)).message).toBe(notAKey(target.settings.merakiSecretId));
  });
});

describe("a Kafka secret that is not a credential", () => {
  it("empty JSON ({}): fails naming the missing fields", async () => {
    const target = await sweep({ secretValues: { kafka: "{}" } });
    expect((await failsBeforeStarting(target)).message).toBe(
      `secret "${target.settings.kafkaSecretId}" is not a Kafka credential (bad fields: username, password): ` +
        'it must be JSON {"username": "<API key>", "password": "<API secret>"}, the format the event source ' +
        "mapping uses too",
    );
  });

  it('not JSON ("user:password"): fails naming the expected format, never the text', async () => {
    const target = await sweep({
      secretValues: { kafka: `${inject("kafka").username}:${brokerPassword()}` },
    });
    expect((await failsBeforeStarting(target)).message).toBe(
      `secret "${target.settings.kafkaSecretId}" is not a Kafka credential (bad fields: (root)): it must be ` +
        'JSON {"username": "<API key>", "password": "<API secret>"}, the format the event source mapping uses too',
    );
  });

  it("a password that is not text: fails naming the field", async () => {
    const target = await sweep({
      secretValues: { kafka: JSON.stringify({ username: "key", password: 12345678 }) },
    });
    expect((await failsBeforeStarting(target)).message).toContain("(bad fields: password)");
  });
});

describe("the Meraki key rotated between invocations", () => {
  let target: FaultSweep;
  let first: number;
  let stale: Error;
  let retried: number;

  beforeAll(async () => {
    target = await sweep();
    first = summaryOf(await target.invoke()).records.produced;
    await target.putSecret(target.settings.merakiSecretId, MERAKI_KEY_ROTATED);
    simulator.setApiKeys([MERAKI_KEY_ROTATED]);
    stale = errorOf(await target.invoke());
    retried = summaryOf(await target.invoke()).records.produced;
  });

  it("fails the attempt that still used the cached old key, for every organisation, before any record", () => {
    expect(first).toBe(devices());
    expect(stale).toBeInstanceOf(SweepFailedError);
    expect((stale as SweepFailedError).failures.map((f) => f.error)).toEqual([
      expect.any(MerakiAuthError),
      expect.any(MerakiAuthError),
    ]);
  });

  it("and the retry reads the new key and delivers the slot again, under the same record ids", async () => {
    expect(retried).toBe(devices());
    const landed = await target.records();
    expect(landed).toHaveLength(2 * devices());
    expect(new Set(recordIds(landed)).size).toBe(devices());
  });
});

describe("the Kafka API key rotated between invocations, the old one deleted on the cluster", () => {
  let target: FaultSweep;
  let first: number;
  let onTheirWay: Error;
  let stale: Error;
  let retried: number;

  beforeAll(async () => {
    const old = { ...cluster.connection(KAFKA_USER), caLocation: cluster.caLocation };
    target = await sweep({
      kafka: old,
      kafkaSettings: { connectTimeoutMs: 5_000, deliveryTimeoutMs: 5_000 },
    });
    first = summaryOf(await target.invoke()).records.produced;
    const producer = await KafkaTelemetryProducer.connect(
      { bootstrapServers: cluster.bootstrapServers, clientId: "faults", caLocation: cluster.caLocation },
      { username: KAFKA_USER, password: KAFKA_PASSWORD },
    );
    await target.putSecret(
      target.settings.kafkaSecretId,
      kafkaJson(KAFKA_USER_ROTATED, KAFKA_PASSWORD_ROTATED),
    );
    // Deleting a key ends its sessions; here the broker restarts knowing only the new key.
    await cluster.stopNode(1);
    await cluster.startNode(1, { users: { [KAFKA_USER_ROTATED]: KAFKA_PASSWORD_ROTATED } });
    const batch = Array.from({ length: 5 }, (_, i) => ({
      topic: target.topic,
      key: `rotated-${i}`,
      value: "{}",
      headers: { "record-id": `rotated-${i}` },
    }));
    onTheirWay = await producer.produce(batch).then(
      () => new Error("the produce with a deleted key succeeded"),
      (error: unknown) => error as Error,
    );
    watch.note("producer error", onTheirWay);
    await producer.disconnect();
    stale = errorOf(await target.invoke());
    retried = summaryOf(await target.invoke()).records.produced;
  }, 120_000);

  it("records on their way when the key is refused are counted as undelivered, with the refusal as cause", () => {
    expect(onTheirWay).toBeInstanceOf(KafkaDeliveryError);
    const error = onTheirWay as KafkaDeliveryError;
    expect([error.undelivered, error.attempted]).toEqual([5, 5]);
    expect(error.cause).toBeInstanceOf(KafkaAuthenticationError);
    expect(error.message).toMatch(
      /^5 of 5 records were not delivered to Kafka .*rejected the SASL\/PLAIN credentials/,
    );
  });

  it("fails the attempt that still used the cached old key, counting any record it had built", () => {
    expect(first).toBe(devices());
    // Refused at connect (nothing built yet), or while the records were on their way (all counted).
    if (stale instanceof KafkaDeliveryError) {
      expect([stale.undelivered, stale.attempted]).toEqual([devices(), devices()]);
      expect(stale.cause).toBeInstanceOf(KafkaAuthenticationError);
    } else {
      expect(stale).toBeInstanceOf(KafkaAuthenticationError);
    }
  });

  it("and the retry reads the new key and delivers the slot again, under the same record ids", async () => {
    expect(retried).toBe(devices());
    const reader = { ...cluster.connection(KAFKA_USER_ROTATED), caLocation: cluster.caLocation };
    const landed = await readRecords(reader, target.topic, 2 * devices(), { timeoutMs: 20_000 });
    expect(new Set(recordIds(landed)).size).toBe(devices());
  });
});

describe("secrets", () => {
  it("no log line, error or summary of these cases shows a secret value", () => {
    for (const seen of ["SecretError", "MerakiAuthError", "sweep could not start", '"_aws"']) {
      expect(watch.text()).toContain(seen);
    }
    expect(watch.findings(knownSecrets({ "run broker password": brokerPassword() }))).toEqual([]);
  });
});
