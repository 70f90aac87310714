import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson } from "./helpers.js";

interface Sample {
  ts: string;
  lossPercent: number;
  latencyMs: number;
}
interface UplinkRow {
  networkId: string;
  serial: string | null;
  uplink: string;
  ip: string;
  timeSeries: Sample[];
}

// The API clock is frozen at 2026-11-22T10:00:00Z, so the newest allowed t1 is 09:58:00Z.
describe("GET /organizations/{id}/devices/uplinksLossAndLatency", () => {
  let sim: RunningSimulator;
  let path: string;

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      organizations: 1,
      networksPerOrg: 5,
      devicesPerOrg: 12,
      rateLimitPerSecond: 10_000,
      now: fixedClock,
    });
    path = `/organizations/${sim.dataset.organizations[0]!.id}/devices/uplinksLossAndLatency`;
  });
  afterAll(() => sim.stop());

  const expectBadRequest = async (query: string, message: string): Promise<void> => {
    const response = await get(sim, `${path}?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [message] });
  };
  const timestamps = (rows: UplinkRow[]): string[] => rows[0]!.timeSeries.map((s) => s.ts);

  it("lists one row per MX, uplink (wan1, wan2) and probe ip 8.8.8.8", async () => {
    const rows = await getJson<UplinkRow[]>(sim, path);
    const appliances = sim.dataset.devices.filter((d) => d.productType === "appliance");
    const byNetworkOrder = sim.dataset.networks.map((n) => appliances.find((d) => d.networkId === n.id)!);
    expect(rows.map((r) => [r.networkId, r.serial, r.uplink, r.ip])).toEqual(
      byNetworkOrder.flatMap((d) => [
        [d.networkId, d.serial, "wan1", "8.8.8.8"],
        [d.networkId, d.serial, "wan2", "8.8.8.8"],
      ]),
    );
  });

  it("defaults to the 5 minutes ending 2 minutes ago, one sample per minute", async () => {
    const rows = await getJson<UplinkRow[]>(sim, path);
    expect(timestamps(rows)).toEqual([
      "2026-11-22T09:53:00Z",
      "2026-11-22T09:54:00Z",
      "2026-11-22T09:55:00Z",
      "2026-11-22T09:56:00Z",
      "2026-11-22T09:57:00Z",
    ]);
  });

  it("samples each whole minute inside [t0, t1)", async () => {
    const rows = await getJson<UplinkRow[]>(sim, `${path}?t0=2026-11-22T09:50:30Z&t1=2026-11-22T09:52:30Z`);
    expect(timestamps(rows)).toEqual(["2026-11-22T09:51:00Z", "2026-11-22T09:52:00Z"]);
  });

  it("accepts t0 and t1 as epoch seconds", async () => {
    const t0 = Date.parse("2026-11-22T09:50:00Z") / 1000;
    const rows = await getJson<UplinkRow[]>(sim, `${path}?t0=${t0}&t1=${t0 + 120}`);
    expect(timestamps(rows)).toEqual(["2026-11-22T09:50:00Z", "2026-11-22T09:51:00Z"]);
  });

  it("ends a timespan window 2 minutes ago", async () => {
    const rows = await getJson<UplinkRow[]>(sim, `${path}?timespan=120`);
    expect(timestamps(rows)).toEqual(["2026-11-22T09:56:00Z", "2026-11-22T09:57:00Z"]);
  });

  it("gives adjacent windows disjoint samples that agree with an overlapping window", async () => {
    const a = await getJson<UplinkRow[]>(sim, `${path}?t0=2026-11-22T09:45:00Z&t1=2026-11-22T09:50:00Z`);
    const b = await getJson<UplinkRow[]>(sim, `${path}?t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:55:00Z`);
    const overlap = await getJson<UplinkRow[]>(
      sim,
      `${path}?t0=2026-11-22T09:47:00Z&t1=2026-11-22T09:52:00Z`,
    );
    const tiled = [...a[0]!.timeSeries, ...b[0]!.timeSeries];
    expect(new Set(tiled.map((s) => s.ts)).size).toBe(10);
    expect(overlap[0]!.timeSeries).toEqual(tiled.slice(2, 7));
  });

  it("reports plausible loss and latency", async () => {
    const rows = await getJson<UplinkRow[]>(sim, path);
    for (const sample of rows.flatMap((r) => r.timeSeries)) {
      expect(sample.lossPercent).toBeGreaterThanOrEqual(0);
      expect(sample.lossPercent).toBeLessThanOrEqual(100);
      expect(sample.latencyMs).toBeGreaterThan(0);
      expect(sample.latencyMs).toBeLessThan(200);
    }
  });

  it("accepts t1 exactly 2 minutes ago", async () => {
    expect((await get(sim, `${path}?t0=2026-11-22T09:53:00Z&t1=2026-11-22T09:58:00Z`)).status).toBe(200);
  });

  it("rejects t1 less than 2 minutes ago", async () => {
    await expectBadRequest(
      "t0=2026-11-22T09:54:00Z&t1=2026-11-22T09:58:01Z",
      "'t1' must be at least 2 minutes in the past",
    );
  });

  it("rejects t1 more than 5 minutes after t0", async () => {
    await expectBadRequest(
      "t0=2026-11-22T09:40:00Z&t1=2026-11-22T09:45:01Z",
      "'t1' can be a maximum of 5 minutes after 't0'",
    );
  });

  it("rejects t1 before t0", async () => {
    await expectBadRequest(
      "t0=2026-11-22T09:45:00Z&t1=2026-11-22T09:44:00Z",
      "'t0' must be before 't1' and 't1' at least 2 minutes ago",
    );
  });

  it("rejects t0 more than 60 days ago", async () => {
    await expectBadRequest("t0=2026-09-01T00:00:00Z", "'t0' can be at most 60 days in the past");
  });

  it("rejects a timespan above 300 seconds", async () => {
    await expectBadRequest("timespan=301", "'timespan' must be greater than 0 and at most 300 seconds");
  });

  it("rejects timespan together with t0", async () => {
    await expectBadRequest(
      "timespan=60&t0=2026-11-22T09:50:00Z",
      "Specify either 'timespan' or 't0'/'t1', not both",
    );
  });

  it("rejects an unparseable t0", async () => {
    await expectBadRequest("t0=yesterday", "'t0' must be an ISO 8601 timestamp or epoch seconds");
  });

  it("filters by uplink", async () => {
    const rows = await getJson<UplinkRow[]>(sim, `${path}?uplink=wan2`);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.uplink === "wan2")).toBe(true);
  });

  it("returns no rows for a documented uplink no MX has", async () => {
    expect(await getJson<UplinkRow[]>(sim, `${path}?uplink=cellular`)).toEqual([]);
  });

  it("rejects an undocumented uplink", async () => {
    await expectBadRequest("uplink=wan9", "'uplink' must be one of: cellular, wan1, wan2, wan3");
  });

  it("filters by probe ip", async () => {
    expect(await getJson<UplinkRow[]>(sim, `${path}?ip=8.8.8.8`)).toHaveLength(10);
    expect(await getJson<UplinkRow[]>(sim, `${path}?ip=1.1.1.1`)).toEqual([]);
  });
});
