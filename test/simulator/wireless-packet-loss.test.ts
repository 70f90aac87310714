// getOrganizationWirelessDevicesPacketLossByDevice: the spec's shape, the access points that
// report, packets that add up across tiled windows and bands, the time-window rules and Link
// paging at the perPage limits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, NOW, walkPages } from "./helpers.js";
import { reportingOf } from "./reporting.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const PATH = "/organizations/{organizationId}/wireless/devices/packetLoss/byDevice";

interface Direction {
  total: number;
  lost: number;
  lossPercentage: number;
}
interface Item {
  downstream: Direction;
  upstream: Direction;
  network: { id: string; name: string };
  device: { name: string; serial: string; mac: string };
}

let sim: RunningSimulator;
let orgId: string;
let path: string;
const WINDOW = "t0=2026-11-22T09:45:00Z&t1=2026-11-22T09:55:00Z";

const accessPoints = () =>
  sim.dataset.devices.filter((d) => d.organizationId === orgId && d.productType === "wireless");
/** The access points with data for [from, to): those that reported all through one of its 5 minutes. */
const reporting = (from = "2026-11-22T09:45:00Z", to = "2026-11-22T09:55:00Z") => {
  const history = reportingOf(sim, orgId, NOW);
  return accessPoints().filter((d) => history.reportedIn(d, Date.parse(from), Date.parse(to)));
};
const bySerial = (items: Item[]) => new Map(items.map((item) => [item.device.serial, item]));
const NOTHING = { downstream: { total: 0, lost: 0 }, upstream: { total: 0, lost: 0 } };

beforeAll(async () => {
  sim = await startMerakiSimulator({
    seed: 11,
    organizations: 2,
    networksPerOrg: 6,
    devicesPerOrg: 300,
    rateLimitPerSecond: 10_000,
    now: fixedClock,
  });
  orgId = sim.dataset.organizations[0]!.id;
  path = `/organizations/${orgId}/wireless/devices/packetLoss/byDevice`;
});
afterAll(() => sim.stop());

