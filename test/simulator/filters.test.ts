import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson } from "./helpers.js";
import { queryArrayEnum } from "./spec-schemas.js";

const OPERATIONS = [
  ["networks", "/organizations/{organizationId}/networks"],
  ["devices", "/organizations/{organizationId}/devices"],
  ["devices/statuses", "/organizations/{organizationId}/devices/statuses"],
] as const;

describe("productTypes filters", () => {
  let sim: RunningSimulator;
  let orgId: string;

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      seed: 9,
      organizations: 1,
      networksPerOrg: 12,
      devicesPerOrg: 24,
      rateLimitPerSecond: 10_000,
      now: fixedClock,
    });
    orgId = sim.dataset.organizations[0]!.id;
  });
  afterAll(() => sim.stop());

  it("keeps the networks that have at least one of the product types", async () => {
    const body = await getJson<{ id: string }[]>(
      sim,
      `/organizations/${orgId}/networks?productTypes[]=camera&productTypes[]=wireless`,
    );
    const expected = sim.dataset.networks.filter((n) =>
      n.productTypes.some((type) => type === "camera" || type === "wireless"),
    );
    expect(body.map((n) => n.id)).toEqual(expected.map((n) => n.id));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(sim.dataset.networks.length);
  });

  it.each(OPERATIONS)("accepts every product type the spec lists for %s", async (operation, template) => {
    const query = queryArrayEnum(template, "productTypes")
      .map((type) => `productTypes[]=${type}`)
      .join("&");
    expect((await get(sim, `/organizations/${orgId}/${operation}?${query}`)).status).toBe(200);
  });

  it.each(OPERATIONS)("rejects a product type the spec does not list for %s", async (operation, template) => {
    const response = await get(sim, `/organizations/${orgId}/${operation}?productTypes[]=router`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [`'productTypes' must be any of: ${queryArrayEnum(template, "productTypes").join(", ")}`],
    });
  });
});
