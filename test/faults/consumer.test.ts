// Consumer faults: poison, oversized and repeated records read from the run's broker through the
// event-source emulator (consumer group, AWS-shaped events, commit after success) into the real
// consumer handler, and event shapes only a hand-made invocation can send. A bad record is a
// logged, counted rejection and never fails the batch (that would block its partition); every
// good record is written once; the batch is committed and the partition moves on.
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { KafkaJS } from "@confluentinc/kafka-javascript";
import type { Context, SelfManagedKafkaEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type DeliveredBatch,
  type KafkaEventSource,
  startKafkaEventSource,
} from "../../infra/local/event-source/index.js";
import { createTopics, kafkaClientConfig } from "../../infra/local/kafka/admin.js";
import { lambdaContext } from "../../infra/local/lambda-context.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import type { ConsumerBatchSummary } from "../../shared/consumer/batch-tally.js";
import { type ConsumerHandler, createConsumerHandler } from "../../shared/consumer/handler.js";
import { jsonLineLog } from "../../shared/consumer/record-log.js";
import type { ReadRecord } from "../support/kafka-read.js";
import { type FaultSweep, faultSweep, summaryOf } from "./support/harness.js";
import { type LeakWatch, leakWatch } from "./support/leak-watch.js";
import { knownSecrets, MERAKI_KEY } from "./support/secrets.js";

const watch: LeakWatch = leakWatch();
let simulator: RunningSimulator;
let source: FaultSweep;
/** Three real envelopes, as a sweep produced them. */
let valid: ReadRecord[];
const sources: KafkaEventSource[] = [];

interface Written {
  /** The "telemetry" lines, parsed. */
  telemetry: Array<Record<string, unknown>>;
  /** The "rejected record" lines, parsed. */
  rejected: Array<Record<string, unknown>>;
  /** Every line exactly as written. */
  raw: string[];
}

/** The real handler and its real line writer, the lines kept instead of printed. */
function consumer(): { handler: ConsumerHandler; written: Written } {
  const written: Written = { telemetry: [], rejected: [], raw: [] };
  const handler = createConsumerHandler(
    { serviceName: "semaphore-consumer", metricNamespace: "Semaphore", metricDimensions: "network" },
    {
      logger: new Logger({ serviceName: "semaphore-consumer", logLevel: "DEBUG" }),
      recordLog: jsonLineLog({
        serviceName: "semaphore-consumer",
        write: (line) => {
          written.raw.push(line);
          const parsed = JSON.parse(line) as Record<string, unknown>;
          (parsed.message === "telemetry" ? written.telemetry : written.rejected).push(parsed);
        },
      }),
    },
  );
  return { handler, written };
}

beforeAll(async () => {
  watch.start();
  simulator = await startMerakiSimulator({
    seed: 61,
    organizations: 1,
    networksPerOrg: 1,
    devicesPerOrg: 3,
    apiKey: MERAKI_KEY,
  });
  source = await faultSweep({
    kind: "device-availability",
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey: MERAKI_KEY,
    watch,
  });
  expect(summaryOf(await source.invoke()).records.produced).toBe(3);
  valid = await source.records();
});

afterAll(async () => {
  await Promise.all(sources.map((s) => s.stop()));
  await source?.close();
  await simulator?.stop();
  watch.stop();
});

interface RawRecord {
  key: string | null;
  value: Buffer | string | null;
  headers?: Record<string, string>;
}

/** Writes the records, in order, to partition 0 of a new topic, exactly as given (no envelope, no checks). */
async function topicWith(records: RawRecord[]): Promise<string> {
  const topic = `faults.consumer.${randomUUID().slice(0, 8)}`;
  await createTopics(inject("kafka"), [{ name: topic, partitions: 1 }]);
  const producer = new KafkaJS.Kafka({}).producer({
    ...kafkaClientConfig(inject("kafka")),
    "message.max.bytes": 2_000_000,
    kafkaJS: { logLevel: KafkaJS.logLevel.NOTHING },
  } as KafkaJS.ProducerConstructorConfig);
  await producer.connect();
  await producer.send({
    topic,
    messages: records.map((r) => ({
      partition: 0,
      key: r.key,
      value: r.value,
      ...(r.headers ? { headers: r.headers } : {}),
    })),
  });
  await producer.disconnect();
  return topic;
}

