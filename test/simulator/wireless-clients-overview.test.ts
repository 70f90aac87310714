// getOrganizationWirelessClientsOverviewByDevice: the spec's `{items, meta}` shape, counts that
// agree with getNetworkClients, filters and Link paging at the perPage limits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson } from "./helpers.js";
import { walkItemPages } from "./items-pages.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const PATH = "/organizations/{organizationId}/wireless/clients/overview/byDevice";

interface Item {
  network: { id: string };
  serial: string;
  counts: { byStatus: { online: number } };
}
interface Client {
  recentDeviceSerial: string;
  recentDeviceConnection: string;
}

let sim: RunningSimulator;
let orgId: string;
let path: string;

const accessPoints = () =>
  sim.dataset.devices.filter((d) => d.organizationId === orgId && d.productType === "wireless");

beforeAll(async () => {
  sim = await startMerakiSimulator({
    seed: 11,
    organizations: 2,
    networksPerOrg: 6,
    devicesPerOrg: 300,
    clientsPerNetwork: 60,
    rateLimitPerSecond: 10_000,
    now: fixedClock,
  });
  orgId = sim.dataset.organizations[0]!.id;
  path = `/organizations/${orgId}/wireless/clients/overview/byDevice`;
});
afterAll(() => sim.stop());

describe("getOrganizationWirelessClientsOverviewByDevice", () => {
  it("answers exactly the spec's 200 schema", async () => {
    const validate = strictValidator(responseSchema(PATH));
    const body = await getJson<{ items: unknown[] }>(sim, path);
    expect(body.items.length).toBeGreaterThan(0);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("lists every access point of the organisation once, by serial, in its network", async () => {
    const { items } = await walkItemPages<Item>(sim, path);
    expect(items.map((item) => [item.serial, item.network.id])).toEqual(
      accessPoints().map((d) => [d.serial, d.networkId]),
    );
  });

  it("counts, per access point, the clients getNetworkClients reports online on it over Wi-Fi", async () => {
    const online = new Map<string, number>();
    for (const network of sim.dataset.networks.filter((n) => n.organizationId === orgId)) {
      const clients = await getJson<Client[]>(
        sim,
        `/networks/${network.id}/clients?perPage=5000&statuses[]=Online`,
      );
      for (const c of clients.filter((c) => c.recentDeviceConnection === "Wireless")) {
        online.set(c.recentDeviceSerial, (online.get(c.recentDeviceSerial) ?? 0) + 1);
      }
    }
    const { items } = await walkItemPages<Item>(sim, path);
    expect(items.reduce((sum, item) => sum + item.counts.byStatus.online, 0)).toBeGreaterThan(0);
    for (const item of items) expect(item.counts.byStatus.online).toBe(online.get(item.serial) ?? 0);
  });

  it("counts no client online on an access point that is offline or dormant", async () => {
    const down = new Set(
      accessPoints()
        .filter((d) => d.status === "offline" || d.status === "dormant")
        .map((d) => d.serial),
    );
    const { items } = await walkItemPages<Item>(sim, path);
    expect(down.size).toBeGreaterThan(0);
    for (const item of items.filter((item) => down.has(item.serial)))
      expect(item.counts.byStatus.online).toBe(0);
  });

  it("filters by networkIds[] and serials[]; no simulated access point is in a campus gateway cluster", async () => {
    const [ap] = accessPoints();
    const byNetwork = await getJson<{ items: Item[] }>(sim, `${path}?networkIds[]=${ap!.networkId}`);
    const bySerial = await getJson<{ items: Item[] }>(sim, `${path}?serials[]=${ap!.serial}`);
    const byCluster = await getJson<{ items: Item[] }>(sim, `${path}?campusGatewayClusterIds[]=1`);
    expect(byNetwork.items.map((i) => i.serial)).toEqual(
      accessPoints()
        .filter((d) => d.networkId === ap!.networkId)
        .map((d) => d.serial),
    );
    expect(bySerial.items.map((i) => i.serial)).toEqual([ap!.serial]);
    expect(byCluster.items).toEqual([]);
  });

  it("pages with Link at the smallest perPage, every access point once, meta counting what remains", async () => {
    const total = accessPoints().length;
    const { items, metas } = await walkItemPages<Item>(sim, `${path}?perPage=3`);
    expect(items.map((i) => i.serial)).toEqual(accessPoints().map((d) => d.serial));
    expect(metas).toHaveLength(Math.ceil(total / 3));
    expect(metas.map((m) => m.counts.items)).toEqual(
      metas.map((_, page) => ({ total, remaining: Math.max(0, total - 3 * (page + 1)) })),
    );
  });

  it("answers every access point in one page at the largest perPage", async () => {
    const { items, pages } = await walkItemPages<Item>(sim, `${path}?perPage=1000`);
    expect(items).toHaveLength(accessPoints().length);
    expect(pages).toBe(1);
  });

  it.each([
    ["below", 2],
    ["above", 1001],
  ])("refuses a perPage %s the range with 400", async (_where, perPage) => {
    const response = await get(sim, `${path}?perPage=${perPage}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: ["'perPage' must be an integer between 3 and 1000"] });
  });
});
