// getOrganizationAssuranceAlerts: the spec's shape, Link paging at its perPage limits, the
// active/resolved selection and the filters, and alerts that tell the availability's story: one
// open alert per device that is not online, resolved when the device is online again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, NOW, walkPages } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const PATH = "/organizations/{organizationId}/assurance/alerts";
const MINUTE = 60_000;

interface Alert {
  id: string;
  categoryType: string;
  network: { name: string; id: string; url: string };
  startedAt: string;
  resolvedAt: string | null;
  dismissedAt: string | null;
  deviceType: string;
  type: string;
  title: string;
  description: string;
  severity: string;
  scope: { devices: { serial: string; name: string; productType: string; lldp?: { port: string } }[] };
}

interface Change {
  ts: string;
  device: { serial: string };
  details: { old: { value: string }[]; new: { value: string }[] };
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
  url = `/organizations/${orgId}/assurance/alerts`;
});
afterAll(() => sim.stop());

const iso = (ms: number) => new Date(ms).toISOString();
const alerts = async (query = "") => (await walkPages<Alert>(sim, `${url}?perPage=300${query}`)).items;
const resolvedSince = (ms: number) =>
  alerts(`&active=false&resolved=true&tsStart=${iso(ms)}&tsEnd=${iso(NOW.getTime())}`);

