// The Meraki client against the Meraki simulator over real HTTP on loopback: paging, the
// simulator's real per-organisation limiter, and injected faults (429 storms, 5xx, truncation).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { getOrganizationDevicesStatuses } from "../../shared/kinds/device-statuses.js";
import { getNetworkClients } from "../../shared/kinds/network-clients.js";
import { getOrganizationDevicesUplinksLossAndLatency } from "../../shared/kinds/uplink-loss-latency.js";
import { LocalBudget, policiesFrom, type RequestBudget } from "../../shared/meraki/budget.js";
import { abortableSleep } from "../../shared/meraki/http.js";
import {
  getOrganizationDevices,
  getOrganizationNetworks,
  getOrganizations,
  MerakiAuthError,
  MerakiClient,
  type MerakiClientOptions,
  MerakiNotFoundError,
  MerakiRateLimitError,
  MerakiServerError,
} from "../../shared/meraki/index.js";

let sim: RunningSimulator;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  // 2500 devices in an organisation = three pages of devices/statuses at the real perPage of 1000.
  sim = await startMerakiSimulator({ seed: 7, organizations: 2, networksPerOrg: 3, devicesPerOrg: 2500 });
  orgA = sim.dataset.organizations[0]!.id;
  orgB = sim.dataset.organizations[1]!.id;
});

afterAll(async () => {
  await sim?.stop();
});

beforeEach(() => {
  sim.setFaults({});
  sim.resetLog();
});

/** Fast retry settings so fault tests take milliseconds, not seconds. */
function client(options: Partial<MerakiClientOptions> = {}): MerakiClient {
  return new MerakiClient({
    apiKey: sim.apiKey,
    baseUrl: sim.baseUrl,
    baseDelayMs: 10,
    maxDelayMs: 40,
    rateLimitFallbackDelayMs: 40,
    ...options,
  });
}

const devicesOf = (orgId: string) => sim.dataset.devices.filter((d) => d.organizationId === orgId);
const networksOf = (orgId: string) => sim.dataset.networks.filter((n) => n.organizationId === orgId);
const logFor = (pathIncludes: string) => sim.requests.filter((r) => r.path.includes(pathIncludes));

