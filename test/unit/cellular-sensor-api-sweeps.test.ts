// cellular-uplink-statuses, sensor-readings and api-requests swept against the simulator through
// their sweepOrganization with a real MerakiClient and inventory cache: the calls they make, and the
// records they make of the answers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SENSOR_METRICS } from "../../infra/local/meraki-simulator/fixtures.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { apiRequests, apiRequestsEnvelope } from "../../shared/kinds/api-requests.js";
import {
  cellularUplinkStatusEnvelope,
  cellularUplinkStatuses,
} from "../../shared/kinds/cellular-uplink-statuses.js";
import type { RegisteredKind } from "../../shared/kinds/registry.js";
import { sensorReadingEnvelope, sensorReadings } from "../../shared/kinds/sensor-readings.js";
import { MerakiClient, type MerakiClientOptions } from "../../shared/meraki/index.js";
import { InventoryCache } from "../../shared/sweeps/inventory.js";
import type { OrganizationSweepContext } from "../../shared/sweeps/sweep.js";
import { sweepWindow } from "../../shared/sweeps/window.js";

// The API's clock; each sweep's window is the slot of a schedule that fired at this time.
const NOW = new Date("2026-11-22T10:00:00Z");

let sim: RunningSimulator;
let orgId: string;
let inventory: InventoryCache;

beforeAll(async () => {
  // The shape of the closing table: a mixed organisation of 1,000 devices in 200 networks.
  sim = await startMerakiSimulator({
    seed: 8,
    organizations: 2,
    networksPerOrg: 200,
    devicesPerOrg: 1000,
    clientsPerNetwork: 0,
    rateLimitPerSecond: 10_000,
    now: () => NOW,
  });
  orgId = sim.dataset.organizations[0]!.id;
});
afterAll(() => sim.stop());
beforeEach(() => {
  inventory = new InventoryCache({ ttlMs: 3_600_000 });
  sim.resetLog();
});

function context(
  kind: RegisteredKind,
  options: { client?: Partial<MerakiClientOptions>; scheduledAt?: Date } = {},
): OrganizationSweepContext {
  const periodSeconds = { "rate(5 minutes)": 300, "rate(15 minutes)": 900 }[kind.deployment.schedule];
  if (periodSeconds === undefined) throw new Error(`no period for ${kind.deployment.schedule}`);
  const organization = sim.dataset.organizations[0]!;
  return {
    // No client-side rate limit: the tests are about calls and records, not pacing.
    meraki: new MerakiClient({
      apiKey: sim.apiKey,
      baseUrl: sim.baseUrl,
      requestsPerSecond: 10_000,
      burst: 10_000,
      ...options.client,
    }),
    inventory,
    organization: { id: organization.id, name: organization.name },
    window: sweepWindow(options.scheduledAt ?? NOW, {
      periodSeconds,
      dataDelaySeconds: kind.window.dataDelaySeconds,
    }),
    sweepId: NOW.toISOString(),
    observedAt: NOW.toISOString(),
    topic: kind.defaultTopic,
  };
}
const paths = () => sim.requests.map((r) => r.path);
const inventoryPaths = () => [`/organizations/${orgId}/devices`, `/organizations/${orgId}/networks`];
const devicesOf = (productType: string) =>
  sim.dataset.devices.filter((d) => d.organizationId === orgId && d.productType === productType);

describe("cellular-uplink-statuses swept against the simulator", () => {
  const path = () => `/organizations/${orgId}/cellularGateway/uplink/statuses`;

  it("calls the listing once (one page of up to 1,000 gateways) and the inventory once", async () => {
    await cellularUplinkStatuses.sweepOrganization(context(cellularUplinkStatuses));
    expect(paths().sort()).toEqual([path(), ...inventoryPaths()].sort());
    expect(sim.requests.find((r) => r.path === path())!.query).toEqual({ perPage: "1000" });
  });

  it("follows every page", async () => {
    const { records } = await cellularUplinkStatuses.sweepOrganization(
      context(cellularUplinkStatuses, {
        client: { pageSizes: { getOrganizationCellularGatewayUplinkStatuses: 3 } },
      }),
    );
    expect(paths().filter((p) => p === path())).toHaveLength(
      Math.ceil(devicesOf("cellularGateway").length / 3),
    );
    expect(records).toHaveLength(devicesOf("cellularGateway").length);
  });

  it("produces one valid record per MG, named from the inventory, active exactly when the MG is online", async () => {
    const { records, dropped } = await cellularUplinkStatuses.sweepOrganization(
      context(cellularUplinkStatuses),
    );
    // Online as the device statuses say at the same API time (availability flickers now and then).
    const response = await fetch(
      `${sim.baseUrl}/organizations/${orgId}/devices/statuses?productTypes[]=cellularGateway`,
      { headers: { Authorization: `Bearer ${sim.apiKey}` } },
    );
    const statusOf = new Map(
      ((await response.json()) as { serial: string; status: string }[]).map((s) => [s.serial, s.status]),
    );
    expect(dropped).toEqual({});
    const envelopes = records.map((r) => cellularUplinkStatusEnvelope.parse(JSON.parse(r.value)));
    expect(
      envelopes.map((e) => [
        e.source.serial,
        e.source.deviceName,
        e.source.networkId,
        e.data.status === "active",
      ]),
    ).toEqual(
      devicesOf("cellularGateway").map((d) => [
        d.serial,
        d.name,
        d.networkId,
        statusOf.get(d.serial) === "online",
      ]),
    );
    expect(records.map((r) => r.key)).toEqual(envelopes.map((e) => `${e.source.serial}:${e.data.interface}`));
    for (const e of envelopes.filter((e) => e.data.status === "active")) {
      expect(e.data.rsrpDbm).toBeLessThan(-60);
    }
  });
});

