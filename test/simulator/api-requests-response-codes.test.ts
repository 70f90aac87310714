import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, NOW } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const TEMPLATE = "/organizations/{organizationId}/apiRequests/overview/responseCodes/byInterval";

interface IntervalRow {
  startTs: string;
  endTs: string;
  counts: { code: number; count: number }[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

describe("GET /organizations/{organizationId}/apiRequests/overview/responseCodes/byInterval", () => {
  let sim: RunningSimulator;
  let orgA: string;
  let orgB: string;
  let path: string;
  /** The last 10 minutes of the API clock in 2-minute intervals. */
  let lastTenMinutes: string;

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      seed: 3,
      organizations: 2,
      now: fixedClock,
      rateLimitPerSecond: 10_000,
    });
    orgA = sim.dataset.organizations[0]!.id;
    orgB = sim.dataset.organizations[1]!.id;
    path = `/organizations/${orgA}/apiRequests/overview/responseCodes/byInterval`;
    lastTenMinutes = `${path}?t0=${iso(NOW.getTime() - 600_000)}&t1=${iso(NOW.getTime())}&interval=120`;
  });
  beforeEach(() => sim.resetLog());
  afterAll(() => sim.stop());

  it("has exactly the shape of the spec's 200 schema", async () => {
    await get(sim, `/organizations/${orgA}/networks`);
    const validate = strictValidator(responseSchema(TEMPLATE));
    const body = await getJson<IntervalRow[]>(sim, lastTenMinutes);
    expect(body.flatMap((row) => row.counts)).toHaveLength(1);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("counts the organisation's own requests by status code, 429s included, in the interval they were answered", async () => {
    for (let i = 0; i < 3; i++) await get(sim, `/organizations/${orgA}/devices`);
    for (let i = 0; i < 2; i++) await get(sim, `/organizations/${orgA}/devices?perPage=1`);
    sim.setFaults({ rateLimitStorm: { count: 4, organizationId: orgA } });
    for (let i = 0; i < 4; i++) await get(sim, `/organizations/${orgA}/networks`);
    sim.setFaults({});
    await get(sim, `/organizations/${orgB}/devices`);
    const body = await getJson<IntervalRow[]>(sim, lastTenMinutes);
    expect(body.at(-1)!.counts).toEqual([
      { code: 200, count: 3 },
      { code: 400, count: 2 },
      { code: 429, count: 4 },
    ]);
    expect(body.slice(0, -1).flatMap((row) => row.counts)).toEqual([]);
  });

  it("splits t0..t1 into intervals from t0, the last one ending at t1", async () => {
    const t0 = NOW.getTime() - 900_000;
    const body = await getJson<IntervalRow[]>(
      sim,
      `${path}?t0=${iso(t0)}&t1=${iso(NOW.getTime())}&interval=120`,
    );
    expect(body.map((row) => [row.startTs, row.endTs])).toEqual([
      ...Array.from({ length: 7 }, (_, k) => [iso(t0 + k * 120_000), iso(t0 + (k + 1) * 120_000)]),
      [iso(t0 + 840_000), iso(NOW.getTime())],
    ]);
  });

  it("defaults to the last 31 days in 6-hour intervals", async () => {
    const body = await getJson<IntervalRow[]>(sim, path);
    expect(body).toHaveLength(124);
    expect(body[0]!.startTs).toBe(iso(NOW.getTime() - 31 * 86_400_000));
    expect(body.at(-1)!.endTs).toBe(iso(NOW.getTime()));
  });

  it("accepts only the spec's intervals: 120, 3600, 14400, 21600", async () => {
    for (const interval of [120, 3600, 14400, 21600]) {
      expect((await get(sim, `${path}?timespan=86400&interval=${interval}`)).status).toBe(200);
    }
    expect((await get(sim, `${path}?interval=300`)).status).toBe(400);
  });

  it("refuses t0 over 31 days ago, t1 before t0, and timespan together with t0", async () => {
    const day = 86_400_000;
    const statuses = await Promise.all(
      [
        `${path}?t0=${iso(NOW.getTime() - 32 * day)}`,
        `${path}?t0=${iso(NOW.getTime() - day)}&t1=${iso(NOW.getTime() - 2 * day)}`,
        `${path}?t0=${iso(NOW.getTime() - day)}&timespan=3600`,
        `${path}?timespan=2678401`,
      ].map(async (url) => (await get(sim, url)).status),
    );
    expect(statuses).toEqual([400, 400, 400, 400]);
  });

  it("counts nothing for version 0, since every simulated operation is a v1 one", async () => {
    await get(sim, `/organizations/${orgA}/devices`);
    const body = await getJson<IntervalRow[]>(sim, `${lastTenMinutes}&version=0`);
    expect(body.flatMap((row) => row.counts)).toEqual([]);
  });
});
