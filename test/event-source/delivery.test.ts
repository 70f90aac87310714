import { afterEach, describe, expect, it } from "vitest";
import {
  type BatchFailure,
  HandlerInvocationError,
  type KafkaEventSource,
  KafkaEventSourceError,
  type KafkaEventSourceOptions,
  startKafkaEventSource,
} from "../../infra/local/event-source/index.js";
import { withAdmin } from "../../infra/local/kafka/admin.js";
import { KafkaAuthenticationError } from "../../shared/kafka/errors.js";
import {
  capturingLogger,
  committedOffsets,
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

const sources: KafkaEventSource[] = [];
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop()));
});

async function start(
  options: Pick<KafkaEventSourceOptions, "topics" | "groupId" | "handler"> & Partial<KafkaEventSourceOptions>,
): Promise<KafkaEventSource> {
  const source = await startKafkaEventSource({
    connection: kafka(),
    batchSize: 10,
    batchingWindowSeconds: 0,
    startingPosition: "TRIM_HORIZON",
    retryDelayMs: 50,
    logger: capturingLogger(),
    ...options,
  });
  sources.push(source);
  return source;
}

describe("offsets and delivery guarantees", () => {
  it("commits the next offset of each partition after the handler succeeds; the group resumes there", async () => {
    const topic = await newTopic(2);
    const groupId = newGroupId();
    await produce(topic, [...values(3, 0, "p0"), ...values(2, 1, "p1")]);
    const first = recordingHandler();
    const source = await start({ topics: [topic], groupId, handler: first.handler });
    await waitFor(() => deliveredValues(first.events).length === 5, "the first 5 records");
    await source.stop();

    expect(await committedOffsets(groupId, topic)).toEqual({ 0: "3", 1: "2" });

    await produce(topic, [{ partition: 0, value: "p0-3" }]);
    const second = recordingHandler();
    await start({ topics: [topic], groupId, handler: second.handler });
    await waitFor(() => second.events.length > 0, "the new record");

    expect(second.events.map(positions)).toEqual([[`${topic}[0]@3`]]);
  });

  it("after a handler failure delivers the same records again until the handler succeeds, then commits", async () => {
    const topic = await newTopic();
    const groupId = newGroupId();
    await produce(topic, values(3));
    const logger = capturingLogger();
    const { handler, events } = recordingHandler((event, invocation) => {
      if (invocation > 2) return;
      recordsOf(event)[0]!.value = "decoded in place"; // must not leak into the retry
      throw new Error(`downstream unavailable (${invocation})`);
    });
    const source = await start({ topics: [topic], groupId, handler, logger });
    await waitFor(() => source.stats().batches === 1, "a successful invocation");

    expect(events).toHaveLength(3);
    expect(events[1]).toStrictEqual(events[0]);
    expect(events[2]).toStrictEqual(events[0]);
    expect(events.map(positions)[0]).toEqual([`${topic}[0]@0`, `${topic}[0]@1`, `${topic}[0]@2`]);
    expect(source.stats()).toEqual({ batches: 1, records: 3, failures: 2, retries: 2 });
    expect(await committedOffsets(groupId, topic)).toEqual({ 0: "3" });
  });

  it("logs each failure with the function, topic, partition and offsets of the batch", async () => {
    const topic = await newTopic();
    await produce(topic, values(2));
    const logger = capturingLogger();
    const { handler } = recordingHandler((_event, invocation) => {
      if (invocation === 1) throw new Error("downstream unavailable");
    });
    const source = await start({
      topics: [topic],
      groupId: newGroupId(),
      handler,
      logger,
      functionName: "consumer",
    });
    await waitFor(() => source.stats().batches === 1, "the retry to succeed");

    const errors = logger.lines.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe("handler failed; the batch will be delivered again");
    expect(errors[0]?.attributes.partitions).toEqual([
      { topic, partition: 0, firstOffset: 0, lastOffset: 1 },
    ]);
    const error = errors[0]?.attributes.error;
    expect(error).toBeInstanceOf(HandlerInvocationError);
    expect((error as HandlerInvocationError).message).toBe(
      `consumer failed on ${topic}[0] offsets 0..1 (group ${(error as HandlerInvocationError).groupId}, attempt 1): ` +
        "downstream unavailable",
    );
  });

  it("leaves a failing batch uncommitted: after a restart the group gets the same records again", async () => {
    const topic = await newTopic();
    const groupId = newGroupId();
    await produce(topic, values(2));
    const failing = recordingHandler(() => {
      throw new Error("always fails");
    });
    const source = await start({ topics: [topic], groupId, handler: failing.handler });
    await waitFor(() => failing.events.length >= 2, "a failure and a retry");
    await source.stop();

    expect(await committedOffsets(groupId, topic)).toEqual({}); // nothing committed for any partition

    const healthy = recordingHandler();
    await start({ topics: [topic], groupId, handler: healthy.handler });
    await waitFor(() => healthy.events.length > 0, "the redelivery");

    expect(healthy.events.map(positions)).toEqual([[`${topic}[0]@0`, `${topic}[0]@1`]]);
  });

  it("with maxRetries, hands a batch that keeps failing to onFailure, then commits it and moves on", async () => {
    const topic = await newTopic();
    const groupId = newGroupId();
    await produce(topic, [{ partition: 0, value: "poison" }]);
    const failures: BatchFailure[] = [];
    const { handler, events } = recordingHandler((event) => {
      if (deliveredValues([event]).includes("poison")) throw new Error("cannot process");
    });
    const source = await start({
      topics: [topic],
      groupId,
      handler,
      maxRetries: 2,
      onFailure: (failure) => {
        failures.push(failure);
      },
    });
    await waitFor(() => failures.length === 1, "the batch to be given up");
    await produce(topic, [{ partition: 0, value: "fine" }]);
    await waitFor(() => source.stats().batches === 1, "the next record");

    expect(events.map((e) => deliveredValues([e]))).toEqual([["poison"], ["poison"], ["poison"], ["fine"]]);
    expect(failures[0]?.attempts).toBe(3);
    expect(deliveredValues([failures[0]!.event])).toEqual(["poison"]);
    expect(failures[0]?.error.message).toMatch(/attempt 3\): cannot process$/);
    expect(source.stats()).toEqual({ batches: 1, records: 1, failures: 3, retries: 2 });
    expect(await committedOffsets(groupId, topic)).toEqual({ 0: "2" });
  });

  it("stop() lets a running invocation finish and commits it before leaving the group", async () => {
    const topic = await newTopic();
    const groupId = newGroupId();
    await produce(topic, values(2));
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { handler, events } = recordingHandler(() => released);
    const source = await start({ topics: [topic], groupId, handler });
    await waitFor(() => events.length === 1, "the invocation to start");

    let stopped = false;
    const stopping = source.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(await committedOffsets(groupId, topic)).toEqual({ 0: "2" });
    expect(events).toHaveLength(1);
  });

  it("stop() while idle resolves and leaves no member in the group", async () => {
    const topic = await newTopic();
    const groupId = newGroupId();
    const source = await start({ topics: [topic], groupId, handler: recordingHandler().handler });

    await source.stop();
    await source.stop(); // idempotent

    const { groups } = await withAdmin(kafka(), (admin) => admin.describeGroups([groupId]));
    expect(groups[0]?.members).toEqual([]);
  });

  it("shares partitions with members that join and leave; every record is delivered exactly once", async () => {
    const topic = await newTopic(2);
    const groupId = newGroupId();
    const slow = () => new Promise((resolve) => setTimeout(resolve, 50));
    const a = recordingHandler(slow);
    const b = recordingHandler(slow);
    const delivered = () => first.stats().records + second.stats().records;
    await produce(topic, [...values(10, 0, "a0"), ...values(10, 1, "a1")]);
    const first = await start({ topics: [topic], groupId, handler: a.handler, batchSize: 2 });
    await waitFor(() => a.events.length >= 2, "the first member to be busy");

    const second = await start({ topics: [topic], groupId, handler: b.handler, batchSize: 2 });
    await produce(topic, [...values(10, 0, "b0"), ...values(10, 1, "b1")]);
    await waitFor(() => delivered() === 40, "the 40 records produced so far");
    const secondMemberShare = b.events.length;
    await first.stop();
    await produce(topic, [...values(5, 0, "c0"), ...values(5, 1, "c1")]);
    await waitFor(() => delivered() === 50, "the last 10 records");

    expect(secondMemberShare).toBeGreaterThan(0);
    expect([...deliveredValues(a.events), ...deliveredValues(b.events)].sort()).toEqual(
      [
        ...["a0", "a1", "b0", "b1"].flatMap((p) => values(10, 0, p).map((r) => r.value)),
        ...["c0", "c1"].flatMap((p) => values(5, 0, p).map((r) => r.value)),
      ].sort(),
    );
    expect(await committedOffsets(groupId, topic)).toEqual({ 0: "25", 1: "25" });
  });
});