describe("sensor-readings swept against the simulator", () => {
  const path = () => `/organizations/${orgId}/sensor/readings/latest`;

  it("calls the listing once (one page of up to 1,000 sensors) and the inventory once", async () => {
    await sensorReadings.sweepOrganization(context(sensorReadings));
    expect(paths().sort()).toEqual([path(), ...inventoryPaths()].sort());
    expect(sim.requests.find((r) => r.path === path())!.query).toEqual({ perPage: "1000" });
  });

  it("produces one valid record per sensor and metric its model measures, named from the inventory", async () => {
    const { records, dropped } = await sensorReadings.sweepOrganization(context(sensorReadings));
    expect(dropped).toEqual({});
    const envelopes = records.map((r) => sensorReadingEnvelope.parse(JSON.parse(r.value)));
    expect(
      envelopes.map((e) => [e.source.serial, e.source.deviceName, e.source.model, e.data.metric]),
    ).toEqual(
      devicesOf("sensor").flatMap((d) =>
        SENSOR_METRICS[d.model]!.map((metric) => [d.serial, d.name, d.model, metric]),
      ),
    );
    expect(new Set(records.map((r) => r.headers["record-id"])).size).toBe(records.length);
  });

  it("carries a value or a state for every metric the simulated sensors report", async () => {
    const { records } = await sensorReadings.sweepOrganization(context(sensorReadings));
    const empty = records
      .map((r) => sensorReadingEnvelope.parse(JSON.parse(r.value)).data)
      .filter((data) => data.value === null && data.state === null && data.pressType === null);
    expect(empty).toEqual([]);
  });

  it("follows every page", async () => {
    await sensorReadings.sweepOrganization(
      context(sensorReadings, { client: { pageSizes: { getOrganizationSensorReadingsLatest: 10 } } }),
    );
    expect(paths().filter((p) => p === path())).toHaveLength(Math.ceil(devicesOf("sensor").length / 10));
  });
});

describe("api-requests swept against the simulator", () => {
  const path = () => `/organizations/${orgId}/apiRequests/overview/responseCodes/byInterval`;
  // A schedule firing at 10:15 sweeps [09:59, 10:14), which holds the requests the test makes now
  // (the simulator counts a request made k ms ago k ms before its clock's 10:00).
  const LATER = new Date("2026-11-22T10:15:00Z");

  it("calls the overview once with the window's t0/t1 and interval 120", async () => {
    const ctx = context(apiRequests);
    await apiRequests.sweepOrganization(ctx);
    expect(sim.requests.map((r) => [r.path, r.query])).toEqual([
      [path(), { t0: ctx.window.start, t1: ctx.window.end, interval: "120" }],
    ]);
  });

  it("counts the organisation's requests by code, the 429s of its rate limit among them", async () => {
    const get = (p: string) =>
      fetch(`${sim.baseUrl}${p}`, { headers: { Authorization: `Bearer ${sim.apiKey}` } });
    for (let i = 0; i < 3; i++) await get(`/organizations/${orgId}/devices?perPage=3`);
    sim.setFaults({ rateLimitStorm: { count: 5, organizationId: orgId } });
    for (let i = 0; i < 5; i++) await get(`/organizations/${orgId}/networks`);
    sim.setFaults({});
    await get(`/organizations/${sim.dataset.organizations[1]!.id}/networks`);
    const ctx = context(apiRequests, { scheduledAt: LATER });
    const { records, dropped } = await apiRequests.sweepOrganization(ctx);
    const envelopes = records.map((r) => apiRequestsEnvelope.parse(JSON.parse(r.value)));
    expect(dropped).toEqual({});
    expect(envelopes.map((e) => [e.data.intervalStart, e.data.code, e.data.count])).toEqual([
      [ctx.window.start, 200, 3],
      [ctx.window.start, 429, 5],
    ]);
    expect(records.map((r) => r.key)).toEqual([orgId, orgId]);
  });

  it("counts each request in one window only: consecutive windows tile the API's clock", async () => {
    await fetch(`${sim.baseUrl}/organizations/${orgId}/networks`, {
      headers: { Authorization: `Bearer ${sim.apiKey}` },
    });
    const earlier = context(apiRequests, { scheduledAt: NOW });
    const later = context(apiRequests, { scheduledAt: LATER });
    const counted = async (ctx: OrganizationSweepContext) =>
      (await apiRequests.sweepOrganization(ctx)).records.map((r) => JSON.parse(r.value).data.count);
    expect(earlier.window.end).toBe(later.window.start);
    // The later window first: the earlier sweep's own call would land in it too.
    const inLater = await counted(later);
    const inEarlier = await counted(earlier);
    expect([inEarlier, inLater]).toEqual([[], [1]]);
  });
});
