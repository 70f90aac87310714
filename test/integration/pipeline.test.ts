import type { Context, SelfManagedKafkaEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type KafkaEventSource, startKafkaEventSource } from "../../infra/local/event-source/index.js";
import { lambdaContext } from "../../infra/local/lambda-context.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { createConsumerHandler } from "../../shared/consumer/index.js";
import type { TelemetryFields } from "../../shared/consumer/telemetry-line.js";
import { createSweepHandler, type SweepHandler } from "../../shared/handlers/sweep-handler.js";
import { sweepFixture } from "../support/sweep-fixture.js";

/**
 * The whole pipeline on the real broker: records produced by a sweep handler, consumed through the
 * local event-source emulator (consumer group, AWS-shaped events, commit after success), written
 * by the consumer handler.
 */
let simulator: RunningSimulator;
let sweep: SweepHandler;
let topic: string;
const sources: KafkaEventSource[] = [];
const event = { scheduledTime: "2026-11-22T10:00:00Z" };

beforeAll(async () => {
  simulator = await startMerakiSimulator({
    seed: 11,
    organizations: 1,
    networksPerOrg: 10,
    devicesPerOrg: 120,
    clientsPerNetwork: 2,
  });
  const fixture = await sweepFixture({
    kind: "device-availability",
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey: simulator.apiKey,
  });
  topic = fixture.settings.topic;
  sweep = createSweepHandler(fixture.settings, {
    secretsManagerClientOptions: fixture.secretsManagerClientOptions,
  });
  await sweep(event, lambdaContext("statuses"));
});

afterAll(async () => {
  await Promise.all(sources.map((source) => source.stop()));
  await sweep.close();
  await simulator.stop();
});

function consumerWithCapturedLines() {
  const lines: TelemetryFields[] = [];
  const handler = createConsumerHandler(
    { serviceName: "semaphore-consumer", metricNamespace: "Semaphore", metricDimensions: "network" },
    { recordLog: { telemetry: (fields) => lines.push(fields), rejected: () => undefined } },
  );
  return { lines, handler };
}

async function consume(
  groupId: string,
  handler: (event: SelfManagedKafkaEvent, context: Context) => Promise<unknown>,
): Promise<KafkaEventSource> {
  const source = await startKafkaEventSource({
    connection: inject("kafka"),
    topics: [topic],
    groupId,
    batchSize: 50,
    batchingWindowSeconds: 1,
    startingPosition: "TRIM_HORIZON",
    retryDelayMs: 200,
    handler,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  sources.push(source);
  return source;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("sweep -> Kafka -> event-source emulator -> consumer", () => {
  it("writes every produced record exactly once", async () => {
    const devices = simulator.dataset.devices.length;
    const { lines, handler } = consumerWithCapturedLines();
    await consume(`pipeline-once-${Date.now()}`, handler);
    await until(() => lines.length >= devices, 30_000, `${devices} telemetry lines`);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // anything extra would arrive now
    expect(lines).toHaveLength(devices);
    expect(new Set(lines.map((line) => line.serial))).toEqual(
      new Set(simulator.dataset.devices.map((d) => d.serial)),
    );
    expect(new Set(lines.map((line) => line.recordId)).size).toBe(devices);
  });

  it("delivers a failed batch again, uncommitted, until the handler succeeds", async () => {
    const devices = simulator.dataset.devices.length;
    const { lines, handler } = consumerWithCapturedLines();
    const deliveries: string[] = [];
    let failuresLeft = 2;
    const offsetsOf = (e: SelfManagedKafkaEvent) =>
      Object.values(e.records)
        .flat()
        .map((r) => `${r.partition}@${r.offset}`)
        .join(",");
    const source = await consume(`pipeline-retry-${Date.now()}`, async (e, context) => {
      deliveries.push(offsetsOf(e));
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error("transient failure: the retry can succeed");
      }
      return handler(e, context);
    });
    await until(() => lines.length >= devices, 30_000, `${devices} telemetry lines`);
    expect(deliveries[1]).toBe(deliveries[0]);
    expect(deliveries[2]).toBe(deliveries[0]);
    expect(source.stats().failures).toBe(2);
    expect(new Set(lines.map((line) => line.recordId)).size).toBe(devices);
    expect(lines).toHaveLength(devices);
  });
});
