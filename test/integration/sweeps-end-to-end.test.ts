import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type * as z from "zod";
import { lambdaContext } from "../../infra/local/lambda-context.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { createSweepHandler, type SweepHandler } from "../../shared/handlers/sweep-handler.js";
import { deviceAvailabilityEnvelope } from "../../shared/kinds/device-availability.js";
import { networkClientEnvelope } from "../../shared/kinds/network-clients.js";
import type { KindId } from "../../shared/kinds/registry.js";
import { uplinkLossLatencyEnvelope } from "../../shared/kinds/uplink-loss-latency.js";
import { sweepWindow } from "../../shared/sweeps/window.js";
import { readRecords } from "../support/kafka-read.js";
import { type SweepFixture, sweepFixture } from "../support/sweep-fixture.js";

/**
 * The design's large case: one organisation with 1,000 devices in 200 networks, swept by the real
 * handlers (secrets from Secrets Manager, Meraki over HTTP, records to the SASL_SSL broker) and
 * read back with a Kafka consumer.
 */
const DEVICES = 1000;
const NETWORKS = 200;
const CLIENTS_PER_NETWORK = 12;

let simulator: RunningSimulator;
const handlers: SweepHandler[] = [];
// A slot boundary safely in the past, so the uplink window ends at least 2 minutes ago.
const scheduledTime = new Date(Math.floor((Date.now() - 60_000) / 300_000) * 300_000);
const event = { scheduledTime: scheduledTime.toISOString() };

beforeAll(async () => {
  simulator = await startMerakiSimulator({
    seed: 42,
    organizations: 1,
    networksPerOrg: NETWORKS,
    devicesPerOrg: DEVICES,
    clientsPerNetwork: CLIENTS_PER_NETWORK,
    // A faster bucket than Meraki's keeps the suite quick; the client still paces itself.
    rateLimitPerSecond: 50,
  });
});

afterAll(async () => {
  await Promise.all(handlers.map((h) => h.close()));
  await simulator.stop();
});

async function handlerFor(kind: KindId): Promise<{ fixture: SweepFixture; handler: SweepHandler }> {
  const fixture = await sweepFixture({
    kind,
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey: simulator.apiKey,
    overrides: { merakiRequestsPerSecond: 10 },
  });
  const handler = createSweepHandler(fixture.settings, {
    secretsManagerClientOptions: fixture.secretsManagerClientOptions,
  });
  handlers.push(handler);
  return { fixture, handler };
}

function expectEnvelope<Schema extends z.ZodType>(value: string, schema: Schema): z.output<Schema> {
  const parsed = schema.safeParse(JSON.parse(value));
  expect(parsed.error?.issues ?? []).toEqual([]);
  return parsed.data as z.output<Schema>;
}

describe("uplink loss & latency sweep of a 1,000-device organisation", () => {
  let fixture: SweepFixture;
  let handler: SweepHandler;
  const org = () => simulator.dataset.organizations[0]!;
  const appliances = () => simulator.dataset.devices.filter((d) => d.productType === "appliance");

  beforeAll(async () => {
    ({ fixture, handler } = await handlerFor("uplink-loss-latency"));
  });

  it("produces one record per appliance uplink and probe ip, read back from the broker", async () => {
    simulator.resetLog();
    const summary = await handler(event, lambdaContext("uplink"));
    // Every network has exactly one MX with wan1 and wan2 probing 8.8.8.8.
    const expected = appliances().length * 2;
    expect(summary.records.produced).toBe(expected);
    const records = await readRecords(inject("kafka"), fixture.settings.topic, expected, {
      timeoutMs: 30_000,
    });
    expect(records).toHaveLength(expected);
    const window = sweepWindow(scheduledTime, { periodSeconds: 300, dataDelaySeconds: 120 });
    const devices = new Map(simulator.dataset.devices.map((d) => [d.serial, d]));
    const networks = new Map(simulator.dataset.networks.map((n) => [n.id, n]));
    for (const record of records) {
      const envelope = expectEnvelope(record.value, uplinkLossLatencyEnvelope);
      const device = devices.get(envelope.source.serial)!;
      expect(record.key).toBe(device.serial);
      expect(record.headers).toEqual({
        "content-type": "application/json",
        schema: "semaphore.uplink-loss-latency.v1",
        "record-id": envelope.id,
      });
      expect(envelope.window).toEqual(window);
      expect(envelope.sweepId).toBe(event.scheduledTime);
      expect(envelope.source).toEqual({
        organizationId: org().id,
        organizationName: org().name,
        networkId: device.networkId,
        networkName: networks.get(device.networkId)!.name,
        serial: device.serial,
        deviceName: device.name,
        model: device.model,
      });
      expect(envelope.data.samples.length).toBeGreaterThan(0);
    }
    expect(new Set(records.map((r) => r.headers["record-id"])).size).toBe(expected);
  });

  it("makes at most 3 API calls per organisation on a warm invocation (inventory cached)", async () => {
    simulator.resetLog();
    await handler(event, lambdaContext("uplink"));
    const calls = simulator.requests.filter((r) => r.organizationId === org().id);
    expect(calls.map((r) => r.path)).toEqual([`/organizations/${org().id}/devices/uplinksLossAndLatency`]);
    expect(simulator.requests).toHaveLength(1);
  });

  it("reproduces the same window and record ids when the same scheduled invocation is retried", async () => {
    const first = await readRecords(inject("kafka"), fixture.settings.topic, appliances().length * 4, {
      timeoutMs: 30_000,
    });
    const ids = first.map((r) => r.headers["record-id"]);
    // Two invocations of one slot so far: every id appears exactly twice.
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id!, (counts.get(id!) ?? 0) + 1);
    expect(new Set(counts.values())).toEqual(new Set([2]));
  });
});

