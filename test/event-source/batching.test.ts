import { afterEach, describe, expect, it } from "vitest";
import {
  type KafkaEventSource,
  KafkaEventSourceError,
  startKafkaEventSource,
} from "../../infra/local/event-source/index.js";
import {
  capturingLogger,
  deliveredValues,
  kafka,
  newGroupId,
  newTopic,
  positions,
  produce,
  recordingHandler,
  recordsOf,
  values,
  waitFor,
} from "./support.js";

let source: KafkaEventSource | undefined;
afterEach(async () => {
  await source?.stop();
  source = undefined;
});

describe("batching", () => {
  it("puts at most batchSize records in an event, in offset order, and delivers a full batch at once", async () => {
    const topic = await newTopic();
    await produce(topic, values(7));
    const { handler, events } = recordingHandler();

    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [topic],
      groupId: newGroupId(),
      batchSize: 3,
      // Far longer than the test: only full batches can be delivered before it ends.
      batchingWindowSeconds: 300,
      startingPosition: "TRIM_HORIZON",
      handler,
      logger: capturingLogger(),
    });
    await waitFor(() => events.length === 2, "two full batches");

    expect(events.map(positions)).toEqual([
      [`${topic}[0]@0`, `${topic}[0]@1`, `${topic}[0]@2`],
      [`${topic}[0]@3`, `${topic}[0]@4`, `${topic}[0]@5`],
    ]);
  });

  it("never exceeds batchSize when records come from several partitions", async () => {
    const topic = await newTopic(3);
    await produce(topic, [...values(4, 0, "p0"), ...values(4, 1, "p1"), ...values(4, 2, "p2")]);
    const { handler, events } = recordingHandler();

    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [topic],
      groupId: newGroupId(),
      batchSize: 5,
      batchingWindowSeconds: 1,
      startingPosition: "TRIM_HORIZON",
      handler,
      logger: capturingLogger(),
    });
    await waitFor(() => events.flatMap(recordsOf).length >= 12, "all 12 records");

    expect(events.map((e) => recordsOf(e).length).every((n) => n <= 5)).toBe(true);
    expect(deliveredValues(events).sort()).toEqual(
      ["p0", "p1", "p2"].flatMap((p) => [0, 1, 2, 3].map((i) => `${p}-${i}`)).sort(),
    );
  });

  it("holds a partial batch open for the batching window, then delivers it", async () => {
    const topic = await newTopic();
    const { handler, events } = recordingHandler();
    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [topic],
      groupId: newGroupId(),
      batchSize: 100,
      batchingWindowSeconds: 3,
      startingPosition: "TRIM_HORIZON",
      handler,
      logger: capturingLogger(),
    });

    await produce(topic, values(2, 0, "early"));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await produce(topic, values(1, 0, "late"));
    await waitFor(() => events.length > 0, "the partial batch");

    expect(events.map((e) => deliveredValues([e]))).toEqual([["early-0", "early-1", "late-0"]]);
  });

  it("starts a new event rather than exceed Lambda's 6 MB invocation payload", async () => {
    const topic = await newTopic();
    // 800 KB each, about 1.07 MB once base64-encoded: five fit in 6 MB, six do not.
    await produce(
      topic,
      Array.from({ length: 7 }, (_, i) => ({ partition: 0, value: String(i).repeat(800_000) })),
    );
    const { handler, events } = recordingHandler();

    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [topic],
      groupId: newGroupId(),
      batchSize: 100,
      batchingWindowSeconds: 1,
      startingPosition: "TRIM_HORIZON",
      handler,
      logger: capturingLogger(),
    });
    await waitFor(() => events.flatMap(recordsOf).length >= 7, "all 7 records");

    expect(events.map((e) => recordsOf(e).length)).toEqual([5, 2]);
    expect(events.every((e) => Buffer.byteLength(JSON.stringify(e)) <= 6 * 1024 * 1024)).toBe(true);
  });

  it("with a window of 0, delivers what one poll returned without waiting for more", async () => {
    const topic = await newTopic();
    const { handler, events } = recordingHandler();
    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [topic],
      groupId: newGroupId(),
      batchSize: 100,
      batchingWindowSeconds: 0,
      startingPosition: "TRIM_HORIZON",
      handler,
      logger: capturingLogger(),
    });

    await produce(topic, values(1, 0, "first"));
    await waitFor(() => events.length === 1, "the first event");
    await produce(topic, values(1, 0, "second"));
    await waitFor(() => events.length === 2, "the second event");

    expect(events.map((e) => deliveredValues([e]))).toEqual([["first-0"], ["second-0"]]);
  });

  it("with startingPosition LATEST, a new group skips what the topic already held", async () => {
    const topic = await newTopic();
    await produce(topic, values(3, 0, "before"));
    const { handler, events } = recordingHandler();
    source = await startKafkaEventSource({
      connection: kafka(),
      topics: [topic],
      groupId: newGroupId(),
      batchSize: 10,
      batchingWindowSeconds: 0,
      startingPosition: "LATEST",
      handler,
      logger: capturingLogger(),
    });

    await produce(topic, values(1, 0, "after"));
    await waitFor(() => events.length > 0, "the event");

    expect(events.map(positions)).toEqual([[`${topic}[0]@3`]]);
  });

  it("rejects settings AWS would refuse, naming each one", async () => {
    const attempt = startKafkaEventSource({
      connection: kafka(),
      topics: [],
      groupId: "g",
      batchSize: 10_001,
      batchingWindowSeconds: 301,
      startingPosition: "TRIM_HORIZON",
      handler: async () => undefined,
    });

    await expect(attempt).rejects.toThrow(KafkaEventSourceError);
    await expect(attempt).rejects.toThrow(
      "invalid event source options for group g:\n" +
        "  - topics: at least one topic is needed\n" +
        "  - batchSize: 10001 is not an integer in 1..10000\n" +
        "  - batchingWindowSeconds: 301 is not in 0..300",
    );
  });
});