/** Runs the event source on the topic until `count` records went through successful batches. */
async function consume(
  topic: string,
  handler: (event: SelfManagedKafkaEvent, context: Context) => Promise<unknown>,
  count: number,
): Promise<DeliveredBatch[]> {
  const batches: DeliveredBatch[] = [];
  let records = 0;
  let done!: () => void;
  const enough = new Promise<void>((resolve) => {
    done = resolve;
  });
  const started = await startKafkaEventSource({
    connection: inject("kafka"),
    topics: [topic],
    groupId: `faults-consumer-${randomUUID()}`,
    batchSize: 100,
    batchingWindowSeconds: 1,
    startingPosition: "TRIM_HORIZON",
    retryDelayMs: 200,
    handler: (event, context) => handler(event, context),
    onBatch: (batch) => {
      batches.push(batch);
      records += Object.values(batch.event.records).flat().length;
      if (records >= count) done();
    },
    logger: {
      info: (message, attributes) => watch.note(`event source: ${message}`, attributes),
      warn: (message, attributes) => watch.note(`event source: ${message}`, attributes),
      error: (message, attributes) => watch.note(`event source: ${message}`, attributes),
    },
  });
  sources.push(started);
  await enough;
  return batches;
}

const header = (record: ReadRecord) => record.headers as Record<string, string>;

