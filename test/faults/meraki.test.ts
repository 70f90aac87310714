// Meraki faults, on the simulator over real HTTP: its own faults (429 storms, 5xx, truncated bodies,
// null serials, empty series, any status for one organisation) and, for what it does not produce,
// a hostile front between the client and the simulator (HTTP-date Retry-After, slow answers, HTML
// pages, bodies without end, Link headers and redirects to another host, pagination loops). Every
// case sweeps two organisations, one of them hit by the fault, through the real handler into the
// run's broker: what the sweep built is in the topic, and what it could not build is reported.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import type { SweepSummary } from "../../shared/sweeps/run-sweep.js";
import { type FaultSweep, faultSweep, type Outcome, summaryOf } from "./support/harness.js";
import {
  answer,
  endless,
  type FrontRule,
  type HostileFront,
  type KeyTrap,
  relink,
  send,
  slow,
  startHostileFront,
  startKeyTrap,
} from "./support/hostile-meraki.js";
import { type LeakWatch, leakWatch } from "./support/leak-watch.js";
import { knownSecrets, MERAKI_KEY } from "./support/secrets.js";

const watch: LeakWatch = leakWatch();
let simulator: RunningSimulator;
let front: HostileFront;
let trap: KeyTrap;
const sweeps: FaultSweep[] = [];
/** The organisation every case leaves alone, and the one it hits. */
let healthy: string;
let hit: string;

beforeAll(async () => {
  watch.start();
  simulator = await startMerakiSimulator({
    seed: 31,
    organizations: 2,
    networksPerOrg: 2,
    devicesPerOrg: 8,
    apiKey: MERAKI_KEY,
  });
  [front, trap] = await Promise.all([startHostileFront(simulator.baseUrl), startKeyTrap()]);
  [healthy, hit] = simulator.dataset.organizations.map((org) => org.id) as [string, string];
});

afterAll(async () => {
  await Promise.all(sweeps.map((sweep) => sweep.close()));
  await Promise.all([simulator?.stop(), front?.stop(), trap?.stop()]);
  watch.stop();
});

beforeEach(() => {
  simulator.setFaults({});
  simulator.resetLog();
  front.setRules([]);
  front.requests.length = 0;
});

const availabilities = (organizationId: string) => `/organizations/${organizationId}/devices/availabilities`;
const serialsOf = (...organizationIds: string[]) =>
  simulator.dataset.devices.filter((d) => organizationIds.includes(d.organizationId)).map((d) => d.serial);

async function sweep(
  options: { kind?: "device-availability" | "uplink-loss-latency"; merakiTimeoutMs?: number } = {},
): Promise<FaultSweep> {
  const created = await faultSweep({
    kind: options.kind ?? "device-availability",
    merakiBaseUrl: front.baseUrl,
    merakiApiKey: MERAKI_KEY,
    overrides: { merakiTimeoutMs: options.merakiTimeoutMs ?? 5_000 },
    watch,
  });
  sweeps.push(created);
  return created;
}

/** Every device of `organizationIds` is in the topic exactly once, and the summary says so. */
async function expectDelivered(target: FaultSweep, outcome: Outcome, ...organizationIds: string[]) {
  const summary = summaryOf(outcome);
  const expected = serialsOf(...organizationIds);
  expect(summary.records.produced).toBe(expected.length);
  const landed = await target.records();
  expect(landed.map((r) => r.key).sort()).toEqual([...expected].sort());
  return summary;
}

/** The hit organisation failed with an error of this name and text; the healthy one was swept. */
function expectHitFailed(summary: SweepSummary, errorText: string | RegExp) {
  expect(summary.organizations.swept).toBe(1);
  expect(summary.organizations.failed).toEqual([
    { organizationId: hit, error: expect.stringMatching(errorText) },
  ]);
}

