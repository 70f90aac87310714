// The wireless and switch kinds swept against the simulator through kind.sweepOrganization with a
// real MerakiClient: the calls each makes, and records that agree with the simulated dataset.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type * as z from "zod";
import type { SimDevice } from "../../infra/local/meraki-simulator/dataset.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { switchPortLayout } from "../../infra/local/meraki-simulator/switch-models.js";
import { apBands } from "../../infra/local/meraki-simulator/wireless-telemetry.js";
import type { AnyTelemetryKind } from "../../shared/kinds/kind.js";
import { switchPortStatuses } from "../../shared/kinds/switch-port-statuses.js";
import { wirelessChannelUtilization } from "../../shared/kinds/wireless-channel-utilization.js";
import { wirelessClientsOverview } from "../../shared/kinds/wireless-clients-overview.js";
import { wirelessPacketLoss } from "../../shared/kinds/wireless-packet-loss.js";
import { MerakiClient } from "../../shared/meraki/index.js";
import { InventoryCache } from "../../shared/sweeps/inventory.js";
import type { OrganizationSweepResult } from "../../shared/sweeps/sweep.js";
import { type SweepWindow, sweepWindow } from "../../shared/sweeps/window.js";
import { WindowOutsideApiLimitsError } from "../../shared/sweeps/window-span.js";
import { reportingOf } from "../simulator/reporting.js";

const NOW = new Date("2026-11-22T10:00:00.000Z");
const OBSERVED_AT = "2026-11-22T10:00:00Z";

let sim: RunningSimulator;
let meraki: MerakiClient;
let orgId: string;

beforeAll(async () => {
  sim = await startMerakiSimulator({
    seed: 5,
    organizations: 2,
    networksPerOrg: 10,
    devicesPerOrg: 200,
    clientsPerNetwork: 40,
    rateLimitPerSecond: 10_000,
    now: () => NOW,
  });
  meraki = new MerakiClient({
    apiKey: sim.apiKey,
    baseUrl: sim.baseUrl,
    requestsPerSecond: 1000,
    burst: 1000,
  });
  orgId = sim.dataset.organizations[0]!.id;
});
afterAll(() => sim.stop());
beforeEach(() => sim.resetLog());

/** The kind's window for the 10:00 slot of its default schedule. */
function windowOf(kind: AnyTelemetryKind, periodSeconds: number): SweepWindow {
  return sweepWindow(NOW, { periodSeconds, dataDelaySeconds: kind.window.dataDelaySeconds });
}

function sweep(kind: AnyTelemetryKind, window: SweepWindow): Promise<OrganizationSweepResult> {
  return kind.sweepOrganization({
    meraki,
    inventory: new InventoryCache({ ttlMs: 3_600_000 }),
    organization: { id: orgId, name: sim.dataset.organizations[0]!.name },
    window,
    sweepId: "2026-11-22T10:00:00Z",
    observedAt: OBSERVED_AT,
    topic: kind.defaultTopic,
  });
}

function envelopesOf<Envelope extends z.ZodType>(envelope: Envelope, result: OrganizationSweepResult) {
  return result.records.map((record): z.output<Envelope> => envelope.parse(JSON.parse(record.value)));
}

/** Whether the device has telemetry for some 5 minutes of the window (the simulator's availability). */
const reportedIn = (device: SimDevice, window: SweepWindow) =>
  reportingOf(sim, orgId, NOW).reportedIn(device, Date.parse(window.start), Date.parse(window.end));
const devicesOf = (productType: string) =>
  sim.dataset.devices.filter((d) => d.organizationId === orgId && d.productType === productType);
const calls = (operationPath: string) =>
  sim.requests.filter((r) => r.path === `/organizations/${orgId}${operationPath}`);
/** Every request the sweep made, by path below the organisation. */
const requestedPaths = () => sim.requests.map((r) => r.path.replace(`/organizations/${orgId}`, "")).sort();

describe("wireless-channel-utilization against the simulator", () => {
  const window = () => windowOf(wirelessChannelUtilization, 600);

  it("calls once per 5-minute interval with its t0, t1 and interval=300, plus the inventory", async () => {
    await sweep(wirelessChannelUtilization, window());
    expect(requestedPaths()).toEqual([
      "/devices",
      "/networks",
      "/wireless/devices/channelUtilization/byDevice",
      "/wireless/devices/channelUtilization/byDevice",
    ]);
    expect(calls("/wireless/devices/channelUtilization/byDevice").map((r) => r.query)).toEqual([
      { t0: "2026-11-22T09:45:00Z", t1: "2026-11-22T09:50:00Z", interval: "300", perPage: "1000" },
      { t0: "2026-11-22T09:50:00Z", t1: "2026-11-22T09:55:00Z", interval: "300", perPage: "1000" },
    ]);
  });

  it("produces a valid record per reporting access point and band, a sample per interval it reported", async () => {
    const result = await sweep(wirelessChannelUtilization, window());
    const envelopes = envelopesOf(wirelessChannelUtilization.schema.envelope, result);
    const expected = devicesOf("wireless")
      .filter((ap) => reportedIn(ap, window()))
      .flatMap((ap) => apBands(ap).map((band) => `${ap.serial}|${band}`));
    expect(envelopes.map((e) => `${e.source.serial}|${e.data.band}`).sort()).toEqual(expected.sort());
    expect(new Set(result.records.map((r) => r.headers["record-id"])).size).toBe(result.records.length);
    // One sample per interval the access point reported all through: both, unless it went down.
    const history = reportingOf(sim, orgId, NOW);
    const devices = new Map(devicesOf("wireless").map((d) => [d.serial, d]));
    for (const envelope of envelopes) {
      const ap = devices.get(envelope.source.serial)!;
      const reported = ["2026-11-22T09:45:00Z", "2026-11-22T09:50:00Z"].filter((start) =>
        history.reportedIn(ap, Date.parse(start), Date.parse(start) + 300_000),
      );
      expect(envelope.data.samples.map((s) => s.start)).toEqual(reported);
    }
    expect(result.dropped).toEqual({});
  });

  it("names every record's device and network from the inventory", async () => {
    const envelopes = envelopesOf(
      wirelessChannelUtilization.schema.envelope,
      await sweep(wirelessChannelUtilization, window()),
    );
    const devices = new Map(devicesOf("wireless").map((d) => [d.serial, d]));
    for (const { source } of envelopes) {
      expect(source.deviceName).toBe(devices.get(source.serial)!.name);
      expect(source.networkId).toBe(devices.get(source.serial)!.networkId);
      expect(source.networkName).not.toBeNull();
    }
  });

  it("refuses a window older than the API's 90-day lookback before calling it", async () => {
    const old = { start: "2026-08-01T09:45:00Z", end: "2026-08-01T09:55:00Z" };
    await expect(sweep(wirelessChannelUtilization, old)).rejects.toThrow(WindowOutsideApiLimitsError);
    expect(calls("/wireless/devices/channelUtilization/byDevice")).toEqual([]);
  });

  it("refuses a window that is not whole 5-minute intervals before calling", async () => {
    const odd = { start: "2026-11-22T09:48:00Z", end: "2026-11-22T09:55:00Z" };
    await expect(sweep(wirelessChannelUtilization, odd)).rejects.toThrow(WindowOutsideApiLimitsError);
    expect(sim.requests).toEqual([]);
  });
});

