// The device-availability, device-availability-changes and assurance-alerts kinds swept against the
// simulator through sweepOrganization with a real MerakiClient: the calls each makes, and records
// that say what the simulator's answers say.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { assuranceAlertEnvelope, assuranceAlerts } from "../../shared/kinds/assurance-alerts.js";
import { deviceAvailability, deviceAvailabilityEnvelope } from "../../shared/kinds/device-availability.js";
import {
  deviceAvailabilityChangeEnvelope,
  deviceAvailabilityChanges,
} from "../../shared/kinds/device-availability-changes.js";
import type { AnyTelemetryKind } from "../../shared/kinds/kind.js";
import { MerakiClient } from "../../shared/meraki/index.js";
import type { Organization } from "../../shared/meraki/inventory.js";
import { InventoryCache } from "../../shared/sweeps/inventory.js";
import type { OrganizationSweepContext } from "../../shared/sweeps/sweep.js";
import { type SweepWindow, sweepWindow } from "../../shared/sweeps/window.js";
import { WindowOutsideApiLimitsError } from "../../shared/sweeps/window-span.js";

const NOW = new Date("2026-11-22T10:00:00.000Z");
const MINUTE = 60_000;

let sim: RunningSimulator;
let organization: Organization;
let inventory: InventoryCache;

beforeAll(async () => {
  sim = await startMerakiSimulator({
    seed: 8,
    organizations: 1,
    networksPerOrg: 8,
    devicesPerOrg: 120,
    rateLimitPerSecond: 10_000,
    now: () => NOW,
  });
  const org = sim.dataset.organizations[0]!;
  organization = { id: org.id, name: org.name };
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.resetLog();
  inventory = new InventoryCache({ ttlMs: 3_600_000, now: () => NOW.getTime() });
});

function context(
  kind: AnyTelemetryKind,
  options: { pageSizes?: Record<string, number>; window?: SweepWindow } = {},
): OrganizationSweepContext {
  const meraki = new MerakiClient({
    apiKey: sim.apiKey,
    baseUrl: sim.baseUrl,
    requestsPerSecond: 1000,
    burst: 1000,
    ...(options.pageSizes ? { pageSizes: options.pageSizes } : {}),
  });
  const window =
    options.window ??
    sweepWindow(NOW, { periodSeconds: 300, dataDelaySeconds: kind.window.dataDelaySeconds });
  return {
    meraki,
    inventory,
    organization,
    window,
    sweepId: window.end,
    observedAt: NOW.toISOString().replace(/\.\d{3}Z$/, "Z"),
    topic: kind.defaultTopic,
  };
}

