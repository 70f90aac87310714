// getOrganizationDevicesAvailabilitiesChangeHistory: the spec's shape, its t0/t1/timespan rules,
// Link paging at its perPage limits, and a history that agrees with the availabilities and the
// statuses (each change follows the one before, ends in today's status, and an offline device's
// change to offline comes a few minutes after its last report).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, NOW, walkPages } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const PATH = "/organizations/{organizationId}/devices/availabilities/changeHistory";
const MINUTE = 60_000;
const DAY = 86_400_000;

interface Change {
  ts: string;
  device: { serial: string; name: string; productType: string; model: string };
  details: { old: { name: string; value: string }[]; new: { name: string; value: string }[] };
  network: { id: string; name: string; url: string; tags: string[] };
}

let sim: RunningSimulator;
let orgId: string;
let url: string;

beforeAll(async () => {
  sim = await startMerakiSimulator({
    seed: 5,
    organizations: 2,
    networksPerOrg: 6,
    devicesPerOrg: 250,
    rateLimitPerSecond: 10_000,
    now: fixedClock,
  });
  orgId = sim.dataset.organizations[0]!.id;
  url = `/organizations/${orgId}/devices/availabilities/changeHistory`;
});
afterAll(() => sim.stop());

const iso = (ms: number) => new Date(ms).toISOString();
const between = (startMs: number, endMs: number) => `${url}?t0=${iso(startMs)}&t1=${iso(endMs)}`;
const changes = async (path: string) => (await walkPages<Change>(sim, path)).items;
const status = (change: Change, side: "old" | "new") =>
  change.details[side].find((d) => d.name === "status")!.value;