describe("starting", () => {
  it("refuses to start on a topic that does not exist, naming it", async () => {
    const topic = await newTopic();
    const groupId = newGroupId();

    await expect(
      start({ topics: [topic, "meraki.not-created"], groupId, handler: recordingHandler().handler }),
    ).rejects.toThrow(
      new KafkaEventSourceError(
        `topic(s) meraki.not-created do not exist at ${kafka().bootstrapServers} (group ${groupId}); ` +
          "create them first (createTopics in infra/local/kafka/admin.ts)",
        groupId,
      ),
    );
  });

  it("rejects at once with KafkaAuthenticationError when the broker refuses the credentials", async () => {
    const started = Date.now();
    const attempt = startKafkaEventSource({
      connection: { ...kafka(), password: "not-the-password" },
      topics: ["any"],
      groupId: newGroupId(),
      batchSize: 1,
      batchingWindowSeconds: 0,
      startingPosition: "TRIM_HORIZON",
      handler: async () => undefined,
      logger: capturingLogger(),
    });

    await expect(attempt).rejects.toThrow(KafkaAuthenticationError);
    await expect(attempt).rejects.toThrow(
      /rejected the SASL\/PLAIN credentials of the event source \(user "semaphore", group .*\) \(.*SASL authentication error: Authentication failed: Invalid username or password/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
