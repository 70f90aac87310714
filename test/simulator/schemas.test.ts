import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, getJson } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

describe("response bodies have exactly the shape of the spec's 200 schemas", () => {
  let sim: RunningSimulator;
  let orgId: string;
  let networkId: string;

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      seed: 7,
      organizations: 2,
      networksPerOrg: 4,
      devicesPerOrg: 40,
      now: fixedClock,
    });
    orgId = sim.dataset.organizations[0]!.id;
    networkId = sim.dataset.networks[0]!.id;
  });
  afterAll(() => sim.stop());

  it("checks strictly: an undeclared or a missing property fails validation", async () => {
    const validate = strictValidator(responseSchema("/organizations"));
    const [org] = await getJson<Record<string, unknown>[]>(sim, "/organizations");
    const { url: _url, ...withoutUrl } = org!;
    expect(validate([org])).toBe(true);
    expect(validate([{ ...org, extra: 1 }])).toBe(false);
    expect(validate([withoutUrl])).toBe(false);
  });

  it("GET /organizations", async () => {
    const validate = strictValidator(responseSchema("/organizations"));
    const body = await getJson<unknown[]>(sim, "/organizations");
    expect(body).toHaveLength(2);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("GET /organizations/{organizationId}/networks", async () => {
    const validate = strictValidator(responseSchema("/organizations/{organizationId}/networks"));
    const body = await getJson<unknown[]>(sim, `/organizations/${orgId}/networks`);
    expect(body).toHaveLength(4);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("GET /organizations/{organizationId}/devices (imei is sent only for cellular devices)", async () => {
    const validate = strictValidator(responseSchema("/organizations/{organizationId}/devices"), ["imei"]);
    const body = await getJson<unknown[]>(sim, `/organizations/${orgId}/devices`);
    expect(body).toHaveLength(40);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("GET /organizations/{organizationId}/devices/statuses", async () => {
    const validate = strictValidator(responseSchema("/organizations/{organizationId}/devices/statuses"));
    const body = await getJson<unknown[]>(sim, `/organizations/${orgId}/devices/statuses`);
    expect(body).toHaveLength(40);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("device statuses use the documented status vocabulary", async () => {
    const body = await getJson<{ status: string }[]>(sim, `/organizations/${orgId}/devices/statuses`);
    for (const row of body) expect(["online", "alerting", "offline", "dormant"]).toContain(row.status);
  });

  it("GET /organizations/{organizationId}/devices/uplinksLossAndLatency", async () => {
    const validate = strictValidator(
      responseSchema("/organizations/{organizationId}/devices/uplinksLossAndLatency"),
    );
    const body = await getJson<unknown[]>(sim, `/organizations/${orgId}/devices/uplinksLossAndLatency`);
    expect(body).toHaveLength(8);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("GET /networks/{networkId}/clients", async () => {
    const validate = strictValidator(responseSchema("/networks/{networkId}/clients"));
    const body = await getJson<unknown[]>(sim, `/networks/${networkId}/clients?perPage=100`);
    expect(body).toHaveLength(12);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });
});
