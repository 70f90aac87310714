import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, linkRels, walkPages } from "./helpers.js";

describe("Link header pagination", () => {
  let sim: RunningSimulator;
  let orgId: string;
  let devicesPath: string;
  let serials: string[];

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      seed: 3,
      organizations: 1,
      networksPerOrg: 10,
      devicesPerOrg: 50,
      clientsPerNetwork: 23,
      rateLimitPerSecond: 10_000,
      now: fixedClock,
    });
    orgId = sim.dataset.organizations[0]!.id;
    devicesPath = `/organizations/${orgId}/devices`;
    serials = sim.dataset.devices.map((d) => d.serial);
  });
  afterAll(() => sim.stop());

  it("links the first page as first, next and last with absolute URLs", async () => {
    const response = await get(sim, `${devicesPath}?perPage=3`);
    const url = `${sim.baseUrl}${devicesPath}`;
    expect(response.headers.get("link")).toBe(
      `<${url}?perPage=3>; rel=first, ` +
        `<${url}?perPage=3&startingAfter=${serials[2]}>; rel=next, ` +
        `<${url}?perPage=3&endingBefore=%7E>; rel=last`,
    );
  });

  it("walks every device exactly once, in serial order, by following rel=next", async () => {
    const { items, pages } = await walkPages<{ serial: string }>(sim, `${devicesPath}?perPage=7`);
    expect(items.map((d) => d.serial)).toEqual(serials);
    expect(pages).toBe(8);
  });

  it("walks every network exactly once", async () => {
    const { items, pages } = await walkPages<{ id: string }>(
      sim,
      `/organizations/${orgId}/networks?perPage=3`,
    );
    expect(items.map((n) => n.id)).toEqual(sim.dataset.networks.map((n) => n.id));
    expect(pages).toBe(4);
  });

  it("walks every client of a network exactly once", async () => {
    const network = sim.dataset.networks[0]!;
    const { items, pages } = await walkPages<{ id: string }>(
      sim,
      `/networks/${network.id}/clients?perPage=5`,
    );
    expect(items.map((c) => c.id)).toEqual(sim.dataset.clientsByNetwork.get(network.id)!.map((c) => c.id));
    expect(pages).toBe(5);
  });

  it("walks every device status exactly once", async () => {
    const { items } = await walkPages<{ serial: string }>(
      sim,
      `/organizations/${orgId}/devices/statuses?perPage=9`,
    );
    expect(items.map((d) => d.serial)).toEqual(serials);
  });

  it("omits rel=next on the last page", async () => {
    const response = await get(sim, `${devicesPath}?perPage=7&startingAfter=${serials[42]}`);
    expect(((await response.json()) as unknown[]).length).toBe(7);
    expect(Object.keys(linkRels(response.headers.get("link")))).toEqual(["first", "prev", "last"]);
  });

  it("adds rel=prev after the first page, pointing at the previous page", async () => {
    const second = await get(sim, `${devicesPath}?perPage=5&startingAfter=${serials[4]}`);
    const prev = linkRels(second.headers.get("link")).prev!;
    expect(prev).toBe(`${sim.baseUrl}${devicesPath}?perPage=5&endingBefore=${serials[5]}`);
    const previousPage = (await (await get(sim, prev)).json()) as { serial: string }[];
    expect(previousPage.map((d) => d.serial)).toEqual(serials.slice(0, 5));
  });

  it("serves the last perPage items at rel=last", async () => {
    const first = await get(sim, `${devicesPath}?perPage=6`);
    const last = await get(sim, linkRels(first.headers.get("link")).last!);
    expect(((await last.json()) as { serial: string }[]).map((d) => d.serial)).toEqual(serials.slice(44));
  });

  it("keeps filters in every link", async () => {
    const wireless = sim.dataset.devices.filter((d) => d.productType === "wireless").map((d) => d.serial);
    const { items } = await walkPages<{ serial: string; productType: string }>(
      sim,
      `${devicesPath}?productTypes[]=wireless&perPage=4`,
    );
    expect(items.map((d) => d.serial)).toEqual(wireless);
  });

  it("defaults to 10 clients per page", async () => {
    const network = sim.dataset.networks[1]!;
    const response = await get(sim, `/networks/${network.id}/clients`);
    expect((await response.json()) as unknown[]).toHaveLength(10);
    expect(linkRels(response.headers.get("link")).next).toContain("perPage=10&startingAfter=");
  });

  it("defaults to 1000 devices per page", async () => {
    const response = await get(sim, devicesPath);
    expect((await response.json()) as unknown[]).toHaveLength(50);
    expect(linkRels(response.headers.get("link")).next).toBeUndefined();
  });

  it.each([
    ["organisations below 3", "/organizations?perPage=2", "'perPage' must be an integer between 3 and 9000"],
    [
      "organisations above 9000",
      "/organizations?perPage=9001",
      "'perPage' must be an integer between 3 and 9000",
    ],
    [
      "devices below 3",
      "/organizations/{org}/devices?perPage=2",
      "'perPage' must be an integer between 3 and 5000",
    ],
    [
      "devices above 5000",
      "/organizations/{org}/devices?perPage=5001",
      "'perPage' must be an integer between 3 and 5000",
    ],
    [
      "statuses above 1000",
      "/organizations/{org}/devices/statuses?perPage=1001",
      "'perPage' must be an integer between 3 and 1000",
    ],
    [
      "networks above 100000",
      "/organizations/{org}/networks?perPage=100001",
      "'perPage' must be an integer between 3 and 100000",
    ],
    [
      "clients above 5000",
      "/networks/{net}/clients?perPage=5001",
      "'perPage' must be an integer between 3 and 5000",
    ],
    [
      "a non-number",
      "/organizations/{org}/devices?perPage=ten",
      "'perPage' must be an integer between 3 and 5000",
    ],
  ])("rejects perPage for %s with 400", async (_name, template, message) => {
    const path = template.replace("{org}", orgId).replace("{net}", sim.dataset.networks[0]!.id);
    const response = await get(sim, path);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [message] });
  });

  it.each([
    ["organisations", "/organizations?perPage=9000"],
    ["networks", "/organizations/{org}/networks?perPage=100000"],
    ["devices", "/organizations/{org}/devices?perPage=5000"],
    ["statuses", "/organizations/{org}/devices/statuses?perPage=1000"],
    ["clients", "/networks/{net}/clients?perPage=5000"],
  ])("accepts the largest documented perPage for %s", async (_name, template) => {
    const path = template.replace("{org}", orgId).replace("{net}", sim.dataset.networks[0]!.id);
    expect((await get(sim, path)).status).toBe(200);
  });
});

