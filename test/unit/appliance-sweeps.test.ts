// The three appliance kinds swept against the simulator through their sweepOrganization with a real
// MerakiClient and inventory cache: which calls they make, and the records they make of the answers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import {
  applianceUplinkStatusEnvelope,
  applianceUplinkStatuses,
} from "../../shared/kinds/appliance-uplink-statuses.js";
import {
  applianceUplinksUsage,
  applianceUplinkUsageEnvelope,
} from "../../shared/kinds/appliance-uplinks-usage.js";
import {
  applianceVpnStatusEnvelope,
  applianceVpnStatuses,
} from "../../shared/kinds/appliance-vpn-statuses.js";
import type { RegisteredKind } from "../../shared/kinds/registry.js";
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
    organizations: 1,
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

function context(kind: RegisteredKind, options: Partial<MerakiClientOptions> = {}): OrganizationSweepContext {
  const periodSeconds = { "rate(5 minutes)": 300, "rate(10 minutes)": 600, "rate(15 minutes)": 900 }[
    kind.deployment.schedule
  ];
  if (periodSeconds === undefined) throw new Error(`no period for ${kind.deployment.schedule}`);
  return {
    // No client-side rate limit: the tests are about calls and records, not pacing.
    meraki: new MerakiClient({
      apiKey: sim.apiKey,
      baseUrl: sim.baseUrl,
      requestsPerSecond: 10_000,
      burst: 10_000,
      ...options,
    }),
    inventory,
    organization: { id: orgId, name: sim.dataset.organizations[0]!.name },
    window: sweepWindow(NOW, { periodSeconds, dataDelaySeconds: kind.window.dataDelaySeconds }),
    sweepId: NOW.toISOString(),
    observedAt: NOW.toISOString(),
    topic: kind.defaultTopic,
  };
}
const paths = () => sim.requests.map((r) => r.path);
const inventoryPaths = () => [`/organizations/${orgId}/devices`, `/organizations/${orgId}/networks`];
const appliances = () => sim.dataset.devices.filter((d) => d.productType === "appliance");
const deviceOf = (serial: string | null) => sim.dataset.devices.find((d) => d.serial === serial);
const networkOf = (id: string | null) => sim.dataset.networks.find((n) => n.id === id);

describe("appliance-uplink-statuses swept against the simulator", () => {
  const path = () => `/organizations/${orgId}/appliance/uplink/statuses`;

  it("calls the listing once (one page of up to 1,000 appliances) and the inventory once", async () => {
    await applianceUplinkStatuses.sweepOrganization(context(applianceUplinkStatuses));
    expect(paths().sort()).toEqual([path(), ...inventoryPaths()].sort());
    expect(sim.requests.find((r) => r.path === path())!.query).toEqual({ perPage: "1000" });
  });

  it("calls only the listing once the inventory is cached", async () => {
    await applianceUplinkStatuses.sweepOrganization(context(applianceUplinkStatuses));
    sim.resetLog();
    await applianceUplinkStatuses.sweepOrganization(context(applianceUplinkStatuses));
    expect(paths()).toEqual([path()]);
  });

  it("follows every page", async () => {
    const result = await applianceUplinkStatuses.sweepOrganization(
      context(applianceUplinkStatuses, { pageSizes: { getOrganizationApplianceUplinkStatuses: 7 } }),
    );
    expect(paths().filter((p) => p === path())).toHaveLength(Math.ceil(appliances().length / 7));
    expect(result.records).toHaveLength(2 * appliances().length);
  });

  it("produces one valid record per MX uplink, keyed by serial and interface, named from the inventory", async () => {
    const { records, dropped } = await applianceUplinkStatuses.sweepOrganization(
      context(applianceUplinkStatuses),
    );
    expect(dropped).toEqual({});
    const envelopes = records.map((r) => applianceUplinkStatusEnvelope.parse(JSON.parse(r.value)));
    expect(envelopes.map((e) => `${e.source.serial}|${e.data.interface}`).sort()).toEqual(
      appliances()
        .flatMap((d) => [`${d.serial}|wan1`, `${d.serial}|wan2`])
        .sort(),
    );
    expect(records.map((r) => r.key)).toEqual(envelopes.map((e) => `${e.source.serial}:${e.data.interface}`));
    expect(new Set(envelopes.map((e) => e.id)).size).toBe(records.length);
    for (const envelope of envelopes) {
      const device = deviceOf(envelope.source.serial)!;
      expect(envelope.source).toMatchObject({
        networkId: device.networkId,
        networkName: networkOf(device.networkId)!.name,
        deviceName: device.name,
        model: device.model,
      });
    }
  });

  it("reports no active uplink of an offline MX", async () => {
    const { records } = await applianceUplinkStatuses.sweepOrganization(context(applianceUplinkStatuses));
    const envelopes = records.map((r) => applianceUplinkStatusEnvelope.parse(JSON.parse(r.value)));
    const ofOffline = envelopes.filter((e) => deviceOf(e.source.serial)!.status === "offline");
    for (const envelope of ofOffline) expect(envelope.data.status).not.toBe("active");
  });
});

