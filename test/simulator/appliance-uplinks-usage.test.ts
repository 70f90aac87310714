// GET /organizations/{id}/appliance/uplinks/usage/byNetwork: the spec's shape, its t0/t1/timespan
// rules, windows that add up, and bytes that follow the uplink statuses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, NOW } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

interface UsageRow {
  networkId: string;
  name: string;
  byUplink: { serial: string; interface: string; sent: number; received: number }[];
}
interface UplinkStatusRow {
  serial: string;
  uplinks: { interface: string; status: string }[];
}

const TEMPLATE = "/organizations/{organizationId}/appliance/uplinks/usage/byNetwork";
// The API clock is frozen at 2026-11-22T10:00:00Z.
const WINDOW = "t0=2026-11-22T09:40:00Z&t1=2026-11-22T09:55:00Z";

describe("GET /organizations/{id}/appliance/uplinks/usage/byNetwork", () => {
  let sim: RunningSimulator;
  let orgId: string;
  let path: string;
  let rows: UsageRow[];
  let statuses: UplinkStatusRow[];

  beforeAll(async () => {
    // Every device an MX, 300 of them: online, alerting and offline ones all occur.
    sim = await startMerakiSimulator({
      seed: 9,
      organizations: 1,
      networksPerOrg: 300,
      devicesPerOrg: 300,
      clientsPerNetwork: 0,
      rateLimitPerSecond: 10_000,
      now: fixedClock,
    });
    orgId = sim.dataset.organizations[0]!.id;
    path = `/organizations/${orgId}/appliance/uplinks/usage/byNetwork`;
    rows = await getJson<UsageRow[]>(sim, `${path}?${WINDOW}`);
    statuses = await getJson<UplinkStatusRow[]>(sim, `/organizations/${orgId}/appliance/uplink/statuses`);
  });
  afterAll(() => sim.stop());

  const usageOf = (serial: string, uplink: string) =>
    rows.flatMap((row) => row.byUplink).find((u) => u.serial === serial && u.interface === uplink)!;
  const total = (body: UsageRow[]) =>
    body.flatMap((row) =>
      row.byUplink.map((u) => [`${u.serial}|${u.interface}`, u.sent, u.received] as const),
    );
  const expectBadRequest = async (query: string, message: string): Promise<void> => {
    const response = await get(sim, `${path}?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [message] });
  };

  it("has exactly the shape of the spec's 200 schema", () => {
    const validate = strictValidator(responseSchema(TEMPLATE));
    expect(validate(rows), describeErrors(validate)).toBe(true);
  });

  it("lists every network with an MX, in network order, with each uplink of its MX", () => {
    expect(rows.map((row) => [row.networkId, row.name])).toEqual(
      sim.dataset.networks.map((n) => [n.id, n.name]),
    );
    for (const status of statuses) {
      const row = rows.find((r) => r.byUplink[0]!.serial === status.serial)!;
      expect(row.byUplink.map((u) => u.interface)).toEqual(status.uplinks.map((u) => u.interface));
    }
  });

  it("counts nothing on a failed or connecting uplink of an MX that is up", () => {
    const down = statuses.flatMap((s) =>
      s.uplinks.filter((u) => u.status === "failed" || u.status === "connecting").map((u) => ({ s, u })),
    );
    const ofUpAppliances = down.filter(
      ({ s }) => sim.dataset.devices.find((d) => d.serial === s.serial)!.status !== "offline",
    );
    expect(ofUpAppliances.length).toBeGreaterThan(0);
    for (const { s, u } of ofUpAppliances)
      expect(usageOf(s.serial, u.interface)).toMatchObject({ sent: 0, received: 0 });
  });

  it("counts only probe traffic (under 4 kB a minute each way) on a ready standby", () => {
    const ready = statuses.flatMap((s) =>
      s.uplinks.filter((u) => u.status === "ready").map((u) => ({ s, u })),
    );
    expect(ready.length).toBeGreaterThan(0);
    for (const { s, u } of ready) {
      const usage = usageOf(s.serial, u.interface);
      expect(usage.sent).toBeGreaterThanOrEqual(15 * 2_000);
      expect(usage.sent).toBeLessThanOrEqual(15 * 4_000);
      expect(usage.received).toBeGreaterThanOrEqual(15 * 2_000);
      expect(usage.received).toBeLessThanOrEqual(15 * 4_000);
    }
  });

  it("carries the site's traffic (megabytes) on an active uplink, more received than sent", () => {
    const active = statuses.flatMap((s) =>
      s.uplinks.filter((u) => u.status === "active").map((u) => ({ s, u })),
    );
    const ofOnline = active.filter(
      ({ s }) => sim.dataset.devices.find((d) => d.serial === s.serial)!.status === "online",
    );
    for (const { s, u } of ofOnline) {
      const usage = usageOf(s.serial, u.interface);
      expect(usage.received).toBeGreaterThan(1_000_000);
      expect(usage.sent).toBeLessThan(usage.received);
    }
  });

  it("counts an offline MX's traffic only until it last reported", async () => {
    const offline = sim.dataset.devices.filter((d) => d.status === "offline");
    expect(offline.length).toBeGreaterThan(0);
    for (const device of offline) {
      const stoppedMs = NOW.getTime() - device.lastReportedSecondsAgo * 1000;
      const afterMs = Math.ceil(stoppedMs / 60_000) * 60_000;
      const untilMs = Math.min(afterMs + 30 * 60_000, NOW.getTime());
      const since = await getJson<UsageRow[]>(
        sim,
        `${path}?t0=${new Date(afterMs).toISOString()}&t1=${new Date(untilMs).toISOString()}`,
      );
      const row = since.find((r) => r.networkId === device.networkId)!;
      for (const usage of row.byUplink) expect(usage).toMatchObject({ sent: 0, received: 0 });
    }
  });

  it("adds up: two adjacent windows sum to the window covering both", async () => {
    const a = await getJson<UsageRow[]>(sim, `${path}?t0=2026-11-22T09:40:00Z&t1=2026-11-22T09:47:00Z`);
    const b = await getJson<UsageRow[]>(sim, `${path}?t0=2026-11-22T09:47:00Z&t1=2026-11-22T09:55:00Z`);
    const sums = total(a).map(([key, sent, received], i) => [
      key,
      sent + total(b)[i]![1],
      received + total(b)[i]![2],
    ]);
    expect(sums).toEqual(total(rows));
  });

  it("counts whole minutes inside [t0, t1): a window within one minute counts nothing", async () => {
    const body = await getJson<UsageRow[]>(sim, `${path}?t0=2026-11-22T09:40:10Z&t1=2026-11-22T09:40:50Z`);
    for (const [, sent, received] of total(body)) expect([sent, received]).toEqual([0, 0]);
  });

  it("accepts t0 and t1 as epoch seconds", async () => {
    const t0 = Date.parse("2026-11-22T09:40:00Z") / 1000;
    expect(await getJson<UsageRow[]>(sim, `${path}?t0=${t0}&t1=${t0 + 900}`)).toEqual(rows);
  });

  it("defaults to the last day, like timespan=86400", async () => {
    const day = await getJson<UsageRow[]>(sim, `${path}?timespan=86400`);
    expect(await getJson<UsageRow[]>(sim, path)).toEqual(day);
    expect(await getJson<UsageRow[]>(sim, `${path}?t0=2026-11-21T10:00:00Z&t1=2026-11-22T10:00:00Z`)).toEqual(
      day,
    );
  });

  it("counts nothing after now", async () => {
    const future = await getJson<UsageRow[]>(sim, `${path}?t0=2026-11-22T10:00:00Z&t1=2026-11-22T11:00:00Z`);
    for (const [, sent, received] of total(future)) expect([sent, received]).toEqual([0, 0]);
  });

  it("accepts t1 exactly 14 days after t0 and t0 exactly 30 days ago", async () => {
    expect((await get(sim, `${path}?t0=2026-10-23T10:00:00Z&t1=2026-11-06T10:00:00Z`)).status).toBe(200);
  });

  it("rejects t1 more than 14 days after t0", async () => {
    await expectBadRequest(
      "t0=2026-11-01T00:00:00Z&t1=2026-11-15T00:00:01Z",
      "'t1' can be a maximum of 14 days after 't0'",
    );
  });

  it("rejects t0 more than 30 days ago", async () => {
    await expectBadRequest(
      "t0=2026-10-23T09:59:59Z&t1=2026-10-24T00:00:00Z",
      "'t0' can be at most 30 days in the past",
    );
  });

  it("rejects t1 before t0", async () => {
    await expectBadRequest("t0=2026-11-22T09:45:00Z&t1=2026-11-22T09:44:00Z", "'t0' must be before 't1'");
  });

  it("rejects a timespan above 14 days", async () => {
    await expectBadRequest(
      "timespan=1209601",
      "'timespan' must be greater than 0 and at most 1209600 seconds",
    );
  });

  it("rejects timespan together with t0", async () => {
    await expectBadRequest(
      `timespan=60&t0=2026-11-22T09:50:00Z`,
      "Specify either 'timespan' or 't0'/'t1', not both",
    );
  });

  it("rejects an unparseable t1", async () => {
    await expectBadRequest(
      "t0=2026-11-22T09:50:00Z&t1=soon",
      "'t1' must be an ISO 8601 timestamp or epoch seconds",
    );
  });
});
