// getOrganizationWirelessDevicesChannelUtilizationByDevice: the spec's shape, the access points
// that report, the time-window rules and Link paging at the perPage limits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, NOW, walkPages } from "./helpers.js";
import { reportingOf } from "./reporting.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const PATH = "/organizations/{organizationId}/wireless/devices/channelUtilization/byDevice";

interface Item {
  serial: string;
  mac: string;
  network: { id: string };
  byBand: {
    band: string;
    wifi: { percentage: number };
    nonWifi: { percentage: number };
    total: { percentage: number };
  }[];
}

let sim: RunningSimulator;
let orgId: string;
let path: string;
const INTERVAL = "t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:55:00Z&interval=300";

const accessPoints = () =>
  sim.dataset.devices.filter((d) => d.organizationId === orgId && d.productType === "wireless");
/** The access points with data for [from, to): those that reported all through one of its intervals. */
const reporting = (from = "2026-11-22T09:50:00Z", to = "2026-11-22T09:55:00Z") => {
  const history = reportingOf(sim, orgId, NOW);
  return accessPoints().filter((d) => history.reportedIn(d, Date.parse(from), Date.parse(to)));
};

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
  path = `/organizations/${orgId}/wireless/devices/channelUtilization/byDevice`;
});
afterAll(() => sim.stop());