describe("GET /organizations/{organizationId}/devices/availabilities/changeHistory", () => {
  it("has exactly the shape of the spec's 200 schema", async () => {
    const validate = strictValidator(responseSchema(PATH));
    const body = await getJson<unknown[]>(sim, `${url}?timespan=3600`);
    expect(body.length).toBeGreaterThan(0);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("answers the changes with t0 <= ts < t1, in time order, with microseconds", async () => {
    const t0 = NOW.getTime() - 60 * MINUTE;
    const t1 = NOW.getTime() - 30 * MINUTE;
    const body = await changes(between(t0, t1));
    expect(body.length).toBeGreaterThan(0);
    for (const change of body) {
      expect(change.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(Date.parse(change.ts)).toBeGreaterThanOrEqual(t0);
      expect(Date.parse(change.ts)).toBeLessThan(t1);
    }
    expect(body.map((c) => c.ts)).toEqual(body.map((c) => c.ts).sort());
  });

  it("tiles: two adjacent windows hold exactly the changes of the window over both", async () => {
    const t0 = NOW.getTime() - 3 * 60 * MINUTE;
    const middle = t0 + 47 * MINUTE + 13_000;
    const t1 = t0 + 2 * 60 * MINUTE;
    const halves = [...(await changes(between(t0, middle))), ...(await changes(between(middle, t1)))];
    expect(halves).toEqual(await changes(between(t0, t1)));
  });

  it("answers a window the same every time, and a simulator of the same seed and clock the same", async () => {
    const path = between(NOW.getTime() - 6 * 60 * MINUTE, NOW.getTime());
    const twin = await startMerakiSimulator({
      ...sim.dataset.options,
      rateLimitPerSecond: 10_000,
      now: fixedClock,
    });
    try {
      const first = await changes(path);
      expect(await changes(path)).toEqual(first);
      expect((await walkPages<Change>(twin, path)).items).toEqual(first);
    } finally {
      await twin.stop();
    }
  });

  it("holds a change in every 5-minute slot of the organisation", async () => {
    const start = NOW.getTime() - 2 * 60 * MINUTE;
    const body = await changes(between(start, NOW.getTime()));
    const slots = new Set(body.map((c) => Math.floor((Date.parse(c.ts) - start) / (5 * MINUTE))));
    expect(slots.size).toBe(24);
  });

  it("defaults to the last day, and never answers a change after now", async () => {
    const body = await changes(url);
    expect(Date.parse(body[0]!.ts)).toBeGreaterThanOrEqual(NOW.getTime() - DAY);
    const future = await changes(between(NOW.getTime() - 10 * MINUTE, NOW.getTime() + 60 * MINUTE));
    expect(future.every((c) => Date.parse(c.ts) < NOW.getTime())).toBe(true);
  });

  it("refuses the timespans the spec refuses", async () => {
    const cases = [
      `t0=${iso(NOW.getTime() - DAY)}&timespan=3600`,
      `t0=${iso(NOW.getTime() - 32 * DAY)}`,
      `t0=${iso(NOW.getTime() - 31 * DAY + MINUTE)}&t1=${iso(NOW.getTime() + 2 * DAY)}`,
      `t0=${iso(NOW.getTime() - MINUTE)}&t1=${iso(NOW.getTime() - 2 * MINUTE)}`,
      "timespan=2678401",
      "t0=yesterday",
    ];
    for (const query of cases) expect((await get(sim, `${url}?${query}`)).status, query).toBe(400);
  });

  it("pages with Link at the smallest and the largest perPage", async () => {
    const path = between(NOW.getTime() - 20 * MINUTE, NOW.getTime());
    const smallest = await walkPages<Change>(sim, `${path}&perPage=3`);
    const largest = await walkPages<Change>(sim, `${path}&perPage=1000`);
    expect(largest.pages).toBe(1);
    expect(smallest.items).toEqual(largest.items);
    expect(smallest.pages).toBe(Math.ceil(largest.items.length / 3));
    expect((await get(sim, `${path}&perPage=2`)).status).toBe(400);
    expect((await get(sim, `${path}&perPage=1001`)).status).toBe(400);
  });

  it("filters by serial, network, product type and new status", async () => {
    const path = between(NOW.getTime() - 6 * 60 * MINUTE, NOW.getTime());
    const all = await changes(path);
    const some = all[0]!;
    const cases: [string, (c: Change) => boolean][] = [
      [`serials[]=${some.device.serial}`, (c) => c.device.serial === some.device.serial],
      [`networkIds[]=${some.network.id}`, (c) => c.network.id === some.network.id],
      [`productTypes[]=${some.device.productType}`, (c) => c.device.productType === some.device.productType],
      ["statuses[]=alerting", (c) => status(c, "new") === "alerting"],
    ];
    for (const [query, keep] of cases) {
      const expected = all.filter(keep);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(await changes(`${path}&${query}`), query).toEqual(expected);
    }
    expect((await get(sim, `${path}&statuses[]=down`)).status).toBe(400);
  });

  it("names each change's device and network as the inventory does", async () => {
    const devices = new Map(sim.dataset.devices.map((d) => [d.serial, d]));
    const networks = new Map(sim.dataset.networks.map((n) => [n.id, n]));
    for (const change of await changes(`${url}?timespan=3600`)) {
      const device = devices.get(change.device.serial)!;
      expect(change.device).toEqual({
        serial: device.serial,
        name: device.name,
        productType: device.productType,
        model: device.model,
      });
      const network = networks.get(device.networkId)!;
      expect(change.network).toEqual({
        id: network.id,
        name: network.name,
        url: network.url,
        tags: network.tags,
      });
    }
  });
});

describe("the change history agrees with the availabilities and the statuses", () => {
  /** The last two days: every reporting device flickers in them. */
  let history: Change[];
  /** The last 31 days (the lookback), only the changes to offline or dormant. */
  let outages: Change[];
  let now: Map<string, string>;
  let lastReportedAt: Map<string, number>;

  beforeAll(async () => {
    history = await changes(`${url}?timespan=172800`);
    outages = await changes(`${url}?timespan=2678400&statuses[]=offline&statuses[]=dormant`);
    const availabilities = await getJson<{ serial: string; status: string }[]>(
      sim,
      `/organizations/${orgId}/devices/availabilities`,
    );
    now = new Map(availabilities.map((a) => [a.serial, a.status]));
    const statuses = await getJson<{ serial: string; lastReportedAt: string }[]>(
      sim,
      `/organizations/${orgId}/devices/statuses`,
    );
    lastReportedAt = new Map(statuses.map((s) => [s.serial, Date.parse(s.lastReportedAt)]));
  });

  const outagesOf = (serial: string) => outages.filter((c) => c.device.serial === serial);

  it("changes each device from the status its change before left it in, to the one it has now", () => {
    const bySerial = new Map<string, Change[]>();
    for (const change of history)
      bySerial.set(change.device.serial, [...(bySerial.get(change.device.serial) ?? []), change]);
    expect(bySerial.size).toBeGreaterThan(0);
    for (const [serial, own] of bySerial) {
      for (const [i, change] of own.entries()) {
        expect(status(change, "old"), serial).not.toBe(status(change, "new"));
        if (i > 0) expect(status(change, "old"), serial).toBe(status(own[i - 1]!, "new"));
      }
      expect(status(own.at(-1)!, "new"), serial).toBe(now.get(serial));
    }
  });

  it("has every offline device change to offline a few minutes after its last report, and never back", () => {
    const offline = [...now].filter(([, s]) => s === "offline").map(([serial]) => serial);
    expect(offline.length).toBeGreaterThan(0);
    for (const serial of offline) {
      const own = outagesOf(serial);
      const later = history.filter((c) => c.device.serial === serial && c.ts > own[0]!.ts);
      expect(later, serial).toEqual([]);
      expect(
        own.map((c) => [status(c, "old"), status(c, "new")]),
        serial,
      ).toEqual([["online", "offline"]]);
      const after = Date.parse(own[0]!.ts) - lastReportedAt.get(serial)!;
      expect(after, serial).toBeGreaterThan(0);
      expect(after, serial).toBeLessThanOrEqual(5 * MINUTE);
    }
  });

  it("has every dormant device turn dormant no sooner than a week after its last report", () => {
    const dormant = [...now].filter(([, s]) => s === "dormant").map(([serial]) => serial);
    expect(dormant.length).toBeGreaterThan(0);
    for (const serial of dormant) {
      for (const change of outagesOf(serial).filter((c) => status(c, "new") === "dormant")) {
        expect(Date.parse(change.ts) - lastReportedAt.get(serial)!, serial).toBeGreaterThanOrEqual(7 * DAY);
      }
    }
  });
});
