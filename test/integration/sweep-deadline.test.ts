// A sweep that needs about 17 s invoked with 6 s left: it must stop calling Meraki in time,
// deliver what it built, say what it skipped, and leave nothing running after it returns. Real
// handler, broker, Secrets Manager and simulator; the simulator answers every request 400 ms late.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { lambdaContext } from "../../infra/local/lambda-context.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { createSweepHandler, type SweepHandler } from "../../shared/handlers/sweep-handler.js";
import { SweepIncompleteError } from "../../shared/sweeps/errors.js";
import { readRecords } from "../support/kafka-read.js";
import { type SweepFixture, sweepFixture } from "../support/sweep-fixture.js";

const NETWORKS = 40;
const REMAINING_MS = 6_000;
const DELIVERY_TIMEOUT_MS = 1_000;

let simulator: RunningSimulator;
let fixture: SweepFixture;
let handler: SweepHandler;
let outcome: { error: unknown; invokedAt: number; returnedAt: number };

beforeAll(async () => {
  simulator = await startMerakiSimulator({
    seed: 9,
    organizations: 1,
    networksPerOrg: NETWORKS,
    devicesPerOrg: NETWORKS * 2,
    clientsPerNetwork: 4,
    rateLimitPerSecond: 1_000,
    faults: { latencyMs: 400 },
  });
  fixture = await sweepFixture({
    kind: "network-clients",
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey: simulator.apiKey,
    overrides: { periodSeconds: 900, merakiRequestsPerSecond: 10 },
  });
  fixture.settings.kafka.deliveryTimeoutMs = DELIVERY_TIMEOUT_MS;
  handler = createSweepHandler(fixture.settings, {
    secretsManagerClientOptions: fixture.secretsManagerClientOptions,
  });
  const invokedAt = Date.now();
  const error = await handler({}, lambdaContext("clients", REMAINING_MS)).catch((e: unknown) => e);
  outcome = { error, invokedAt, returnedAt: Date.now() };
});

afterAll(async () => {
  await handler?.close();
  await simulator?.stop();
});

describe("a sweep invoked with less time left than it needs", () => {
  it("returns before the invocation's deadline, failing with what it delivered and what it skipped", () => {
    expect(outcome.returnedAt - outcome.invokedAt).toBeLessThan(REMAINING_MS);
    expect(outcome.error).toBeInstanceOf(SweepIncompleteError);
    const { summary } = outcome.error as SweepIncompleteError;
    expect(summary.records.produced).toBeGreaterThan(0);
    expect(summary.skipped.networks).toBeGreaterThan(0);
    expect(summary.skipped.networks).toBeLessThan(NETWORKS);
    expect(summary.organizations.skipped).toEqual([simulator.dataset.organizations[0]!.id]);
    expect((outcome.error as Error).message).toMatch(
      /^network-clients sweep ran out of time: \d+ networks not swept \(\d+ records were delivered\)/,
    );
  });

  it("delivered every record it reported, and the clients of exactly the networks it swept", async () => {
    const { summary } = outcome.error as SweepIncompleteError;
    const records = await readRecords(inject("kafka"), fixture.settings.topic, summary.records.produced, {
      timeoutMs: 20_000,
    });
    const sweptNetworks = new Set(records.map((r) => r.key!.split(":")[0]));
    expect(sweptNetworks.size).toBe(NETWORKS - summary.skipped.networks!);
    const known = new Set(
      [...simulator.dataset.clientsByNetwork.values()]
        .flat()
        .map((client) => `${client.networkId}:${client.id}`),
    );
    expect(records.length).toBe(summary.records.produced);
    expect(records.filter((r) => !known.has(r.key!))).toEqual([]);
  });

  it("sends no Meraki request after it returned", async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const late = simulator.requests.filter((r) => r.receivedAt > outcome.returnedAt);
    expect(late).toEqual([]);
  });
});