describe("GET /organizations/{organizationId}/assurance/alerts", () => {
  it("has exactly the shape of the spec's 200 schema (imei for devices with a modem, lldp for port alerts)", async () => {
    const validate = strictValidator(responseSchema(PATH), ["imei", "lldp"]);
    const body = [...(await alerts()), ...(await resolvedSince(NOW.getTime() - 60 * MINUTE))];
    expect(body.length).toBeGreaterThan(0);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("answers the open alerts by default, in startedAt order", async () => {
    const body = await alerts();
    expect(body.length).toBeGreaterThan(0);
    expect(body.every((a) => a.resolvedAt === null && a.dismissedAt === null)).toBe(true);
    expect(body.map((a) => a.startedAt)).toEqual(body.map((a) => a.startedAt).sort());
  });

  it("pages with Link at the smallest and the largest perPage, 30 a page by default", async () => {
    const all = await alerts("&resolved=true");
    const smallest = await walkPages<Alert>(sim, `${url}?resolved=true&perPage=4`);
    expect(smallest.items).toEqual(all);
    expect(smallest.pages).toBe(Math.ceil(all.length / 4));
    expect(all.length).toBeGreaterThan(30);
    expect(await getJson<Alert[]>(sim, `${url}?resolved=true`)).toEqual(all.slice(0, 30));
    expect((await get(sim, `${url}?perPage=3`)).status).toBe(400);
    expect((await get(sim, `${url}?perPage=301`)).status).toBe(400);
  });

  it("answers the resolved ones only with active=false and resolved=true, none with both false", async () => {
    const resolved = await alerts("&active=false&resolved=true");
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.every((a) => a.resolvedAt !== null && Date.parse(a.resolvedAt) <= NOW.getTime())).toBe(
      true,
    );
    expect(await alerts("&active=false")).toEqual([]);
  });

  it("keeps with tsStart/tsEnd the alerts whose lifetime overlaps the range", async () => {
    const start = NOW.getTime() - 30 * MINUTE;
    const end = NOW.getTime() - 15 * MINUTE;
    const all = await alerts("&resolved=true");
    const overlapping = all.filter(
      (a) => Date.parse(a.startedAt) < end && (a.resolvedAt === null || Date.parse(a.resolvedAt) >= start),
    );
    expect(overlapping.length).toBeLessThan(all.length);
    expect(await alerts(`&resolved=true&tsStart=${iso(start)}&tsEnd=${iso(end)}`)).toEqual(overlapping);
  });

  it("filters by network, severity, category, type, serial and device type", async () => {
    const all = await alerts("&resolved=true");
    const some = all.find((a) => a.severity === "critical") ?? all[0]!;
    const cases: [string, (a: Alert) => boolean][] = [
      [`networkId=${some.network.id}`, (a) => a.network.id === some.network.id],
      [`severity=${some.severity}`, (a) => a.severity === some.severity],
      [`category=${some.categoryType}`, (a) => a.categoryType === some.categoryType],
      [`types[]=${some.type}`, (a) => a.type === some.type],
      [
        `serials[]=${some.scope.devices[0]!.serial}`,
        (a) => a.scope.devices[0]!.serial === some.scope.devices[0]!.serial,
      ],
      [`deviceTypes[]=${some.deviceType}`, (a) => a.deviceType === some.deviceType],
    ];
    for (const [query, keep] of cases) {
      const expected = all.filter(keep);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(await alerts(`&resolved=true&${query}`), query).toEqual(expected);
    }
  });

  it("refuses values outside the spec's vocabularies and booleans that are not true or false", async () => {
    for (const query of [
      "category=weather",
      "deviceTypes[]=XY",
      "active=yes",
      "sortOrder=up",
      "sortBy=name",
    ]) {
      expect((await get(sim, `${url}?${query}`)).status, query).toBe(400);
    }
  });
});

describe("the alerts tell the availability's story", () => {
  let open: Alert[];
  let status: Map<string, string>;

  beforeAll(async () => {
    open = await alerts();
    const availabilities = await getJson<{ serial: string; status: string }[]>(
      sim,
      `/organizations/${orgId}/devices/availabilities`,
    );
    status = new Map(availabilities.map((a) => [a.serial, a.status]));
  });

  it("has one open alert for each device that is not online, and none for the online ones", () => {
    const alerted = open.map((a) => a.scope.devices[0]!.serial).sort();
    const notOnline = [...status].filter(([, s]) => s !== "online").map(([serial]) => serial);
    expect(alerted).toEqual(notOnline.sort());
  });

  it("raises an unreachable connectivity alert from the moment a device was marked offline", async () => {
    const changes = await walkPages<Change>(
      sim,
      `/organizations/${orgId}/devices/availabilities/changeHistory?timespan=2678400&statuses[]=offline`,
    );
    const offlineSince = new Map(changes.items.map((c) => [c.device.serial, c.ts]));
    const unreachable = open.filter((a) => status.get(a.scope.devices[0]!.serial) === "offline");
    expect(unreachable.length).toBeGreaterThan(0);
    for (const alert of unreachable) {
      const serial = alert.scope.devices[0]!.serial;
      expect(alert).toMatchObject({ type: "unreachable", categoryType: "connectivity" });
      expect(alert.startedAt).toBe(`${offlineSince.get(serial)!.slice(0, 19)}Z`);
    }
  });

  it("rates an unreachable appliance or switch critical, an unreachable camera or access point a warning", () => {
    for (const alert of open.filter((a) => a.type === "unreachable")) {
      const productType = alert.scope.devices[0]!.productType;
      if (productType === "appliance" || productType === "switch") expect(alert.severity).toBe("critical");
      if (productType === "camera" || productType === "wireless") expect(alert.severity).toBe("warning");
    }
  });

  it("resolves an alerting device's alert when it is online again, at that change", async () => {
    const since = NOW.getTime() - 60 * MINUTE;
    const resolved = await resolvedSince(since);
    const changes = await walkPages<Change>(
      sim,
      `/organizations/${orgId}/devices/availabilities/changeHistory?t0=${iso(since)}&t1=${iso(NOW.getTime())}&statuses[]=online`,
    );
    const backOnline = changes.items.map((c) => `${c.device.serial}|${c.ts.slice(0, 19)}Z`).sort();
    const resolutions = resolved
      .filter((a) => Date.parse(a.resolvedAt!) >= since)
      .map((a) => `${a.scope.devices[0]!.serial}|${a.resolvedAt}`)
      .sort();
    expect(resolutions.length).toBeGreaterThan(0);
    expect(resolutions).toEqual(backOnline);
  });

  it("gives an alert the same id while open and once resolved", async () => {
    const resolved = await alerts("&active=false&resolved=true");
    const earlier = sim.dataset.options;
    const before = await startMerakiSimulator({
      ...earlier,
      rateLimitPerSecond: 10_000,
      now: () => new Date(Date.parse(resolved[0]!.resolvedAt!) - 1000),
    });
    try {
      // The same dataset one second before the resolution: the alert is open, under the same id.
      const then = (await walkPages<Alert>(before, `${url}?perPage=300`)).items;
      expect(then.find((a) => a.id === resolved[0]!.id)).toMatchObject({
        resolvedAt: null,
        startedAt: resolved[0]!.startedAt,
      });
    } finally {
      await before.stop();
    }
  });
});
