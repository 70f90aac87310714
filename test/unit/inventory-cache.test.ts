// The inventory cache's policy against the simulator: what it fetches, and when it fetches again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { MerakiClient } from "../../shared/meraki/index.js";
import { InventoryCache } from "../../shared/sweeps/inventory.js";

let sim: RunningSimulator;
let meraki: MerakiClient;
let orgId: string;
let clock: number;
let cache: InventoryCache;

const deviceListings = () => sim.requests.filter((r) => r.path === `/organizations/${orgId}/devices`).length;

beforeAll(async () => {
  sim = await startMerakiSimulator({ seed: 4, organizations: 1, networksPerOrg: 2, devicesPerOrg: 6 });
  meraki = new MerakiClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl });
  orgId = sim.dataset.organizations[0]!.id;
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.resetLog();
  clock = 1_000_000;
  cache = new InventoryCache({ ttlMs: 3_600_000, now: () => clock });
});

describe("InventoryCache", () => {
  it("lists an organisation's devices once and serves them from the cache until the TTL", async () => {
    const first = await cache.devices(meraki, orgId);
    clock += 3_599_000;
    await cache.devices(meraki, orgId);
    expect(deviceListings()).toBe(1);
    expect([...first.keys()].sort()).toEqual(sim.dataset.devices.map((d) => d.serial).sort());
    clock += 2_000;
    await cache.devices(meraki, orgId);
    expect(deviceListings()).toBe(2);
  });

  it("refreshes once for a serial it lacks when its list is over a minute old", async () => {
    await cache.devices(meraki, orgId);
    clock += 61_000;
    await cache.devicesKnowing(meraki, orgId, ["Q2NEW-0000-0000", "Q2NEW-0000-0001"]);
    expect(deviceListings()).toBe(2);
  });

  it("does not refresh for an unknown serial within a minute of the last listing", async () => {
    await cache.devices(meraki, orgId);
    clock += 59_000;
    await cache.devicesKnowing(meraki, orgId, ["Q2NEW-0000-0000"]);
    expect(deviceListings()).toBe(1);
  });

  it("does not refresh when every serial is known or absent", async () => {
    await cache.devices(meraki, orgId);
    clock += 600_000;
    await cache.devicesKnowing(meraki, orgId, [sim.dataset.devices[0]!.serial, null, undefined]);
    expect(deviceListings()).toBe(1);
  });
});
