import { afterEach, describe, expect, it } from "vitest";
import { type KafkaEventSource, startKafkaEventSource } from "../../infra/local/event-source/index.js";
import {
  base64,
  bytes,
  capturingLogger,
  kafka,
  newGroupId,
  newTopic,
  produce,
  recordingHandler,
  waitFor,
} from "./support.js";

let source: KafkaEventSource | undefined;
afterEach(async () => {
  await source?.stop();
  source = undefined;
});

// Recent, so the broker accepts it (no far-future timestamps) and retention keeps it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

describe("the SelfManagedKafka event the handler receives", () => {
  it("has AWS's shape: records grouped by topic-partition in offset order, key and value base64, headers as byte arrays", async () => {
    const uplinks = await newTopic(2);
    const statuses = await newTopic(1);
    await produce(uplinks, [
      {
        partition: 1,
        key: "Q2XX-0001",
        value: '{"lossPercent":0.5}',
        headers: { "content-type": "application/json", schema: "semaphore.uplink-loss-latency.v1" },
        timestamp: T0,
      },
      { partition: 0, key: "Q2XX-0002", value: '{"lossPercent":0}', timestamp: T0 + 1 },
      { partition: 1, key: "Q2XX-0003", value: '{"lossPercent":1.5}', timestamp: T0 + 2 },
    ]);
    await produce(statuses, [
      { partition: 0, key: "Q2XX-0004", value: '{"status":"online"}', timestamp: T0 + 3 },
    ]);
    const { handler, events } = recordingHandler();

    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [uplinks, statuses],
      groupId: newGroupId(),
      batchSize: 100,
      batchingWindowSeconds: 2,
      startingPosition: "TRIM_HORIZON",
      handler,
      logger: capturingLogger(),
    });
    await waitFor(() => events.length > 0, "the first event");

    expect(events).toStrictEqual([
      {
        eventSource: "SelfManagedKafka",
        bootstrapServers: kafka().bootstrapServers,
        records: {
          [`${uplinks}-0`]: [
            {
              topic: uplinks,
              partition: 0,
              offset: 0,
              timestamp: T0 + 1,
              timestampType: "CREATE_TIME",
              key: base64("Q2XX-0002"),
              value: base64('{"lossPercent":0}'),
              headers: [],
            },
          ],
          [`${uplinks}-1`]: [
            {
              topic: uplinks,
              partition: 1,
              offset: 0,
              timestamp: T0,
              timestampType: "CREATE_TIME",
              key: base64("Q2XX-0001"),
              value: base64('{"lossPercent":0.5}'),
              headers: [
                { "content-type": bytes("application/json") },
                { schema: bytes("semaphore.uplink-loss-latency.v1") },
              ],
            },
            {
              topic: uplinks,
              partition: 1,
              offset: 1,
              timestamp: T0 + 2,
              timestampType: "CREATE_TIME",
              key: base64("Q2XX-0003"),
              value: base64('{"lossPercent":1.5}'),
              headers: [],
            },
          ],
          [`${statuses}-0`]: [
            {
              topic: statuses,
              partition: 0,
              offset: 0,
              timestamp: T0 + 3,
              timestampType: "CREATE_TIME",
              key: base64("Q2XX-0004"),
              value: base64('{"status":"online"}'),
              headers: [],
            },
          ],
        },
      },
    ]);
  });

  it("leaves out the key of a record without one and the value of a tombstone, as AWS does", async () => {
    const topic = await newTopic();
    await produce(topic, [
      { partition: 0, key: null, value: "no key", timestamp: T0 },
      { partition: 0, key: "deleted-device", value: null, timestamp: T0 },
    ]);
    const { handler, events } = recordingHandler();

    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [topic],
      groupId: newGroupId(),
      batchSize: 2,
      batchingWindowSeconds: 5,
      startingPosition: "TRIM_HORIZON",
      handler,
      logger: capturingLogger(),
    });
    await waitFor(() => events.length > 0, "the event");

    expect(events[0]?.records[`${topic}-0`]).toStrictEqual([
      {
        topic,
        partition: 0,
        offset: 0,
        timestamp: T0,
        timestampType: "CREATE_TIME",
        value: base64("no key"),
        headers: [],
      },
      {
        topic,
        partition: 0,
        offset: 1,
        timestamp: T0,
        timestampType: "CREATE_TIME",
        key: base64("deleted-device"),
        headers: [],
      },
    ]);
  });

  it("gives header values as Java's signed bytes, one entry per header, repeated names kept apart", async () => {
    const topic = await newTopic();
    await produce(topic, [
      {
        partition: 0,
        value: "{}",
        headers: {
          site: "Zürich",
          raw: Buffer.from([0x00, 0x7f, 0x80, 0xff]),
          hop: ["edge-1", "edge-2"],
          empty: "",
        },
      },
    ]);
    const { handler, events } = recordingHandler();

    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [topic],
      groupId: newGroupId(),
      batchSize: 1,
      batchingWindowSeconds: 0,
      startingPosition: "TRIM_HORIZON",
      handler,
      logger: capturingLogger(),
    });
    await waitFor(() => events.length > 0, "the event");

    expect(events[0]?.records[`${topic}-0`]?.[0]?.headers).toStrictEqual([
      { site: [90, -61, -68, 114, 105, 99, 104] },
      { raw: [0, 127, -128, -1] },
      { hop: bytes("edge-1") },
      { hop: bytes("edge-2") },
      { empty: [] },
    ]);
  });

  it("comes with a Lambda context naming the function, a new request id per invocation", async () => {
    const topic = await newTopic();
    await produce(topic, [
      { partition: 0, value: "a" },
      { partition: 0, value: "b" },
    ]);
    const { handler, contexts } = recordingHandler();

    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [topic],
      groupId: newGroupId(),
      batchSize: 1,
      batchingWindowSeconds: 0,
      startingPosition: "TRIM_HORIZON",
      handler,
      functionName: "semaphore-consumer-local",
      logger: capturingLogger(),
    });
    await waitFor(() => contexts.length === 2, "two invocations");

    expect(contexts.map((c) => c.functionName)).toEqual([
      "semaphore-consumer-local",
      "semaphore-consumer-local",
    ]);
    expect(contexts[0]?.invokedFunctionArn).toBe(
      "arn:aws:lambda:us-east-1:000000000000:function:semaphore-consumer-local",
    );
    expect(contexts[0]?.awsRequestId).not.toBe(contexts[1]?.awsRequestId);
  });
});