describe("a 429 storm", () => {
  it("with Retry-After in seconds is waited out: every record is delivered", async () => {
    const target = await sweep();
    simulator.setFaults({ rateLimitStorm: { count: 2, retryAfterSeconds: 1, organizationId: hit } });
    const outcome = await target.invoke();
    await expectDelivered(target, outcome, healthy, hit);
    expect(simulator.requests.filter((r) => r.status === 429)).toHaveLength(2);
  });

  it("without Retry-After is backed off: every record is delivered", async () => {
    const target = await sweep();
    simulator.setFaults({ rateLimitStorm: { count: 2, retryAfterSeconds: null, organizationId: hit } });
    const outcome = await target.invoke();
    await expectDelivered(target, outcome, healthy, hit);
    expect(simulator.requests.filter((r) => r.status === 429)).toHaveLength(2);
  });

  it("with Retry-After as an HTTP date is waited out until that date: every record is delivered", async () => {
    const target = await sweep();
    let retryAt = 0;
    const rateLimited: FrontRule = {
      name: "429 until a date",
      path: availabilities(hit),
      times: 1,
      respond: async (_req, res) => {
        // HTTP dates have whole seconds: two seconds ahead, rounded up.
        retryAt = Math.ceil(Date.now() / 1000) * 1000 + 2000;
        send(res, {
          status: 429,
          headers: { "content-type": "application/json", "retry-after": new Date(retryAt).toUTCString() },
          body: JSON.stringify({ errors: ["API rate limit exceeded for organization"] }),
        });
      },
    };
    front.setRules([rateLimited]);
    const outcome = await target.invoke();
    await expectDelivered(target, outcome, healthy, hit);
    const calls = front.requests.filter((r) => r.path === availabilities(hit));
    expect(calls.map((r) => r.rule)).toEqual(["429 until a date", undefined]);
    expect(calls[1]!.at).toBeGreaterThanOrEqual(retryAt);
  });
});

describe("a burst of 5xx", () => {
  it("shorter than the retries is retried through: every record is delivered", async () => {
    const target = await sweep();
    simulator.setFaults({ serverErrors: { count: 2, status: 503, organizationId: hit } });
    const outcome = await target.invoke();
    await expectDelivered(target, outcome, healthy, hit);
    expect(simulator.requests.filter((r) => r.status === 503)).toHaveLength(2);
  });

  it("that outlasts the retries (a proxy's 502 page echoing the request) fails only that organisation, key redacted", async () => {
    const target = await sweep();
    const echo: FrontRule = {
      name: "echo",
      path: availabilities(hit),
      respond: async (req, res) =>
        send(res, {
          status: 502,
          headers: { "content-type": "text/html" },
          body: `<html><pre>Bad gateway. Your request: Authorization: ${req.headers.authorization}</pre></html>`,
        }),
    };
    front.setRules([echo]);
    const summary = await expectDelivered(target, await target.invoke(), healthy);
    expectHitFailed(summary, /HTTP 502 after 5 attempts\. Meraki said: .*Authorization: Bearer \[redacted\]/);
    expect(front.requests.filter((r) => r.path === availabilities(hit))).toHaveLength(5);
  });
});

describe("responses slower than the request timeout", () => {
  it("once: the request is given up and retried, and every record is delivered", async () => {
    const target = await sweep({ merakiTimeoutMs: 1_000 });
    front.setRules([slow("late", availabilities(hit), 3_000, 1)]);
    const outcome = await target.invoke();
    await expectDelivered(target, outcome, healthy, hit);
    expect(front.requests.filter((r) => r.path === availabilities(hit)).map((r) => r.rule)).toEqual([
      "late",
      undefined,
    ]);
  });

  it("every time: that organisation fails after its attempts with a timeout, the other is delivered", async () => {
    const target = await sweep({ merakiTimeoutMs: 300 });
    front.setRules([slow("late", availabilities(hit), 2_000)]);
    const summary = await expectDelivered(target, await target.invoke(), healthy);
    expectHitFailed(summary, /after 5 attempts: timed out after 300 ms/);
  });
});

describe("bodies that are not a usable page", () => {
  it("truncated: retried, and every record is delivered", async () => {
    const target = await sweep();
    simulator.setFaults({ truncatedBodies: { count: 1, pathIncludes: availabilities(hit) } });
    const outcome = await target.invoke();
    await expectDelivered(target, outcome, healthy, hit);
    expect(simulator.requests.filter((r) => r.path === availabilities(hit))).toHaveLength(2);
  });

  it("an HTML page with status 200 (a captive proxy): retried, and every record is delivered", async () => {
    const target = await sweep();
    front.setRules([
      answer(
        "html",
        availabilities(hit),
        {
          status: 200,
          headers: { "content-type": "text/html" },
          body: "<html><body>Please log in</body></html>",
        },
        1,
      ),
    ]);
    const outcome = await target.invoke();
    await expectDelivered(target, outcome, healthy, hit);
  });

  it("enormous but complete (a 24 MB page): read, and every record is delivered", async () => {
    const target = await sweep();
    const padded: FrontRule = {
      name: "padded",
      path: availabilities(hit),
      respond: async (_req, res, forward) => {
        const upstream = await forward();
        send(res, { ...upstream, body: `${upstream.body}${" ".repeat(24 * 1024 * 1024)}` });
      },
    };
    front.setRules([padded]);
    const outcome = await target.invoke();
    await expectDelivered(target, outcome, healthy, hit);
  });

  it("without end: reading stops at the size limit, that organisation fails unretried, the other is delivered", async () => {
    const target = await sweep();
    front.setRules([endless("endless", availabilities(hit))]);
    const summary = await expectDelivered(target, await target.invoke(), healthy);
    expectHitFailed(summary, /body is larger than 67108864 bytes \(maxResponseBytes\); stopped reading it/);
    expect(front.requests.filter((r) => r.path === availabilities(hit))).toHaveLength(1);
  });
});