describe("wireless-packet-loss against the simulator", () => {
  const window = () => windowOf(wirelessPacketLoss, 600);

  it("calls once over the whole window with its t0 and t1, plus the inventory", async () => {
    await sweep(wirelessPacketLoss, window());
    expect(requestedPaths()).toEqual(["/devices", "/networks", "/wireless/devices/packetLoss/byDevice"]);
    expect(calls("/wireless/devices/packetLoss/byDevice")[0]!.query).toEqual({
      t0: "2026-11-22T09:45:00Z",
      t1: "2026-11-22T09:55:00Z",
      perPage: "1000",
    });
  });

  it("produces a valid record per reporting access point, named from the inventory", async () => {
    const result = await sweep(wirelessPacketLoss, window());
    const envelopes = envelopesOf(wirelessPacketLoss.schema.envelope, result);
    const reporting = devicesOf("wireless").filter((ap) => reportedIn(ap, window()));
    expect(envelopes.map((e) => [e.source.serial, e.source.model])).toEqual(
      reporting.map((d) => [d.serial, d.model]),
    );
    for (const { data } of envelopes) expect(data.downstream.total).toBeGreaterThan(0);
    expect(result.dropped).toEqual({});
  });

  it("refuses a window shorter than the API's 5 minutes before calling", async () => {
    const short = { start: "2026-11-22T09:51:00Z", end: "2026-11-22T09:55:00Z" };
    await expect(sweep(wirelessPacketLoss, short)).rejects.toThrow(WindowOutsideApiLimitsError);
    expect(sim.requests).toEqual([]);
  });
});

describe("wireless-clients-overview against the simulator", () => {
  const window = () => windowOf(wirelessClientsOverview, 300);

  it("lists the overview once, plus the inventory", async () => {
    await sweep(wirelessClientsOverview, window());
    expect(requestedPaths()).toEqual(["/devices", "/networks", "/wireless/clients/overview/byDevice"]);
  });

  it("produces a valid record per access point, counting its online wireless clients", async () => {
    const result = await sweep(wirelessClientsOverview, window());
    const envelopes = envelopesOf(wirelessClientsOverview.schema.envelope, result);
    const online = (serial: string) =>
      [...sim.dataset.clientsByNetwork.values()]
        .flat()
        .filter(
          (c) =>
            c.recentDeviceSerial === serial &&
            c.recentDeviceConnection === "Wireless" &&
            c.lastSeenSecondsAgo < 300,
        ).length;
    expect(envelopes.map((e) => [e.source.serial, e.data.onlineClients])).toEqual(
      devicesOf("wireless").map((ap) => [ap.serial, online(ap.serial)]),
    );
    expect(result.dropped).toEqual({});
  });
});

describe("switch-port-statuses against the simulator", () => {
  const window = () => windowOf(switchPortStatuses, 900);

  it("pages the switches 20 at a time, plus the inventory", async () => {
    await sweep(switchPortStatuses, window());
    const pages = calls("/switch/ports/statuses/bySwitch");
    expect(pages).toHaveLength(Math.ceil(devicesOf("switch").length / 20));
    expect(pages.every((r) => r.query.perPage === "20")).toBe(true);
  });

  it("produces a valid record per port of every switch, keyed serial:portId", async () => {
    const result = await sweep(switchPortStatuses, window());
    envelopesOf(switchPortStatuses.schema.envelope, result);
    const expected = devicesOf("switch").flatMap((d) => {
      const layout = switchPortLayout(d.model);
      const access = Array.from({ length: layout.accessPorts }, (_, i) => String(i + 1));
      return [...access, ...layout.uplinkPortIds].map((portId) => `${d.serial}:${portId}`);
    });
    expect(result.records.map((r) => r.key)).toEqual(expected);
    expect(new Set(result.records.map((r) => r.headers["record-id"])).size).toBe(expected.length);
    expect(result.dropped).toEqual({});
  });
});