const api = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${sim.baseUrl}${path}`, {
    headers: { Authorization: `Bearer ${sim.apiKey}` },
  });
  return (await response.json()) as T;
};
const paths = () => sim.requests.map((r) => r.path.replace(`/organizations/${organization.id}`, "…"));

describe("device-availability", () => {
  it("makes one record per device, saying what the availabilities say, named and modelled by the inventory", async () => {
    const { records, dropped } = await deviceAvailability.sweepOrganization(context(deviceAvailability));
    const availabilities = await api<{ serial: string; status: string }[]>(
      `/organizations/${organization.id}/devices/availabilities`,
    );
    const devices = new Map(sim.dataset.devices.map((d) => [d.serial, d]));
    const networks = new Map(sim.dataset.networks.map((n) => [n.id, n]));
    expect(dropped).toEqual({});
    expect(records.map((r) => r.key)).toEqual(availabilities.map((a) => a.serial));
    for (const [i, record] of records.entries()) {
      const envelope = deviceAvailabilityEnvelope.parse(JSON.parse(record.value));
      const device = devices.get(record.key)!;
      expect(envelope.data.status).toBe(availabilities[i]!.status);
      expect(envelope.source).toMatchObject({
        deviceName: device.name,
        model: device.model,
        networkId: device.networkId,
        networkName: networks.get(device.networkId)!.name,
      });
    }
  });

  it("calls the availabilities once and, cold, the inventory once; warm, only the availabilities", async () => {
    await deviceAvailability.sweepOrganization(context(deviceAvailability));
    expect(paths().sort()).toEqual(["…/devices", "…/devices/availabilities", "…/networks"]);
    sim.resetLog();
    await deviceAvailability.sweepOrganization(context(deviceAvailability));
    expect(paths()).toEqual(["…/devices/availabilities"]);
  });

  it("reads every page", async () => {
    const ctx = context(deviceAvailability, { pageSizes: { getOrganizationDevicesAvailabilities: 7 } });
    const { records } = await deviceAvailability.sweepOrganization(ctx);
    expect(records).toHaveLength(120);
    expect(paths().filter((p) => p === "…/devices/availabilities")).toHaveLength(Math.ceil(120 / 7));
  });
});

describe("device-availability-changes", () => {
  it("asks for exactly the window and makes one record per change the history holds", async () => {
    const ctx = context(deviceAvailabilityChanges);
    const { records, dropped } = await deviceAvailabilityChanges.sweepOrganization(ctx);
    const query = sim.requests.find((r) => r.path.endsWith("/changeHistory"))!.query;
    expect(query).toMatchObject({ t0: ctx.window.start, t1: ctx.window.end, perPage: "1000" });
    const history = await api<{ ts: string; device: { serial: string } }[]>(
      `/organizations/${organization.id}/devices/availabilities/changeHistory?t0=${ctx.window.start}&t1=${ctx.window.end}`,
    );
    expect(history.length).toBeGreaterThan(0);
    expect(dropped).toEqual({});
    expect(
      records.map((r) => [r.key, deviceAvailabilityChangeEnvelope.parse(JSON.parse(r.value)).data.ts]),
    ).toEqual(history.map((c) => [c.device.serial, c.ts]));
    expect(new Set(records.map((r) => r.headers["record-id"])).size).toBe(records.length);
  });

  it("tiles: consecutive sweeps make the changes of their span once each", async () => {
    const windows = [0, 1, 2].map((k) => ({
      start: new Date(NOW.getTime() - (20 - 5 * k) * MINUTE).toISOString().replace(".000Z", "Z"),
      end: new Date(NOW.getTime() - (15 - 5 * k) * MINUTE).toISOString().replace(".000Z", "Z"),
    }));
    const swept = [];
    for (const window of windows) {
      const { records } = await deviceAvailabilityChanges.sweepOrganization(
        context(deviceAvailabilityChanges, { window }),
      );
      swept.push(...records.map((r) => JSON.parse(r.value).data.ts as string));
    }
    const span = await api<{ ts: string }[]>(
      `/organizations/${organization.id}/devices/availabilities/changeHistory?t0=${windows[0]!.start}&t1=${windows[2]!.end}`,
    );
    expect(swept).toEqual(span.map((c) => c.ts));
  });

  it("refuses a window older than the API's 31-day lookback before calling it", async () => {
    const window = { start: "2026-10-01T10:00:00Z", end: "2026-10-01T10:05:00Z" };
    await expect(
      deviceAvailabilityChanges.sweepOrganization(context(deviceAvailabilityChanges, { window })),
    ).rejects.toBeInstanceOf(WindowOutsideApiLimitsError);
    expect(paths()).toEqual([]);
  });
});

describe("assurance-alerts", () => {
  it("lists the open alerts and those resolved in the window, two calls at 300 a page", async () => {
    const ctx = context(assuranceAlerts);
    await assuranceAlerts.sweepOrganization(ctx);
    const queries = sim.requests.filter((r) => r.path.endsWith("/assurance/alerts")).map((r) => r.query);
    expect(queries).toEqual([
      { active: "true", perPage: "300" },
      { active: "false", resolved: "true", tsStart: ctx.window.start, tsEnd: ctx.window.end, perPage: "300" },
    ]);
  });

  it("makes one record per open alert and per alert resolved in the window, in the state the API gives", async () => {
    const ctx = context(assuranceAlerts);
    const { records } = await assuranceAlerts.sweepOrganization(ctx);
    const base = `/organizations/${organization.id}/assurance/alerts?perPage=300`;
    const open = await api<{ id: string }[]>(base);
    const resolved = await api<{ id: string; resolvedAt: string }[]>(
      `${base}&active=false&resolved=true&tsStart=${ctx.window.start}&tsEnd=${ctx.window.end}`,
    );
    const inWindow = resolved.filter(
      (a) => a.resolvedAt >= ctx.window.start && a.resolvedAt < ctx.window.end,
    );
    expect(open.length).toBeGreaterThan(0);
    expect(inWindow.length).toBeGreaterThan(0);
    const states = records.map((r) => [r.key, assuranceAlertEnvelope.parse(JSON.parse(r.value)).data.state]);
    expect(states.sort()).toEqual(
      [...open.map((a) => [a.id, "open"]), ...inWindow.map((a) => [a.id, "resolved"])].sort(),
    );
  });

  it("names every alert's device and network as the inventory does", async () => {
    const { records } = await assuranceAlerts.sweepOrganization(context(assuranceAlerts));
    const devices = new Map(sim.dataset.devices.map((d) => [d.serial, d]));
    for (const record of records) {
      const { source } = assuranceAlertEnvelope.parse(JSON.parse(record.value));
      const device = devices.get(source.serial!)!;
      expect(source).toMatchObject({
        deviceName: device.name,
        model: device.model,
        networkId: device.networkId,
      });
    }
  });
});