describe("getOrganizationWirelessDevicesPacketLossByDevice", () => {
  it("answers exactly the spec's 200 schema", async () => {
    const validate = strictValidator(responseSchema(PATH));
    const body = await getJson<unknown[]>(sim, `${path}?${WINDOW}`);
    expect(body.length).toBeGreaterThan(0);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("lists every access point of the organisation that reported in the window, once, by serial", async () => {
    const body = await getJson<Item[]>(sim, `${path}?${WINDOW}`);
    expect(body.map((item) => item.device.serial)).toEqual(reporting().map((d) => d.serial));
    expect(reporting().length).toBeLessThan(accessPoints().length);
  });

  it("names each access point and its network as the inventory does", async () => {
    const body = await getJson<Item[]>(sim, `${path}?${WINDOW}`);
    const devices = new Map(reporting().map((d) => [d.serial, d]));
    const networks = new Map(sim.dataset.networks.map((n) => [n.id, n]));
    for (const item of body) {
      const device = devices.get(item.device.serial)!;
      expect(item.device).toEqual({ name: device.name, serial: device.serial, mac: device.mac });
      expect(item.network).toEqual({ id: device.networkId, name: networks.get(device.networkId)!.name });
    }
  });

  it("states each direction's loss as its lost share of its packets, in percent", async () => {
    const body = await getJson<Item[]>(sim, `${path}?${WINDOW}`);
    for (const direction of body.flatMap((item) => [item.downstream, item.upstream])) {
      expect(direction.lost).toBeLessThanOrEqual(direction.total);
      expect(direction.lossPercentage).toBeCloseTo((direction.lost / direction.total) * 100, 2);
    }
  });

  it("counts packets that add up over tiled windows", async () => {
    const first = bySerial(
      await getJson<Item[]>(sim, `${path}?t0=2026-11-22T09:45:00Z&t1=2026-11-22T09:50:00Z`),
    );
    const second = bySerial(
      await getJson<Item[]>(sim, `${path}?t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:55:00Z`),
    );
    for (const item of await getJson<Item[]>(sim, `${path}?${WINDOW}`)) {
      // An access point that stopped reporting in the second 5 minutes has only the first's packets.
      const [a, b] = [first.get(item.device.serial) ?? NOTHING, second.get(item.device.serial) ?? NOTHING];
      expect(item.downstream.total).toBe(a.downstream.total + b.downstream.total);
      expect(item.downstream.lost).toBe(a.downstream.lost + b.downstream.lost);
      expect(item.upstream.total).toBe(a.upstream.total + b.upstream.total);
      expect(item.upstream.lost).toBe(a.upstream.lost + b.upstream.lost);
    }
  });

  it("counts an access point's packets as the sum of its bands, and only tri-band ones on 6 GHz", async () => {
    const all = bySerial(await getJson<Item[]>(sim, `${path}?${WINDOW}`));
    const low = bySerial(await getJson<Item[]>(sim, `${path}?${WINDOW}&bands[]=2.4`));
    const high = bySerial(await getJson<Item[]>(sim, `${path}?${WINDOW}&bands[]=5&bands[]=6`));
    const six = await getJson<Item[]>(sim, `${path}?${WINDOW}&bands[]=6`);
    for (const [serial, item] of all) {
      expect(item.downstream.total).toBe(
        low.get(serial)!.downstream.total + high.get(serial)!.downstream.total,
      );
    }
    expect(six.map((item) => item.device.serial)).toEqual(
      reporting()
        .filter((d) => d.model === "CW9166I")
        .map((d) => d.serial),
    );
  });

  it("answers the same counts for the same window every time", async () => {
    expect(await getJson(sim, `${path}?${WINDOW}`)).toEqual(await getJson(sim, `${path}?${WINDOW}`));
  });

  it("has no data for a window whose 5 minutes are not over yet", async () => {
    expect(await getJson<Item[]>(sim, `${path}?t0=2026-11-22T09:56:00Z&t1=2026-11-22T10:01:00Z`)).toEqual([]);
  });

  it("filters by networkIds[] and serials[]", async () => {
    const [ap] = reporting();
    const byNetwork = await getJson<Item[]>(sim, `${path}?${WINDOW}&networkIds[]=${ap!.networkId}`);
    const bySerials = await getJson<Item[]>(sim, `${path}?${WINDOW}&serials[]=${ap!.serial}`);
    expect(byNetwork.map((i) => i.device.serial)).toEqual(
      reporting()
        .filter((d) => d.networkId === ap!.networkId)
        .map((d) => d.serial),
    );
    expect(bySerials.map((i) => i.device.serial)).toEqual([ap!.serial]);
  });

  it("pages with Link at the smallest perPage, every access point once", async () => {
    const { items, pages } = await walkPages<Item>(sim, `${path}?${WINDOW}&perPage=3`);
    expect(items.map((i) => i.device.serial)).toEqual(reporting().map((d) => d.serial));
    expect(pages).toBe(Math.ceil(reporting().length / 3));
  });

  it("answers every access point in one page at the largest perPage", async () => {
    const { items, pages } = await walkPages<Item>(sim, `${path}?${WINDOW}&perPage=1000`);
    expect(items).toHaveLength(reporting().length);
    expect(pages).toBe(1);
  });

  it.each([
    ["perPage below the range", `${WINDOW}&perPage=2`, "'perPage' must be an integer between 3 and 1000"],
    ["perPage above the range", `${WINDOW}&perPage=1001`, "'perPage' must be an integer between 3 and 1000"],
    [
      "a span under 5 minutes",
      "t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:54:00Z",
      "The timespan between 't0' and 't1' must be at least 300 seconds",
    ],
    [
      "a timespan under 5 minutes",
      "timespan=299",
      "'timespan' must be at least 300 seconds and at most 90 days",
    ],
    [
      "a timespan over 90 days",
      "timespan=7776001",
      "'timespan' must be at least 300 seconds and at most 90 days",
    ],
    [
      "t0 beyond the 90-day lookback",
      "t0=2026-08-23T09:00:00Z&t1=2026-08-23T10:00:00Z",
      "'t0' can be at most 90 days in the past",
    ],
    ["t0 after t1", "t0=2026-11-22T09:55:00Z&t1=2026-11-22T09:45:00Z", "'t0' must be before 't1'"],
    [
      "timespan with t1",
      "t1=2026-11-22T09:55:00Z&timespan=600",
      "Specify either 'timespan' or 't0'/'t1', not both",
    ],
    ["a band that does not exist", `${WINDOW}&bands[]=7`, "'bands' must be any of: 2.4, 5, 6"],
  ])("refuses %s with 400", async (_name, query, message) => {
    const response = await get(sim, `${path}?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [message] });
  });
});