describe("appliance-vpn-statuses swept against the simulator", () => {
  const path = () => `/organizations/${orgId}/appliance/vpn/statuses`;

  it("calls the listing once (one page of up to 300 networks) and the inventory once", async () => {
    await applianceVpnStatuses.sweepOrganization(context(applianceVpnStatuses));
    expect(paths().sort()).toEqual([path(), ...inventoryPaths()].sort());
    expect(sim.requests.find((r) => r.path === path())!.query).toEqual({ perPage: "300" });
  });

  it("follows every page", async () => {
    await applianceVpnStatuses.sweepOrganization(
      context(applianceVpnStatuses, { pageSizes: { getOrganizationApplianceVpnStatuses: 30 } }),
    );
    expect(paths().filter((p) => p === path())).toHaveLength(Math.ceil(sim.dataset.networks.length / 30));
  });

  it("produces one valid record per (appliance, peer) the API lists, keyed by serial and peer", async () => {
    const { records, dropped } = await applianceVpnStatuses.sweepOrganization(context(applianceVpnStatuses));
    expect(dropped).toEqual({});
    const envelopes = records.map((r) => applianceVpnStatusEnvelope.parse(JSON.parse(r.value)));
    const rows = (await (
      await fetch(`${sim.baseUrl}${path()}`, { headers: { Authorization: `Bearer ${sim.apiKey}` } })
    ).json()) as { deviceSerial: string; merakiVpnPeers: unknown[]; thirdPartyVpnPeers: unknown[] }[];
    expect(records).toHaveLength(
      rows.reduce((sum, row) => sum + row.merakiVpnPeers.length + row.thirdPartyVpnPeers.length, 0),
    );
    // Keyed by appliance and peer: compacting the topic keeps every peer's latest state.
    expect(records.map((r) => r.key.split(":")[0])).toEqual(envelopes.map((e) => e.source.serial));
    expect(new Set(records.map((r) => r.key)).size).toBe(records.length);
    expect(new Set(envelopes.map((e) => e.id)).size).toBe(records.length);
    for (const envelope of envelopes) {
      expect(envelope.source.deviceName).toBe(deviceOf(envelope.source.serial)!.name);
      expect(envelope.source.networkName).toBe(networkOf(envelope.source.networkId)!.name);
    }
  });

  it("names every Auto VPN peer network of the organisation, and reports unreachable peers of offline MXs", async () => {
    const { records } = await applianceVpnStatuses.sweepOrganization(context(applianceVpnStatuses));
    const envelopes = records.map((r) => applianceVpnStatusEnvelope.parse(JSON.parse(r.value)));
    for (const envelope of envelopes.filter((e) => e.data.peerType === "meraki")) {
      expect(envelope.data.peerNetworkName).toBe(networkOf(envelope.data.peerNetworkId)!.name);
    }
    for (const envelope of envelopes.filter((e) => e.data.deviceStatus === "offline")) {
      expect(envelope.data.reachability).toBe("unreachable");
    }
  });
});

describe("appliance-uplinks-usage swept against the simulator", () => {
  const path = () => `/organizations/${orgId}/appliance/uplinks/usage/byNetwork`;

  it("calls the usage once with the sweep's window as t0/t1, and the inventory once", async () => {
    const ctx = context(applianceUplinksUsage);
    await applianceUplinksUsage.sweepOrganization(ctx);
    expect(paths().sort()).toEqual([path(), ...inventoryPaths()].sort());
    expect(sim.requests.find((r) => r.path === path())!.query).toEqual({
      t0: ctx.window.start,
      t1: ctx.window.end,
    });
    // 15 minutes ending 5 minutes before the scheduled time.
    expect(ctx.window).toEqual({ start: "2026-11-22T09:40:00Z", end: "2026-11-22T09:55:00Z" });
  });

  it("produces one valid record per network uplink, keyed by network id, named from the inventory", async () => {
    const { records, dropped } = await applianceUplinksUsage.sweepOrganization(
      context(applianceUplinksUsage),
    );
    expect(dropped).toEqual({});
    const envelopes = records.map((r) => applianceUplinkUsageEnvelope.parse(JSON.parse(r.value)));
    expect(
      envelopes.map((e) => `${e.source.networkId}|${e.source.serial}|${e.data.interface}`).sort(),
    ).toEqual(
      appliances()
        .flatMap((d) => [`${d.networkId}|${d.serial}|wan1`, `${d.networkId}|${d.serial}|wan2`])
        .sort(),
    );
    expect(records.map((r) => r.key)).toEqual(envelopes.map((e) => e.source.networkId));
    for (const envelope of envelopes) {
      expect(envelope.source.deviceName).toBe(deviceOf(envelope.source.serial)!.name);
      expect(envelope.source.networkName).toBe(networkOf(envelope.source.networkId)!.name);
    }
  });

  it("tiles: consecutive windows' bytes add up to what one call over both reports", async () => {
    const first = context(applianceUplinksUsage);
    const second = { ...first, window: { start: first.window.end, end: "2026-11-22T10:00:00Z" } };
    const bytes = async (ctx: OrganizationSweepContext) =>
      (await applianceUplinksUsage.sweepOrganization(ctx)).records.reduce(
        (sum, r) => sum + applianceUplinkUsageEnvelope.parse(JSON.parse(r.value)).data.received!,
        0,
      );
    const both = { ...first, window: { start: first.window.start, end: second.window.end } };
    expect((await bytes(first)) + (await bytes(second))).toBe(await bytes(both));
  });
});