describe("pagination and redirects that lead elsewhere", () => {
  it("a rel=next link to another host is refused without sending the key there", async () => {
    const target = await sweep();
    front.setRules([
      relink(
        "to another host",
        availabilities(hit),
        () => `<${trap.origin}/api/v1${availabilities(hit)}?startingAfter=x>; rel=next`,
      ),
    ]);
    const summary = await expectDelivered(target, await target.invoke(), healthy);
    expectHitFailed(
      summary,
      /the rel=next link leads to http:\/\/127\.0\.0\.1:\d+, outside the configured API host .*not sending the API key there/,
    );
    expect(trap.authorizations).toEqual([]);
  });

  it("a redirect to another host is refused without sending the key there", async () => {
    const target = await sweep();
    front.setRules([
      answer("redirect", availabilities(hit), {
        status: 302,
        headers: { location: `${trap.origin}/steal` },
        body: "",
      }),
    ]);
    const summary = await expectDelivered(target, await target.invoke(), healthy);
    expectHitFailed(
      summary,
      /the redirect leads to http:\/\/127\.0\.0\.1:\d+, outside the configured API host/,
    );
    expect(trap.authorizations).toEqual([]);
  });

  it("a rel=next link back to the same page stops after that one page", async () => {
    const target = await sweep();
    front.setRules([relink("loop", availabilities(hit), (url) => `<${url.href}>; rel=next`)]);
    const summary = await expectDelivered(target, await target.invoke(), healthy);
    expectHitFailed(summary, /pagination loops: the rel=next link points back to an already fetched page/);
    expect(front.requests.filter((r) => r.path === availabilities(hit))).toHaveLength(1);
  });
});

describe("an organisation the key may not read", () => {
  it.each([
    [401, /^Meraki rejected the API key \(HTTP 401\)/],
    [403, /^Meraki refused .* with HTTP 403\..*lacks permission/],
    [404, /^Meraki returned HTTP 404 for .*does not exist or the API key has no access/],
  ])(
    "answering %i: that organisation fails after one request, the other is delivered",
    async (status, text) => {
      const target = await sweep();
      simulator.setFaults({ serverErrors: { count: 1_000, status, organizationId: hit } });
      const summary = await expectDelivered(target, await target.invoke(), healthy);
      expectHitFailed(summary, text);
      expect(simulator.requests.filter((r) => r.organizationId === hit)).toHaveLength(1);
    },
  );
});

describe("rows the API returns without a device or without samples", () => {
  it("null serials and empty series are dropped and counted; every other row is delivered", async () => {
    const clean = await sweep({ kind: "uplink-loss-latency" });
    const baseline = summaryOf(await clean.invoke());
    const target = await sweep({ kind: "uplink-loss-latency" });
    simulator.setFaults({ nullSerialRows: 2, emptyTimeSeriesRows: 3 });
    const summary = summaryOf(await target.invoke());
    expect(summary.records.produced).toBe(baseline.records.produced);
    // Per organisation: each gets the injected rows.
    expect(summary.records.dropped).toEqual({
      ...baseline.records.dropped,
      "null-serial": 2 * 2 + (baseline.records.dropped["null-serial"] ?? 0),
      "empty-samples": 3 * 2 + (baseline.records.dropped["empty-samples"] ?? 0),
    });
    const [before, after] = await Promise.all([clean.records(), target.records()]);
    expect(after.map((r) => r.headers["record-id"]).sort()).toEqual(
      before.map((r) => r.headers["record-id"]).sort(),
    );
  });
});

describe("secrets", () => {
  it("no log line, error or summary of these cases shows the Meraki key", () => {
    for (const seen of [
      "Meraki server error, retrying",
      "Meraki request failed, retrying",
      '"_aws"',
      "[redacted]",
    ]) {
      expect(watch.text()).toContain(seen);
    }
    expect(watch.findings(knownSecrets({ "run broker password": inject("kafka").password }))).toEqual([]);
  });
});