describe("poison, oversized and repeated records among good ones in one partition", () => {
  const OVERSIZED = 900_000;
  let batches: DeliveredBatch[];
  let written: Written;
  let summaries: ConsumerBatchSummary[];
  let produced: RawRecord[];

  beforeAll(async () => {
    const [a, b, c] = valid as [ReadRecord, ReadRecord, ReadRecord];
    const envelopeA = JSON.parse(a.value) as Record<string, unknown>;
    produced = [
      { key: a.key, value: a.value, headers: header(a) },
      { key: "poison-1", value: "{not json", headers: { schema: "semaphore.device-availability.v1" } },
      { key: "poison-2", value: Buffer.from([0xff, 0xfe, 0x00, 0x81]) },
      { key: "poison-3", value: JSON.stringify([{ serial: "Q2XX" }]) },
      {
        key: "poison-4",
        value: JSON.stringify({ ...envelopeA, schema: "semaphore.device-availability.v9" }),
      },
      { key: "poison-5", value: JSON.stringify({ ...envelopeA, data: { status: 42 } }) },
      { key: b.key, value: b.value, headers: { ...header(b), "record-id": "not-its-id" } },
      { key: "tombstone", value: null },
      { key: "oversized", value: JSON.stringify({ junk: "x".repeat(OVERSIZED) }) },
      { key: a.key, value: a.value, headers: header(a) },
      { key: c.key, value: c.value, headers: header(c) },
      { key: b.key, value: b.value, headers: header(b) },
    ];
    const topic = await topicWith(produced);
    const under = consumer();
    written = under.written;
    summaries = [];
    batches = await consume(
      topic,
      async (event, context) => {
        const summary = await under.handler(event, context);
        summaries.push(summary);
        return summary;
      },
      produced.length,
    );
  }, 60_000);

  it("writes each good record once, in partition order", () => {
    expect(written.telemetry.map((line) => line.recordId)).toEqual(
      [valid[0]!, valid[2]!, valid[1]!].map((r) => r.headers["record-id"]),
    );
  });

  it("logs each bad record once, with its reason and offset, and none fails the batch", () => {
    expect(written.rejected.map((line) => [line.key, line.reason])).toEqual([
      ["poison-1", "not-json"],
      ["poison-2", "not-utf8"],
      ["poison-3", "foreign-producer"],
      ["poison-4", "unknown-schema"],
      ["poison-5", "invalid-envelope"],
      [valid[1]!.key, "header-mismatch"],
      ["tombstone", "empty-value"],
      ["oversized", "foreign-producer"],
    ]);
    expect(written.rejected.map((line) => line.offset)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(batches.every((batch) => batch.attempt === 1)).toBe(true);
  });

  it("accounts for every record: written, rejected or a repeat within the batch", () => {
    const total = (pick: (summary: ConsumerBatchSummary) => number) =>
      summaries.reduce((n, summary) => n + pick(summary), 0);
    expect([
      total((s) => s.records),
      total((s) => s.accepted),
      total((s) => s.rejected),
      total((s) => s.duplicates),
    ]).toEqual([produced.length, 3, 8, 1]);
  });

  it("keeps the line of an oversized record short: its size and a preview, not its content", () => {
    const line = written.raw.find((text) => text.includes('"key":"oversized"'))!;
    expect(line.length).toBeLessThan(2_000);
    expect(written.rejected.find((r) => r.key === "oversized")!.valueBytes).toBe(
      OVERSIZED + '{"junk":""}'.length,
    );
  });

  it("commits past the last record, so the partition moves on", () => {
    const committed = batches.flatMap((batch) => batch.committed);
    expect(Math.max(...committed.map((c) => Number(c.offset)))).toBe(produced.length);
  });
});

describe("event shapes only a hand-made invocation sends", () => {
  const invoke = (handler: ConsumerHandler, event: unknown) =>
    handler(event as SelfManagedKafkaEvent, lambdaContext("semaphore-consumer")).then(
      (summary) => {
        watch.note("consumer summary", summary);
        return { ok: true as const, summary };
      },
      (error: unknown) => {
        watch.note("consumer error", error);
        return { ok: false as const, error: error as Error };
      },
    );

  it.each([
    ["null", null],
    ["an array", []],
    ["records as an array", { eventSource: "SelfManagedKafka", records: [] }],
    ["a group that is not a list", { eventSource: "SelfManagedKafka", records: { "t-0": "x" } }],
  ])("%s: fails with InvalidKafkaEventError and writes nothing", async (_name, event) => {
    const { handler, written } = consumer();
    const outcome = await invoke(handler, event);
    expect(outcome.ok).toBe(false);
    expect((outcome as { error: Error }).error.name).toBe("InvalidKafkaEventError");
    expect(written.raw).toEqual([]);
  });

  it("records that are not records are rejected one by one; the good one among them is written", async () => {
    const { handler, written } = consumer();
    const good = valid[0]!;
    const event = {
      eventSource: "SelfManagedKafka",
      records: {
        "t-0": [
          null,
          42,
          { offset: "7", value: 42, key: 5, headers: "x" },
          { offset: 3, value: "not base64 !!", headers: [{ schema: "not bytes" }, null] },
          {
            topic: "t",
            partition: 0,
            offset: 4,
            value: Buffer.from(good.value).toString("base64"),
            headers: Object.entries(good.headers).map(([name, value]) => ({
              [name]: [...Buffer.from(value)],
            })),
          },
        ],
      },
    };
    const outcome = await invoke(handler, event);
    expect(outcome).toMatchObject({ ok: true, summary: { records: 5, accepted: 1, rejected: 4 } });
    expect(written.telemetry.map((line) => line.recordId)).toEqual([good.headers["record-id"]]);
    expect(written.rejected.map((line) => line.reason)).toEqual([
      "empty-value",
      "empty-value",
      "empty-value",
      "not-base64",
    ]);
  });

  it("keys like __proto__ in groups and headers are read as data and change no object's prototype", async () => {
    const { handler, written } = consumer();
    const good = valid[0]!;
    const text = `{"eventSource":"SelfManagedKafka","records":{"__proto__":[{"offset":0,"value":"${Buffer.from(
      good.value,
    ).toString("base64")}","headers":[{"__proto__":[1,2]},{"constructor":[3]},{"record-id":${JSON.stringify([
      ...Buffer.from(good.headers["record-id"]!),
    ])}}]}]}}`;
    const outcome = await invoke(handler, JSON.parse(text));
    expect(outcome).toMatchObject({ ok: true, summary: { records: 1, accepted: 1 } });
    expect(written.telemetry).toHaveLength(1);
    expect(({} as Record<string, unknown>).offset).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe("the event source's Kafka credentials refused", () => {
  it("fails to start with a KafkaAuthenticationError that never shows the password", async () => {
    const wrong = `${inject("kafka").password}-rotated-away`;
    const failure = await startKafkaEventSource({
      connection: { ...inject("kafka"), password: wrong },
      topics: [source.topic],
      groupId: `faults-consumer-${randomUUID()}`,
      batchSize: 10,
      batchingWindowSeconds: 1,
      startingPosition: "TRIM_HORIZON",
      handler: async () => undefined,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    }).then(
      (started) => {
        sources.push(started);
        return new Error("started with a wrong password");
      },
      (error: unknown) => error as Error,
    );
    watch.note("event source error", failure);
    expect(failure.name).toBe("KafkaAuthenticationError");
    expect(failure.message).not.toContain(wrong);
    expect(watch.findings({ "the refused password": wrong })).toEqual([]);
  });
});

describe("secrets", () => {
  it("no log line, error or summary of these cases shows a secret value", () => {
    for (const seen of ["InvalidKafkaEventError", "batch processed", '"_aws"'])
      expect(watch.text()).toContain(seen);
    expect(watch.findings(knownSecrets({ "run broker password": inject("kafka").password }))).toEqual([]);
  });
});