describe("Link header pagination of GET /organizations", () => {
  let sim: RunningSimulator;
  let orgIds: string[];

  beforeAll(async () => {
    // Seed 187 gives ids 975107 ... 1006783: the last one gains a digit and sorts first.
    sim = await startMerakiSimulator({ seed: 187, organizations: 5, now: fixedClock });
    orgIds = sim.dataset.organizations.map((o) => o.id).sort();
  });
  afterAll(() => sim.stop());

  it("walks every organisation exactly once, in id order", async () => {
    const { items, pages } = await walkPages<{ id: string }>(sim, "/organizations?perPage=3");
    expect(items.map((o) => o.id)).toEqual(orgIds);
    expect(pages).toBe(2);
  });

  it("orders by id in code-unit order, like the cursors, not in the dataset's order", async () => {
    const { items } = await walkPages<{ id: string }>(sim, "/organizations?perPage=3");
    expect(items.map((o) => o.id)).toEqual(["1006783", "975107", "983026", "990945", "998864"]);
    expect(sim.dataset.organizations.map((o) => o.id)).toEqual([
      "975107",
      "983026",
      "990945",
      "998864",
      "1006783",
    ]);
  });

  it("links the organisations like every other listing", async () => {
    const response = await get(sim, "/organizations?perPage=3");
    const url = `${sim.baseUrl}/organizations`;
    expect(response.headers.get("link")).toBe(
      `<${url}?perPage=3>; rel=first, ` +
        `<${url}?perPage=3&startingAfter=${orgIds[2]}>; rel=next, ` +
        `<${url}?perPage=3&endingBefore=%7E>; rel=last`,
    );
  });

  it("defaults to 9000 organisations per page", async () => {
    const response = await get(sim, "/organizations");
    expect((await response.json()) as unknown[]).toHaveLength(5);
    expect(linkRels(response.headers.get("link")).next).toBeUndefined();
  });
});
