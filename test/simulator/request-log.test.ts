import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, SUITE_USER_AGENT } from "./helpers.js";

describe("request log", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startMerakiSimulator({ now: fixedClock });
  });
  beforeEach(() => sim.resetLog());
  afterAll(() => sim.stop());

  it("records method, path without /api/v1, query, status, organisation, user agent and time", async () => {
    const orgId = sim.dataset.organizations[0]!.id;
    const before = Date.now();
    await get(sim, `/organizations/${orgId}/devices?perPage=5&networkIds[]=a&networkIds[]=b`);
    expect(sim.requests).toEqual([
      {
        method: "GET",
        path: `/organizations/${orgId}/devices`,
        query: { perPage: "5", "networkIds[]": ["a", "b"] },
        status: 200,
        organizationId: orgId,
        userAgent: SUITE_USER_AGENT,
        at: expect.any(Number),
        receivedAt: expect.any(Number),
      },
    ]);
    expect(sim.requests[0]!.at).toBeGreaterThanOrEqual(before);
  });

  it("attributes /networks/{id}/... requests to the network's organisation", async () => {
    const network = sim.dataset.networks[sim.dataset.networks.length - 1]!;
    await get(sim, `/networks/${network.id}/clients`);
    expect(sim.requests.map((r) => r.organizationId)).toEqual([network.organizationId]);
  });

  it("records GET /organizations without an organisation", async () => {
    await get(sim, "/organizations");
    expect(sim.requests[0]).not.toHaveProperty("organizationId");
  });

  it("records rejected requests", async () => {
    await get(sim, "/organizations", { Authorization: "Bearer nope" });
    await get(sim, "/organizations/1/networks");
    expect(sim.requests.map((r) => [r.path, r.status])).toEqual([
      ["/organizations", 401],
      ["/organizations/1/networks", 404],
    ]);
  });

  it("empties the same array on resetLog", async () => {
    const log = sim.requests;
    await get(sim, "/organizations");
    sim.resetLog();
    expect(log).toHaveLength(0);
    expect(sim.requests).toBe(log);
  });
});