describe("MerakiClient against the simulator", () => {
  it("pages devices/statuses through every rel=next link at perPage 1000", async () => {
    const statuses = await client().all(getOrganizationDevicesStatuses, { organizationId: orgA });
    expect(statuses.map((s) => s.serial)).toEqual(devicesOf(orgA).map((d) => d.serial));
    expect(sim.requests.map((r) => [r.query.perPage, r.query.startingAfter, r.status])).toEqual([
      ["1000", undefined, 200],
      ["1000", devicesOf(orgA)[999]!.serial, 200],
      ["1000", devicesOf(orgA)[1999]!.serial, 200],
    ]);
  });

  it("pages organisation devices and networks to completion", async () => {
    const meraki = client({ pageSizes: { getOrganizationNetworks: 3, getOrganizationDevices: 1000 } });
    const [devices, networks] = await Promise.all([
      meraki.all(getOrganizationDevices, { organizationId: orgB }),
      meraki.all(getOrganizationNetworks, { organizationId: orgB }),
    ]);
    expect(devices.map((d) => d.serial)).toEqual(devicesOf(orgB).map((d) => d.serial));
    expect(networks.map((n) => [n.id, n.name])).toEqual(networksOf(orgB).map((n) => [n.id, n.name]));
    expect(logFor("/devices").length).toBe(3);
  });

  it("pages network clients with a perPage override, passing timespan through", async () => {
    const network = networksOf(orgA)[0]!;
    const expected = sim.dataset.clientsByNetwork.get(network.id)!.map((c) => c.id);
    const clients = await client({ pageSizes: { getNetworkClients: 5 } }).all(getNetworkClients, {
      organizationId: orgA,
      networkId: network.id,
      query: { timespan: 2_678_400 },
    });
    expect(clients.map((c) => c.id)).toEqual(expected);
    expect(sim.requests).toHaveLength(Math.ceil(expected.length / 5));
    expect(sim.requests.every((r) => r.query.timespan === "2678400" && r.organizationId === orgA)).toBe(true);
  });

  it("lists organisations and fetches one loss/latency window, keeping null-serial rows", async () => {
    sim.setFaults({ nullSerialRows: 2 });
    const meraki = client();
    const organizations = await meraki.all(getOrganizations);
    expect(organizations.map((o) => o.id)).toEqual([orgA, orgB]);
    const t1 = new Date(Date.now() - 3 * 60_000);
    const t0 = new Date(t1.getTime() - 5 * 60_000);
    const rows = await meraki.all(getOrganizationDevicesUplinksLossAndLatency, {
      organizationId: orgA,
      query: { t0: t0.toISOString(), t1: t1.toISOString() },
    });
    const appliances = devicesOf(orgA).filter((d) => d.productType === "appliance");
    expect(rows.filter((r) => r.serial === null)).toHaveLength(2);
    expect(new Set(rows.flatMap((r) => (r.serial ? [r.serial] : [])))).toEqual(
      new Set(appliances.map((d) => d.serial)),
    );
    expect(logFor("uplinksLossAndLatency")).toHaveLength(1);
  });

  it("waits out a 429's Retry-After before retrying, then succeeds", async () => {
    sim.setFaults({ rateLimitStorm: { count: 1, retryAfterSeconds: 1, pathIncludes: "/networks" } });
    const meraki = client();
    await expect(meraki.all(getOrganizationNetworks, { organizationId: orgA })).resolves.toHaveLength(3);
    const [limited, retried] = sim.requests;
    expect([limited?.status, retried?.status]).toEqual([429, 200]);
    const gap = retried!.at - limited!.at;
    expect(gap).toBeGreaterThanOrEqual(995);
    // Far below a doubled wait: the client used Retry-After, not its own backoff (loose for loaded CI).
    expect(gap).toBeLessThan(3_000);
    expect(meraki.stats().byOrganization[orgA]).toEqual({ apiCalls: 2, rateLimited: 1, retries: 1 });
  });

  it("clamps a long Retry-After to maxRetryAfterMs", async () => {
    sim.setFaults({ rateLimitStorm: { count: 1, retryAfterSeconds: 60, pathIncludes: "/networks" } });
    const started = Date.now();
    await expect(
      client({ maxRetryAfterMs: 100 }).all(getOrganizationNetworks, { organizationId: orgA }),
    ).resolves.toHaveLength(3);
    // Nowhere near the 60 s the server asked for (loose bound for a loaded CI machine).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sim.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("without Retry-After backs off within the bounded fallback and succeeds", async () => {
    sim.setFaults({
      rateLimitStorm: { count: 3, retryAfterSeconds: null, pathIncludes: "/devices/statuses" },
    });
    const started = Date.now();
    const statuses = await client({
      pageSizes: { getOrganizationDevicesStatuses: 1000 },
    }).all(getOrganizationDevicesStatuses, { organizationId: orgB });
    expect(statuses).toHaveLength(2500);
    expect(sim.requests.map((r) => r.status)).toEqual([429, 429, 429, 200, 200, 200]);
    // Fallback waits double from [20, 40) ms (rateLimitFallbackDelayMs 40): under 280 ms in all; after
    // a 429 the organisation's bucket resumes at 8/s without a burst, so the two later pages add 250 ms.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("gives up after maxRateLimitRetries with MerakiRateLimitError naming the organisation", async () => {
    sim.setFaults({ rateLimitStorm: { count: 100, retryAfterSeconds: 0, pathIncludes: "/devices" } });
    const meraki = client({ maxRateLimitRetries: 2 });
    const error = await meraki.all(getOrganizationDevices, { organizationId: orgA }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerakiRateLimitError);
    expect(error).toMatchObject({
      operationId: "getOrganizationDevices",
      organizationId: orgA,
      status: 429,
      attempts: 3,
      merakiErrors: "API rate limit exceeded for organization",
    });
    expect(sim.requests).toHaveLength(3);
    expect(meraki.stats().byOrganization[orgA]).toEqual({ apiCalls: 3, rateLimited: 3, retries: 2 });
  });

  it("retries 5xx with backoff and then succeeds", async () => {
    sim.setFaults({ serverErrors: { count: 2, status: 503, pathIncludes: "/clients" } });
    const network = networksOf(orgB)[1]!;
    const meraki = client();
    const clients = await meraki.all(getNetworkClients, { organizationId: orgB, networkId: network.id });
    expect(clients.length).toBeGreaterThan(0);
    expect(sim.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(meraki.stats().byOrganization[orgB]).toEqual({ apiCalls: 3, rateLimited: 0, retries: 2 });
  });

  it("reports MerakiServerError after maxAttempts of 5xx", async () => {
    sim.setFaults({ serverErrors: { count: 100, status: 502 } });
    const error = await client({ maxAttempts: 3 })
      .all(getOrganizationDevicesStatuses, { organizationId: orgA })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerakiServerError);
    expect(error).toMatchObject({
      status: 502,
      attempts: 3,
      organizationId: orgA,
      path: `/api/v1/organizations/${orgA}/devices/statuses`,
      merakiErrors: "Simulated server error",
    });
    expect(sim.requests).toHaveLength(3);
  });

  it("retries a truncated 200 body and then returns the complete page", async () => {
    sim.setFaults({ truncatedBodies: { count: 1, pathIncludes: "/devices/statuses" } });
    const meraki = client();
    const statuses = await meraki.all(getOrganizationDevicesStatuses, { organizationId: orgA });
    expect(statuses).toHaveLength(2500);
    expect(sim.requests).toHaveLength(4);
    expect(sim.requests[0]?.query.startingAfter).toBeUndefined();
    expect(sim.requests[1]?.query.startingAfter).toBeUndefined();
    expect(meraki.stats().byOrganization[orgA]?.retries).toBe(1);
  });

  it("throws MerakiAuthError on a wrong key without retrying and without the key in the message", async () => {
    const wrongKey = "0123456789abcdef-wrong-key";
    const error = await client({ apiKey: wrongKey })
      .all(getOrganizationNetworks, { organizationId: orgA })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerakiAuthError);
    const auth = error as MerakiAuthError;
    expect(auth.status).toBe(401);
    expect(auth.attempts).toBe(1);
    expect(auth.message).toContain("Meraki API key secret");
    expect(auth.message).not.toContain(wrongKey);
    expect(JSON.stringify(auth.toLogAttributes())).not.toContain(wrongKey);
    expect(sim.requests).toHaveLength(1);
  });

  it("throws MerakiNotFoundError for an unknown organisation after exactly one request", async () => {
    const error = await client()
      .all(getOrganizationDevices, { organizationId: "999" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerakiNotFoundError);
    expect(error).toMatchObject({ status: 404, attempts: 1, organizationId: "999", retryable: false });
    expect((error as Error).message).toContain("organization 999");
    expect((error as Error).message).toContain("does not exist or the API key has no access to it");
    expect(sim.requests).toHaveLength(1);
  });

  it("keeps per-organisation counters that match the requests sent, and resets them", async () => {
    const meraki = client();
    await meraki.all(getOrganizations);
    await meraki.all(getOrganizationNetworks, { organizationId: orgA });
    await meraki.all(getOrganizationDevicesStatuses, { organizationId: orgA });
    await meraki.all(getOrganizationNetworks, { organizationId: orgB });
    const sent = (org: string) => sim.requests.filter((r) => r.organizationId === org).length;
    expect(meraki.stats()).toEqual({
      byOrganization: {
        [orgA]: { apiCalls: sent(orgA), rateLimited: 0, retries: 0 },
        [orgB]: { apiCalls: sent(orgB), rateLimited: 0, retries: 0 },
      },
      unscoped: { apiCalls: 1, rateLimited: 0, retries: 0 },
      total: { apiCalls: 6, rateLimited: 0, retries: 0 },
    });
    meraki.resetStats();
    expect(meraki.stats().total).toEqual({ apiCalls: 0, rateLimited: 0, retries: 0 });
  });

  it("at the default 8 req/s stays under the simulator's real 10 req/s limit: no 429 in a 20-call burst", async () => {
    // A simulator of its own: the shared one's limiter still holds the earlier tests' requests.
    const fresh = await startMerakiSimulator({ seed: 3, organizations: 1 });
    try {
      const org = fresh.dataset.organizations[0]!.id;
      const meraki = new MerakiClient({ apiKey: fresh.apiKey, baseUrl: fresh.baseUrl });
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 20 }, () => meraki.all(getOrganizationNetworks, { organizationId: org })),
      );
      const elapsed = Date.now() - started;
      expect(fresh.requests.filter((r) => r.status === 429)).toHaveLength(0);
      // 8 at once, then 12 more 125 ms apart.
      expect(elapsed).toBeGreaterThanOrEqual(1_450);
      expect(meraki.stats().byOrganization[org]).toEqual({ apiCalls: 20, rateLimited: 0, retries: 0 });
    } finally {
      await fresh.stop();
    }
  });

  it("limits each organisation separately, so one organisation's queue does not delay another's", async () => {
    // The budget the client would make itself (5 req/s, burst 1), noting when it lets each request
    // of an organisation go: the simulator's log notes when it got round to each one, which a
    // loaded machine can bunch up.
    const sendsOf = new Map<string, number[]>();
    let sendAt = 0;
    const limiter = new LocalBudget({
      policyFor: policiesFrom(5, {}, 1),
      now: Date.now,
      sleep: (ms, signal) => {
        sendAt = Date.now() + ms;
        return abortableSleep(ms, signal);
      },
    });
    const budget: RequestBudget = {
      take: (organizationId, signal) => {
        sendAt = Date.now();
        // The slot is reserved (and its sleep begun) synchronously, before take() returns.
        const taken = limiter.take(organizationId, signal);
        sendsOf.set(organizationId!, [...(sendsOf.get(organizationId!) ?? []), sendAt]);
        return taken;
      },
      rateLimited: (organizationId, retryAfterMs) => limiter.rateLimited(organizationId, retryAfterMs),
    };
    const meraki = client({ budget });
    const started = Date.now();
    await Promise.all(
      [orgA, orgB].flatMap((org) =>
        Array.from({ length: 4 }, () => meraki.all(getOrganizationNetworks, { organizationId: org })),
      ),
    );
    const elapsed = Date.now() - started;
    // Each organisation: 4 requests 200 ms apart = 600 ms; serialised across both it would be 1400 ms.
    expect(elapsed).toBeGreaterThanOrEqual(590);
    // Interleaved, not serialised: organisation B was served before organisation A's queue drained.
    const lastOf = (org: string) =>
      Math.max(...sim.requests.filter((r) => r.organizationId === org).map((r) => r.at));
    const firstOf = (org: string) =>
      Math.min(...sim.requests.filter((r) => r.organizationId === org).map((r) => r.at));
    expect(firstOf(orgB)).toBeLessThan(lastOf(orgA));
    expect(firstOf(orgA)).toBeLessThan(lastOf(orgB));
    for (const org of [orgA, orgB]) {
      const times = sendsOf.get(org)!;
      expect(times).toHaveLength(4);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(gaps.every((gap) => gap >= 190)).toBe(true);
    }
  });
});
