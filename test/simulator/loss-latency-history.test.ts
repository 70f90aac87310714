import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, SUITE_USER_AGENT } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const PATH = "/devices/{serial}/lossAndLatencyHistory";

interface HistoryItem {
  startTime: string;
  endTime: string;
  lossPercent: number;
  latencyMs: number;
  goodput: number;
  jitter: number;
}
interface UplinkRow {
  serial: string | null;
  uplink: string;
  ip: string;
  timeSeries: { ts: string; lossPercent: number; latencyMs: number }[];
}

// The API clock is frozen at 2026-11-22T10:00:00Z; data is at least 2 minutes old (09:58:00Z).
describe("GET /devices/{serial}/lossAndLatencyHistory", () => {
  let sim: RunningSimulator;
  let mx: { serial: string; organizationId: string };
  let path: string;

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      seed: 5,
      organizations: 1,
      networksPerOrg: 4,
      devicesPerOrg: 20,
      rateLimitPerSecond: 10_000,
      now: fixedClock,
    });
    mx = sim.dataset.devices.find((d) => d.productType === "appliance")!;
    path = `/devices/${mx.serial}/lossAndLatencyHistory`;
  });
  beforeEach(() => sim.resetLog());
  afterAll(() => sim.stop());

  const window = "t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:55:00Z";
  const expectBadRequest = async (query: string, message: string): Promise<void> => {
    const response = await get(sim, `${path}?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [message] });
  };

  it("answers exactly the spec's 200 schema", async () => {
    const body = await getJson<unknown[]>(sim, `${path}?uplink=wan1&ip=8.8.8.8&${window}`);
    expect(body).toHaveLength(5);
    const validate = strictValidator(responseSchema(PATH));
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("reports each minute exactly as uplinksLossAndLatency does for the same device, uplink and ip", async () => {
    const rows = await getJson<UplinkRow[]>(
      sim,
      `/organizations/${mx.organizationId}/devices/uplinksLossAndLatency?${window}`,
    );
    for (const uplink of ["wan1", "wan2"]) {
      const row = rows.find((r) => r.serial === mx.serial && r.uplink === uplink && r.ip === "8.8.8.8")!;
      const history = await getJson<HistoryItem[]>(sim, `${path}?uplink=${uplink}&ip=8.8.8.8&${window}`);
      expect(row.timeSeries).toHaveLength(5);
      expect(
        history.map((h) => ({ ts: h.startTime, lossPercent: h.lossPercent, latencyMs: h.latencyMs })),
      ).toEqual(row.timeSeries);
    }
  });

  it("sends one-minute buckets with endTime one minute after startTime", async () => {
    const body = await getJson<HistoryItem[]>(sim, `${path}?uplink=wan1&ip=8.8.8.8&${window}`);
    expect(body.map((h) => [h.startTime, h.endTime])).toEqual([
      ["2026-11-22T09:50:00Z", "2026-11-22T09:51:00Z"],
      ["2026-11-22T09:51:00Z", "2026-11-22T09:52:00Z"],
      ["2026-11-22T09:52:00Z", "2026-11-22T09:53:00Z"],
      ["2026-11-22T09:53:00Z", "2026-11-22T09:54:00Z"],
      ["2026-11-22T09:54:00Z", "2026-11-22T09:55:00Z"],
    ]);
    for (const h of body) {
      expect(h.goodput).toBeGreaterThan(0);
      expect(Number.isInteger(h.goodput)).toBe(true);
      expect(h.jitter).toBeGreaterThan(0);
    }
  });

  it("averages the minutes of a coarser resolution", async () => {
    const query = "uplink=wan2&ip=8.8.8.8&t0=2026-11-22T09:00:00Z&t1=2026-11-22T09:20:00Z";
    const minutes = await getJson<HistoryItem[]>(sim, `${path}?${query}`);
    const buckets = await getJson<HistoryItem[]>(sim, `${path}?${query}&resolution=600`);
    expect(buckets.map((b) => [b.startTime, b.endTime])).toEqual([
      ["2026-11-22T09:00:00Z", "2026-11-22T09:10:00Z"],
      ["2026-11-22T09:10:00Z", "2026-11-22T09:20:00Z"],
    ]);
    const first = minutes.slice(0, 10);
    const mean = first.reduce((sum, m) => sum + m.latencyMs, 0) / 10;
    expect(buckets[0]!.latencyMs).toBeCloseTo(mean, 2);
  });

  it("defaults to one day ending now, with no minute newer than the 2-minute data delay", async () => {
    const body = await getJson<HistoryItem[]>(sim, `${path}?ip=8.8.8.8`);
    expect(body).toHaveLength(1440 - 2);
    expect(body[0]!.startTime).toBe("2026-11-21T10:00:00Z");
    expect(body.at(-1)!.startTime).toBe("2026-11-22T09:57:00Z");
  });

  it("defaults the uplink to wan1 (spec) and honours timespan", async () => {
    const implicit = await getJson<HistoryItem[]>(sim, `${path}?ip=8.8.8.8&timespan=600`);
    const explicit = await getJson<HistoryItem[]>(sim, `${path}?ip=8.8.8.8&uplink=wan1&timespan=600`);
    expect(implicit).toEqual(explicit);
    expect(implicit.map((h) => h.startTime)).toEqual(
      Array.from({ length: 8 }, (_, i) => `2026-11-22T09:${String(50 + i).padStart(2, "0")}:00Z`),
    );
  });

  it("answers an empty list for an uplink or destination the device does not probe", async () => {
    expect(await getJson(sim, `${path}?uplink=cellular&ip=8.8.8.8&${window}`)).toEqual([]);
    expect(await getJson(sim, `${path}?uplink=wan4&ip=8.8.8.8&${window}`)).toEqual([]);
    expect(await getJson(sim, `${path}?uplink=wan1&ip=1.1.1.1&${window}`)).toEqual([]);
  });

  it("requires ip", async () => {
    await expectBadRequest(`uplink=wan1&${window}`, "'ip' is required");
  });

  it("rejects an undocumented uplink or resolution", async () => {
    await expectBadRequest(
      "uplink=wan9&ip=8.8.8.8",
      "'uplink' must be one of: cellular, wan1, wan2, wan3, wan4",
    );
    await expectBadRequest("ip=8.8.8.8&resolution=120", "'resolution' must be one of: 60, 600, 3600, 86400");
  });

  it("rejects invalid windows", async () => {
    await expectBadRequest(
      "ip=8.8.8.8&timespan=2678401",
      "'timespan' must be greater than 0 and at most 2678400 seconds",
    );
    await expectBadRequest(
      `ip=8.8.8.8&timespan=60&${window}`,
      "Specify either 'timespan' or 't0'/'t1', not both",
    );
    await expectBadRequest(
      "ip=8.8.8.8&t0=2026-11-22T09:50:00Z&t1=2026-11-22T09:40:00Z",
      "'t0' must be before 't1'",
    );
    await expectBadRequest("ip=8.8.8.8&t0=2026-09-01T00:00:00Z", "'t0' can be at most 60 days in the past");
    await expectBadRequest(
      "ip=8.8.8.8&t0=2026-10-01T00:00:00Z&t1=2026-11-02T00:00:00Z",
      "'t1' can be a maximum of 31 days after 't0'",
    );
  });

  it("answers 400 for a device that is not an appliance", async () => {
    const ap = sim.dataset.devices.find((d) => d.productType !== "appliance")!;
    const response = await get(sim, `/devices/${ap.serial}/lossAndLatencyHistory?ip=8.8.8.8`);
    expect(response.status).toBe(400);
  });

  it("answers 404 for an unknown serial", async () => {
    const response = await get(sim, "/devices/QZZZ-ZZZZ-ZZZZ/lossAndLatencyHistory?uplink=wan1&ip=8.8.8.8");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: ["Not found"] });
  });

  it("is logged against the device's organisation", async () => {
    await get(sim, `${path}?uplink=wan1&ip=8.8.8.8`);
    expect(sim.requests).toEqual([
      {
        method: "GET",
        path,
        query: { uplink: "wan1", ip: "8.8.8.8" },
        status: 200,
        organizationId: mx.organizationId,
        userAgent: SUITE_USER_AGENT,
        at: expect.any(Number),
        receivedAt: expect.any(Number),
      },
    ]);
  });
});

describe("GET /devices/{serial}/lossAndLatencyHistory rate limit", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startMerakiSimulator({ organizations: 2, rateLimitPerSecond: 2, now: fixedClock });
  });
  afterAll(() => sim.stop());

  it("counts against the device's organisation and not another's", async () => {
    const [orgA, orgB] = sim.dataset.organizations;
    const mx = sim.dataset.devices.find(
      (d) => d.organizationId === orgA!.id && d.productType === "appliance",
    )!;
    const path = `/devices/${mx.serial}/lossAndLatencyHistory?uplink=wan1&ip=8.8.8.8&timespan=300`;
    const responses = await Promise.all(Array.from({ length: 4 }, () => get(sim, path)));
    expect(responses.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    expect((await get(sim, `/organizations/${orgA!.id}/devices`)).status).toBe(429);
    expect((await get(sim, `/organizations/${orgB!.id}/devices`)).status).toBe(200);
  });
});
