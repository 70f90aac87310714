// GET /organizations/{id}/appliance/uplink/statuses: the spec's shape, paging at its perPage
// limits, its filters, and agreement with the rest of the dataset (the MXs and uplink names of
// uplinksLossAndLatency, the device statuses).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningSimulator,
  type SimDevice,
  startMerakiSimulator,
} from "../../infra/local/meraki-simulator/index.js";
import { get, getJson, walkPages } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

interface Uplink {
  interface: string;
  status: string;
  ip: string;
  publicIp: string;
}
interface DeviceStatusRow {
  serial: string;
  status: string;
  lastReportedAt: string;
  lanIp: string;
  publicIp: string;
}
interface UplinkStatusRow {
  networkId: string;
  serial: string;
  model: string;
  lastReportedAt: string;
  highAvailability: { enabled: boolean; role: string };
  uplinks: Uplink[];
}

const TEMPLATE = "/organizations/{organizationId}/appliance/uplink/statuses";
// Inside a 5-minute slot, where some devices flicker between online and alerting (availability.ts).
const clock = () => new Date("2026-11-22T10:02:30.000Z");

describe("GET /organizations/{id}/appliance/uplink/statuses", () => {
  let sim: RunningSimulator;
  let path: string;
  let appliances: SimDevice[];
  let rows: UplinkStatusRow[];
  let deviceStatuses: DeviceStatusRow[];

  beforeAll(async () => {
    // Every device an MX, 400 of them: online, alerting and offline ones all occur.
    sim = await startMerakiSimulator({
      seed: 11,
      organizations: 1,
      networksPerOrg: 400,
      devicesPerOrg: 400,
      clientsPerNetwork: 0,
      rateLimitPerSecond: 10_000,
      now: clock,
    });
    path = `/organizations/${sim.dataset.organizations[0]!.id}/appliance/uplink/statuses`;
    appliances = sim.dataset.devices.filter((d) => d.productType === "appliance");
    rows = await getJson<UplinkStatusRow[]>(sim, path);
    deviceStatuses = await getJson<DeviceStatusRow[]>(
      sim,
      `/organizations/${sim.dataset.organizations[0]!.id}/devices/statuses?productTypes[]=appliance`,
    );
  });
  afterAll(() => sim.stop());

  const statusesOf = (serial: string) =>
    rows.find((row) => row.serial === serial)!.uplinks.map((u) => u.status);
  /** The MXs the device statuses report with this status. */
  const serialsWith = (status: string) =>
    deviceStatuses.filter((d) => d.status === status).map((d) => d.serial);

  it("has exactly the shape of the spec's 200 schema", () => {
    const validate = strictValidator(responseSchema(TEMPLATE));
    expect(validate(rows), describeErrors(validate)).toBe(true);
  });

  it("lists every MX of the organisation once, by serial, and nothing else", () => {
    expect(rows.map((row) => row.serial)).toEqual(appliances.map((d) => d.serial));
    expect(rows.map((row) => [row.networkId, row.model])).toEqual(
      appliances.map((d) => [d.networkId, d.model]),
    );
  });

  it("reports the uplinks uplinksLossAndLatency reports for each MX", async () => {
    const lossRows = await getJson<{ serial: string; uplink: string }[]>(
      sim,
      `/organizations/${sim.dataset.organizations[0]!.id}/devices/uplinksLossAndLatency`,
    );
    for (const row of rows) {
      const probed = lossRows.filter((r) => r.serial === row.serial).map((r) => r.uplink);
      expect(row.uplinks.map((u) => u.interface)).toEqual(probed);
    }
  });

  it("reports the same lastReportedAt and wan1 addresses as the device statuses", () => {
    for (const status of deviceStatuses) {
      const row = rows.find((r) => r.serial === status.serial)!;
      expect(row.lastReportedAt).toBe(status.lastReportedAt);
      expect(row.uplinks[0]).toMatchObject({
        interface: "wan1",
        ip: status.lanIp,
        publicIp: status.publicIp,
      });
    }
  });

  it("gives every online MX an active wan1 and a working wan2 (active or ready)", () => {
    expect(serialsWith("online").length).toBeGreaterThan(0);
    for (const serial of serialsWith("online")) {
      const [wan1, wan2] = statusesOf(serial);
      expect(wan1).toBe("active");
      expect(["active", "ready"]).toContain(wan2);
    }
  });

  it("gives every alerting MX one failed uplink and the other active", () => {
    expect(serialsWith("alerting").length).toBeGreaterThan(0);
    for (const serial of serialsWith("alerting")) {
      expect([...statusesOf(serial)].sort()).toEqual(["active", "failed"]);
    }
  });

  it("gives no offline MX an active or ready uplink", () => {
    expect(serialsWith("offline").length).toBeGreaterThan(0);
    for (const serial of serialsWith("offline")) {
      for (const status of statusesOf(serial)) expect(["failed", "connecting"]).toContain(status);
    }
  });

  it("reports a primary without high availability for every MX (one per network)", () => {
    for (const row of rows) expect(row.highAvailability).toEqual({ enabled: false, role: "primary" });
  });

  it("gives every uplink of the organisation its own public address", () => {
    const publicIps = rows.flatMap((row) => row.uplinks.map((u) => u.publicIp));
    expect(new Set(publicIps).size).toBe(publicIps.length);
  });

  it("walks every MX once at the smallest perPage", async () => {
    const { items, pages } = await walkPages<UplinkStatusRow>(sim, `${path}?perPage=3`);
    expect(items.map((row) => row.serial)).toEqual(appliances.map((d) => d.serial));
    expect(pages).toBe(Math.ceil(appliances.length / 3));
  });

  it("accepts perPage 1000 and refuses 2 and 1001", async () => {
    expect((await get(sim, `${path}?perPage=1000`)).status).toBe(200);
    for (const perPage of [2, 1001]) {
      const response = await get(sim, `${path}?perPage=${perPage}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: ["'perPage' must be an integer between 3 and 1000"] });
    }
  });

  it("filters by networkIds and serials", async () => {
    const [a, b, c] = appliances;
    const byNetwork = await getJson<UplinkStatusRow[]>(
      sim,
      `${path}?networkIds[]=${a!.networkId}&networkIds[]=${b!.networkId}`,
    );
    expect(byNetwork.map((row) => row.serial)).toEqual([a!.serial, b!.serial]);
    const bySerial = await getJson<UplinkStatusRow[]>(sim, `${path}?serials[]=${c!.serial}`);
    expect(bySerial.map((row) => row.serial)).toEqual([c!.serial]);
  });

  it("matches no MX by ICCID (none has a SIM)", async () => {
    expect(await getJson<UplinkStatusRow[]>(sim, `${path}?iccids[]=8901260000000000001`)).toEqual([]);
  });

  it("answers the same body for the same seed", async () => {
    const again = await startMerakiSimulator({
      seed: 11,
      organizations: 1,
      networksPerOrg: 400,
      devicesPerOrg: 400,
      clientsPerNetwork: 0,
      rateLimitPerSecond: 10_000,
      now: clock,
    });
    try {
      expect(await getJson(again, path)).toEqual(rows);
    } finally {
      await again.stop();
    }
  });
});

describe("GET /organizations/{id}/appliance/uplink/statuses while an MX flickers", () => {
  let sim: RunningSimulator;
  let nowMs = Date.parse("2026-11-22T10:00:00Z");

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      seed: 11,
      organizations: 1,
      networksPerOrg: 400,
      devicesPerOrg: 400,
      clientsPerNetwork: 0,
      rateLimitPerSecond: 10_000,
      now: () => new Date(nowMs),
    });
  });
  afterAll(() => sim.stop());

  it("follows the device status of the moment: failed uplink while alerting, none when online again", async () => {
    const orgPath = `/organizations/${sim.dataset.organizations[0]!.id}`;
    const statusNow = async () =>
      new Map(
        (await getJson<DeviceStatusRow[]>(sim, `${orgPath}/devices/statuses?productTypes[]=appliance`)).map(
          (d) => [d.serial, d.status],
        ),
      );
    // Some MX flickers in every 5-minute slot for 20 s or more: step through one in 10-second steps.
    let flickering: string | undefined;
    for (let step = 0; step < 30 && flickering === undefined; step++, nowMs += 10_000) {
      const statuses = await statusNow();
      flickering = sim.dataset.devices.find(
        (d) => d.status === "online" && statuses.get(d.serial) === "alerting",
      )?.serial;
    }
    nowMs -= 10_000;
    expect(flickering).toBeDefined();
    const uplinksOf = async () =>
      (
        await getJson<UplinkStatusRow[]>(sim, `${orgPath}/appliance/uplink/statuses?serials[]=${flickering}`)
      )[0]!.uplinks.map((u) => u.status);
    expect(await uplinksOf()).toContain("failed");
    nowMs += 5 * 60_000;
    expect((await statusNow()).get(flickering!)).toBe("online");
    expect(await uplinksOf()).not.toContain("failed");
  });
});
