import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InvalidKafkaEventError } from "../../shared/consumer/errors.js";
import { consumerUnderTest, NOW } from "./support/consumer.js";
import { BOOTSTRAP_SERVERS, javaBytes, kafkaEvent, PRODUCED_AT, produced } from "./support/kafka-event.js";
import {
  clientRecords,
  floor2Ap,
  laptop,
  lobbyAp,
  mainOfficeWan1,
  mainOfficeWan2,
  printer,
  statusRecords,
  uplinkRecords,
} from "./support/telemetry.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the SelfManagedKafka event", () => {
  it("is read exactly as AWS documents it (the sample event of the Lambda developer guide)", async () => {
    const consumer = consumerUnderTest();
    const awsSample = {
      eventSource: "SelfManagedKafka" as const,
      bootstrapServers:
        "b-2.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092,b-1.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092",
      records: {
        "mytopic-0": [
          {
            topic: "mytopic",
            partition: 0,
            offset: 15,
            timestamp: 1545084650987,
            timestampType: "CREATE_TIME" as const,
            key: "abcDEFghiJKLmnoPQRstuVWXyz1234==",
            value: "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==",
            headers: [{ headerKey: [104, 101, 97, 100, 101, 114, 86, 97, 108, 117, 101] }],
          },
        ],
      },
    };
    const summary = await consumer.invoke(awsSample);
    expect(summary.rejectedByReason).toEqual({ "not-json": 1 });
    expect(consumer.records()[0]).toMatchObject({
      reason: "not-json",
      topic: "mytopic",
      partition: 0,
      offset: 15,
      valueBytes: 22,
      preview: "Hello, this is a test.",
    });
  });

  it("is what the test helper builds: base64 key and value, headers as byte arrays, topic-partition groups", () => {
    const [status] = statusRecords([lobbyAp]);
    const event = kafkaEvent(produced([status!]));
    expect(event).toEqual({
      eventSource: "SelfManagedKafka",
      bootstrapServers: BOOTSTRAP_SERVERS,
      records: {
        "meraki.devices.statuses-0": [
          {
            topic: "meraki.devices.statuses",
            partition: 0,
            offset: 0,
            timestamp: PRODUCED_AT,
            timestampType: "CREATE_TIME",
            key: Buffer.from("Q234-ABCD-0001").toString("base64"),
            value: Buffer.from(status!.value).toString("base64"),
            headers: [
              {
                "content-type": [97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110],
              },
              { schema: [...Buffer.from("semaphore.device-status.v1")] },
              { "record-id": [...Buffer.from(status!.headers["record-id"]!)] },
            ],
          },
        ],
      },
    });
  });

  it("decodes header values sent as Java's signed bytes as well as unsigned ones", async () => {
    const consumer = consumerUnderTest();
    const claimed = "semaphore.dévice-status.v1";
    expect(javaBytes(claimed)).toContain(-61);
    const signed = kafkaEvent([
      { topic: "meraki.devices.statuses", value: "?", headers: { schema: claimed } },
    ]);
    const unsigned = kafkaEvent([{ topic: "meraki.devices.statuses", value: "?", headers: {} }]);
    unsigned.records["meraki.devices.statuses-0"]![0]!.headers = [{ schema: [...Buffer.from(claimed)] }];
    await consumer.invoke(signed);
    await consumer.invoke(unsigned);
    expect(consumer.records().map((line) => line.schema)).toEqual([claimed, claimed]);
  });

  it("takes records of several topics and partitions in one batch, each line naming its own location", async () => {
    const consumer = consumerUnderTest();
    const records = [
      ...produced(uplinkRecords([mainOfficeWan1, mainOfficeWan2]), 3),
      ...produced(clientRecords([laptop, printer]), 3),
      ...produced(statusRecords([lobbyAp, floor2Ap]), 3),
    ];
    const event = kafkaEvent(records);
    expect(Object.keys(event.records).length).toBeGreaterThan(3);
    const summary = await consumer.invoke(event);
    expect(summary.accepted).toBe(6);
    const expected = Object.values(event.records)
      .flat()
      .map((record) => [record.topic, record.partition, record.offset]);
    expect(consumer.records().map((line) => [line.topic, line.partition, line.offset])).toEqual(expected);
  });

  it("accepts records without a key, and records with timestampType LOG_APPEND_TIME", async () => {
    const consumer = consumerUnderTest();
    const keyless = produced(statusRecords([lobbyAp, floor2Ap])).map((record) => ({
      ...record,
      key: null,
      timestampType: "LOG_APPEND_TIME" as const,
    }));
    const event = kafkaEvent(keyless);
    expect(event.records["meraki.devices.statuses-0"]![0]).not.toHaveProperty("key");
    const summary = await consumer.invoke(event);
    expect(summary.accepted).toBe(2);
  });

  it("accepts records without headers: the envelope alone is the contract", async () => {
    const consumer = consumerUnderTest();
    const headerless = produced(statusRecords([lobbyAp])).map(({ headers: _, ...record }) => record);
    const summary = await consumer.invoke(kafkaEvent(headerless));
    expect(summary.accepted).toBe(1);
  });

  it("names a hand-made record that lacks its location from its topic-partition group", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke({
      records: { "meraki.uplinks.loss-latency-2": [{ value: Buffer.from("x").toString("base64") }] },
    } as never);
    expect(consumer.records()[0]).toMatchObject({
      topic: "meraki.uplinks.loss-latency",
      partition: 2,
      offset: -1,
    });
  });

  it("fails an invocation with something that is not a Kafka event, saying what was expected", async () => {
    const consumer = consumerUnderTest();
    const invocation = consumer.invoke({ scheduledTime: "2026-11-22T10:05:00Z" } as never);
    await expect(invocation).rejects.toThrow(InvalidKafkaEventError);
    await expect(invocation).rejects.toThrow(/has no `records` object keyed by topic-partition/);
  });
});