describe("network clients sweep", () => {
  it("produces one record per client of every network, keyed networkId:clientId, across all pages", async () => {
    const { fixture, handler } = await handlerFor("network-clients");
    simulator.resetLog();
    const summary = await handler(event, lambdaContext("clients"));
    const clientCalls = simulator.requests.filter((r) => r.path.startsWith("/networks/"));
    expect(clientCalls).toHaveLength(NETWORKS);
    expect(clientCalls.every((r) => r.query.perPage === "5000")).toBe(true);
    const expected = summary.records.produced;
    expect(expected).toBeGreaterThan(0);
    const records = await readRecords(inject("kafka"), fixture.settings.topic, expected, {
      timeoutMs: 30_000,
    });
    const clients = new Map(
      [...simulator.dataset.clientsByNetwork.values()].flat().map((c) => [`${c.networkId}:${c.id}`, c]),
    );
    for (const record of records) {
      const envelope = expectEnvelope(record.value, networkClientEnvelope);
      const client = clients.get(record.key!)!;
      expect(record.key).toBe(`${envelope.source.networkId}:${envelope.source.clientId}`);
      expect(envelope.source.mac).toBe(client.mac);
      expect(envelope.source.serial).toBe(client.recentDeviceSerial);
      expect(envelope.data.ip).toBe(client.ip);
      expect(envelope.source.networkName).not.toBeNull();
    }
    expect(new Set(records.map((r) => r.key)).size).toBe(expected);
  });
});

describe("device availability sweep", () => {
  it("produces one record per device with its status, name, model and network name", async () => {
    const { fixture, handler } = await handlerFor("device-availability");
    const summary = await handler(event, lambdaContext("statuses"));
    expect(summary.records.produced).toBe(DEVICES);
    const records = await readRecords(inject("kafka"), fixture.settings.topic, DEVICES, {
      timeoutMs: 30_000,
    });
    const devices = new Map(simulator.dataset.devices.map((d) => [d.serial, d]));
    const networks = new Map(simulator.dataset.networks.map((n) => [n.id, n]));
    for (const record of records) {
      const envelope = expectEnvelope(record.value, deviceAvailabilityEnvelope);
      const device = devices.get(record.key!)!;
      // A device that reports flickers between online and alerting now and then; one that does
      // not report keeps its status.
      const reporting = device.status === "online" || device.status === "alerting";
      expect(reporting ? ["online", "alerting"] : [device.status]).toContain(envelope.data.status);
      expect(envelope.source.deviceName).toBe(device.name);
      expect(envelope.source.model).toBe(device.model);
      expect(envelope.source.networkName).toBe(networks.get(device.networkId)!.name);
      expect(record.headers.schema).toBe("semaphore.device-availability.v1");
    }
    expect(new Set(records.map((r) => r.key)).size).toBe(DEVICES);
  });
});
