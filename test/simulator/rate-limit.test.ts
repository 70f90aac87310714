import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get } from "./helpers.js";

describe("per-organisation rate limit", () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  async function blast(target: RunningSimulator, path: string, count: number): Promise<Response[]> {
    return Promise.all(Array.from({ length: count }, () => get(target, path)));
  }

  it("answers 429 with Retry-After beyond 10 req/s plus burst for one org while another org is served", async () => {
    sim = await startMerakiSimulator({ organizations: 2, now: fixedClock });
    const [orgA, orgB] = sim.dataset.organizations;
    const responses = await blast(sim, `/organizations/${orgA!.id}/devices`, 40);
    const limited = responses.filter((r) => r.status === 429);
    const served = responses.filter((r) => r.status === 200);
    // Burst of 10, plus at most a token or two refilled while the 40 requests arrive.
    expect(served.length).toBeGreaterThanOrEqual(10);
    expect(served.length).toBeLessThanOrEqual(12);
    expect(limited.length).toBe(40 - served.length);
    expect(limited[0]!.headers.get("retry-after")).toBe("1");
    expect(await limited[0]!.json()).toEqual({ errors: ["API rate limit exceeded for organization"] });
    expect((await get(sim, `/organizations/${orgB!.id}/devices`)).status).toBe(200);
  });

  it("serves the organisation again after Retry-After", async () => {
    sim = await startMerakiSimulator({ organizations: 1, now: fixedClock });
    const path = `/organizations/${sim.dataset.organizations[0]!.id}/devices`;
    const responses = await blast(sim, path, 25);
    const limited = responses.find((r) => r.status === 429)!;
    await sleep(Number(limited.headers.get("retry-after")) * 1000);
    expect((await get(sim, path)).status).toBe(200);
  });

  it("counts /networks/{id}/... requests against the network's organisation", async () => {
    sim = await startMerakiSimulator({ organizations: 2, rateLimitPerSecond: 2, now: fixedClock });
    const [orgA, orgB] = sim.dataset.organizations;
    const networkOfA = sim.dataset.networks.find((n) => n.organizationId === orgA!.id)!;
    await blast(sim, `/networks/${networkOfA.id}/clients`, 4);
    expect((await get(sim, `/organizations/${orgA!.id}/devices`)).status).toBe(429);
    expect((await get(sim, `/organizations/${orgB!.id}/devices`)).status).toBe(200);
  });

  it("takes its rate and burst from the options", async () => {
    sim = await startMerakiSimulator({
      organizations: 1,
      rateLimitPerSecond: 1,
      rateLimitBurst: 5,
      now: fixedClock,
    });
    const responses = await blast(sim, `/organizations/${sim.dataset.organizations[0]!.id}/networks`, 8);
    expect(responses.filter((r) => r.status === 200).length).toBe(5);
  });

  it("does not meter GET /organizations, which belongs to no organisation", async () => {
    sim = await startMerakiSimulator({ organizations: 1, rateLimitPerSecond: 1, now: fixedClock });
    const responses = await blast(sim, "/organizations", 10);
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
  });
});
