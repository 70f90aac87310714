import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson } from "./helpers.js";

interface UplinkRow {
  serial: string | null;
  timeSeries: unknown[];
}

describe("fault injection", () => {
  let sim: RunningSimulator;
  let orgA: string;
  let orgB: string;
  let networkOfB: string;

  beforeAll(async () => {
    sim = await startMerakiSimulator({ organizations: 2, rateLimitPerSecond: 10_000, now: fixedClock });
    [orgA, orgB] = sim.dataset.organizations.map((o) => o.id) as [string, string];
    networkOfB = sim.dataset.networks.find((n) => n.organizationId === orgB)!.id;
  });
  afterEach(() => {
    sim.setFaults({});
    sim.resetLog();
  });
  afterAll(() => sim.stop());

  const statuses = async (...paths: string[]): Promise<number[]> => {
    const out: number[] = [];
    for (const path of paths) out.push((await get(sim, path)).status);
    return out;
  };

  it("adds fixed latency to every response", async () => {
    sim.setFaults({ latencyMs: 200 });
    const started = performance.now();
    await get(sim, "/organizations");
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
  });

  it("answers the next N requests with the configured 5xx, then recovers", async () => {
    sim.setFaults({ serverErrors: { count: 2, status: 503 } });
    const path = `/organizations/${orgA}/devices`;
    const first = await get(sim, path);
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({ errors: ["Simulated server error"] });
    expect(await statuses(path, path)).toEqual([503, 200]);
  });

  it("defaults server errors to 500", async () => {
    sim.setFaults({ serverErrors: { count: 1 } });
    expect(await statuses("/organizations", "/organizations")).toEqual([500, 200]);
  });

  it("limits a fault to paths containing pathIncludes", async () => {
    sim.setFaults({ serverErrors: { count: 1, pathIncludes: "/devices/statuses" } });
    expect(
      await statuses(
        `/organizations/${orgA}/devices`,
        `/organizations/${orgA}/devices/statuses`,
        `/organizations/${orgA}/devices/statuses`,
      ),
    ).toEqual([200, 500, 200]);
  });

  it("limits a fault to paths matching a RegExp", async () => {
    sim.setFaults({ serverErrors: { count: 1, pathIncludes: /\/networks$/ } });
    expect(await statuses(`/organizations/${orgA}/devices`, `/organizations/${orgA}/networks`)).toEqual([
      200, 500,
    ]);
  });

  it("limits a fault to one organisation, including its /networks/... paths", async () => {
    sim.setFaults({ serverErrors: { count: 1, organizationId: orgB } });
    expect(await statuses(`/organizations/${orgA}/devices`, `/networks/${networkOfB}/clients`)).toEqual([
      200, 500,
    ]);
  });

  it("answers a 429 storm with the configured Retry-After, then recovers", async () => {
    sim.setFaults({ rateLimitStorm: { count: 3, retryAfterSeconds: 7 } });
    const path = `/organizations/${orgA}/networks`;
    const storm = [await get(sim, path), await get(sim, path), await get(sim, path)];
    expect(storm.map((r) => [r.status, r.headers.get("retry-after")])).toEqual([
      [429, "7"],
      [429, "7"],
      [429, "7"],
    ]);
    expect(await storm[0]!.json()).toEqual({ errors: ["API rate limit exceeded for organization"] });
    expect((await get(sim, path)).status).toBe(200);
  });

  it("answers a 429 storm without Retry-After when retryAfterSeconds is null", async () => {
    sim.setFaults({ rateLimitStorm: { count: 1, retryAfterSeconds: null } });
    const response = await get(sim, `/organizations/${orgA}/networks`);
    expect(response.status).toBe(429);
    expect(response.headers.has("retry-after")).toBe(false);
  });

  it("adds uplink rows with a null serial", async () => {
    const path = `/organizations/${orgA}/devices/uplinksLossAndLatency`;
    const before = await getJson<UplinkRow[]>(sim, path);
    sim.setFaults({ nullSerialRows: 2 });
    const rows = await getJson<UplinkRow[]>(sim, path);
    expect(rows).toHaveLength(before.length + 2);
    expect(rows.filter((r) => r.serial === null)).toHaveLength(2);
    expect(rows.filter((r) => r.serial === null).every((r) => r.timeSeries.length === 5)).toBe(true);
  });

  it("adds uplink rows with an empty timeSeries", async () => {
    const path = `/organizations/${orgA}/devices/uplinksLossAndLatency`;
    const before = await getJson<UplinkRow[]>(sim, path);
    sim.setFaults({ emptyTimeSeriesRows: 3 });
    const rows = await getJson<UplinkRow[]>(sim, path);
    expect(rows).toHaveLength(before.length + 3);
    expect(rows.filter((r) => r.timeSeries.length === 0)).toHaveLength(3);
  });

  it("makes a truncated body fail to read, then serves the next response whole", async () => {
    sim.setFaults({ truncatedBodies: { count: 1 } });
    const truncated = await get(sim, `/organizations/${orgA}/devices`);
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow();
    expect(((await (await get(sim, `/organizations/${orgA}/devices`)).json()) as unknown[]).length).toBe(16);
  });

  it("cuts a truncated body mid-JSON and ends the connection", async () => {
    const path = `/organizations/${orgA}/devices`;
    const whole = await (await get(sim, path)).text();
    sim.setFaults({ truncatedBodies: { count: 1, pathIncludes: "/devices" } });
    const received = await rawGet(`${sim.baseUrl}${path}`, sim.apiKey);
    expect(received.contentLength).toBe(Buffer.byteLength(whole));
    expect(received.body).toBe(whole.slice(0, Math.floor(whole.length / 2)));
    expect(() => JSON.parse(received.body)).toThrow();
  });

  it("applies faults given at start", async () => {
    const faulty = await startMerakiSimulator({
      faults: { serverErrors: { count: 1, status: 502 } },
      now: fixedClock,
    });
    try {
      expect((await get(faulty, "/organizations")).status).toBe(502);
    } finally {
      await faulty.stop();
    }
  });

  it("replaces all faults on setFaults", async () => {
    sim.setFaults({ serverErrors: { count: 5 } });
    sim.setFaults({});
    expect((await get(sim, "/organizations")).status).toBe(200);
  });

  it("logs faulted requests with the status they got", async () => {
    sim.setFaults({ serverErrors: { count: 1, status: 504 } });
    await get(sim, `/networks/${networkOfB}/clients`);
    expect(sim.requests.map((r) => [r.path, r.status, r.organizationId])).toEqual([
      [`/networks/${networkOfB}/clients`, 504, orgB],
    ]);
  });
});

/** A GET that keeps whatever bytes arrive before the server ends the connection. */
function rawGet(url: string, apiKey: string): Promise<{ contentLength: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Authorization: `Bearer ${apiKey}` }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      // The response is incomplete, so it ends in "aborted"/"error" rather than "end".
      res.on("close", () =>
        resolve({
          contentLength: Number(res.headers["content-length"]),
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", () => undefined);
    });
    req.on("error", reject);
    req.end();
  });
}