describe("getOrganizationWirelessDevicesChannelUtilizationByDevice", () => {
  it("answers exactly the spec's 200 schema", async () => {
    const validate = strictValidator(responseSchema(PATH));
    const body = await getJson<unknown[]>(sim, `${path}?${INTERVAL}`);
    expect(body.length).toBeGreaterThan(0);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("lists every access point of the organisation that reported all through the interval, once, by serial", async () => {
    const body = await getJson<Item[]>(sim, `${path}?${INTERVAL}`);
    expect(body.map((item) => item.serial)).toEqual(reporting().map((d) => d.serial));
    expect(reporting().length).toBeLessThan(accessPoints().length);
  });

  it("names each access point's network and MAC as the inventory does", async () => {
    const body = await getJson<Item[]>(sim, `${path}?${INTERVAL}`);
    const bySerial = new Map(reporting().map((d) => [d.serial, d]));
    for (const item of body) {
      expect(item.network.id).toBe(bySerial.get(item.serial)!.networkId);
      expect(item.mac).toBe(bySerial.get(item.serial)!.mac);
    }
  });

  it("reports 2.4 and 5 GHz for every access point, and 6 GHz for the Wi-Fi 6E model", async () => {
    const body = await getJson<Item[]>(sim, `${path}?${INTERVAL}`);
    const model = new Map(reporting().map((d) => [d.serial, d.model]));
    for (const item of body) {
      expect(item.byBand.map((b) => b.band)).toEqual(
        model.get(item.serial) === "CW9166I" ? ["2.4", "5", "6"] : ["2.4", "5"],
      );
    }
  });

  it("reports percentages between 0 and 100 whose total is Wi-Fi plus non-Wi-Fi", async () => {
    const body = await getJson<Item[]>(sim, `${path}?${INTERVAL}`);
    for (const band of body.flatMap((item) => item.byBand)) {
      expect(band.total.percentage).toBeGreaterThanOrEqual(0);
      expect(band.total.percentage).toBeLessThanOrEqual(100);
      expect(band.total.percentage).toBeCloseTo(
        Math.min(100, band.wifi.percentage + band.nonWifi.percentage),
        1,
      );
    }
  });

  it("averages the 5-minute intervals of a longer span", async () => {
    const bySerial = async (query: string) =>
      new Map(
        (await getJson<Item[]>(sim, `${path}?${query}&interval=300`)).map((item) => [item.serial, item]),
      );
    const first = await bySerial("t0=2026-11-22T09:45:00Z&t1=2026-11-22T09:50:00Z");
    const second = await bySerial("t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:55:00Z");
    const both = await bySerial("t0=2026-11-22T09:45:00Z&t1=2026-11-22T09:55:00Z");
    const inBoth = [...both.keys()].filter((serial) => first.has(serial) && second.has(serial));
    expect(inBoth.length).toBeGreaterThan(0);
    for (const serial of inBoth) {
      for (const [b, band] of both.get(serial)!.byBand.entries()) {
        const mean =
          (first.get(serial)!.byBand[b]!.total.percentage + second.get(serial)!.byBand[b]!.total.percentage) /
          2;
        expect(band.total.percentage).toBeCloseTo(mean, 1);
      }
    }
  });

  it("answers the same values for the same interval every time", async () => {
    expect(await getJson(sim, `${path}?${INTERVAL}`)).toEqual(await getJson(sim, `${path}?${INTERVAL}`));
  });

  it("has no data for an interval that is not over yet", async () => {
    const body = await getJson<Item[]>(
      sim,
      `${path}?t0=2026-11-22T09:57:00Z&t1=2026-11-22T10:02:00Z&interval=300`,
    );
    expect(body).toEqual([]);
  });

  it("filters by networkIds[] and serials[]", async () => {
    const [ap] = reporting();
    const byNetwork = await getJson<Item[]>(sim, `${path}?${INTERVAL}&networkIds[]=${ap!.networkId}`);
    const bySerial = await getJson<Item[]>(sim, `${path}?${INTERVAL}&serials[]=${ap!.serial}`);
    expect(byNetwork.map((i) => i.serial)).toEqual(
      reporting()
        .filter((d) => d.networkId === ap!.networkId)
        .map((d) => d.serial),
    );
    expect(bySerial.map((i) => i.serial)).toEqual([ap!.serial]);
  });

  it("pages with Link at the smallest perPage, every access point once", async () => {
    const { items, pages } = await walkPages<Item>(sim, `${path}?${INTERVAL}&perPage=3`);
    expect(items.map((i) => i.serial)).toEqual(reporting().map((d) => d.serial));
    expect(pages).toBe(Math.ceil(reporting().length / 3));
  });

  it("answers every access point in one page at the largest perPage", async () => {
    const { items, pages } = await walkPages<Item>(sim, `${path}?${INTERVAL}&perPage=1000`);
    expect(items).toHaveLength(reporting().length);
    expect(pages).toBe(1);
  });

  it.each([
    ["perPage below the range", `${INTERVAL}&perPage=2`, "'perPage' must be an integer between 3 and 1000"],
    [
      "perPage above the range",
      `${INTERVAL}&perPage=1001`,
      "'perPage' must be an integer between 3 and 1000",
    ],
    [
      "an interval it does not offer",
      "t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:55:00Z&interval=120",
      "'interval' must be one of: 300, 600, 3600, 7200, 14400, 21600",
    ],
    [
      "a span shorter than the interval",
      "t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:55:00Z&interval=600",
      "The timespan between 't0' and 't1' must be at least 600 seconds",
    ],
    [
      "a span shorter than the default interval",
      "t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:55:00Z",
      "The timespan between 't0' and 't1' must be at least 3600 seconds",
    ],
    [
      "t0 beyond the 90-day lookback",
      "t0=2026-08-23T09:00:00Z&t1=2026-08-23T10:00:00Z",
      "'t0' can be at most 90 days in the past",
    ],
    [
      "t0 after t1",
      "t0=2026-11-22T09:55:00Z&t1=2026-11-22T09:50:00Z&interval=300",
      "'t0' must be before 't1'",
    ],
    [
      "timespan with t0",
      "t0=2026-11-22T09:00:00Z&timespan=3600",
      "Specify either 'timespan' or 't0'/'t1', not both",
    ],
    [
      "a timespan over 90 days",
      "timespan=7776001",
      "'timespan' must be at least 3600 seconds and at most 90 days",
    ],
  ])("refuses %s with 400", async (_name, query, message) => {
    const response = await get(sim, `${path}?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [message] });
  });

  it("defaults to the last 7 days at an hourly interval", async () => {
    const body = await getJson<Item[]>(sim, path);
    const weekAgo = new Date(NOW.getTime() - 7 * 86_400_000).toISOString();
    expect(body.map((i) => i.serial)).toEqual(reporting(weekAgo, NOW.toISOString()).map((d) => d.serial));
  });
});
