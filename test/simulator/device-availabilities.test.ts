// getOrganizationDevicesAvailabilities: the spec's shape, Link paging at its perPage limits, its
// filters, and the same story as the (deprecated) statuses of the same devices.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, walkPages } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const PATH = "/organizations/{organizationId}/devices/availabilities";

interface Availability {
  mac: string;
  name: string;
  network: { id: string };
  productType: string;
  serial: string;
  status: string;
  tags: string[];
}

let sim: RunningSimulator;
let orgId: string;
let url: string;

beforeAll(async () => {
  sim = await startMerakiSimulator({
    seed: 5,
    organizations: 2,
    networksPerOrg: 6,
    devicesPerOrg: 250,
    rateLimitPerSecond: 10_000,
    now: fixedClock,
  });
  orgId = sim.dataset.organizations[0]!.id;
  url = `/organizations/${orgId}/devices/availabilities`;
});
afterAll(() => sim.stop());

const orgDevices = () => sim.dataset.devices.filter((d) => d.organizationId === orgId);

describe("GET /organizations/{organizationId}/devices/availabilities", () => {
  it("has exactly the shape of the spec's 200 schema", async () => {
    const validate = strictValidator(responseSchema(PATH));
    const body = await getJson<unknown[]>(sim, url);
    expect(body).toHaveLength(orgDevices().length);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("lists every device of the organisation once, in serial order, with its inventory facts", async () => {
    const body = await getJson<Availability[]>(sim, url);
    expect(body.map((a) => a.serial)).toEqual(orgDevices().map((d) => d.serial));
    for (const [i, device] of orgDevices().entries()) {
      expect(body[i]).toMatchObject({
        mac: device.mac,
        name: device.name,
        network: { id: device.networkId },
        productType: device.productType,
        tags: device.tags,
      });
    }
  });

  it("says what the statuses say, device by device", async () => {
    const availabilities = await getJson<Availability[]>(sim, url);
    const statuses = await getJson<{ serial: string; status: string }[]>(
      sim,
      `/organizations/${orgId}/devices/statuses`,
    );
    expect(availabilities.map((a) => [a.serial, a.status])).toEqual(
      statuses.map((s) => [s.serial, s.status]),
    );
  });

  it("keeps the status of every device that does not report, and lets reporting ones flicker only to alerting or online", async () => {
    const body = await getJson<Availability[]>(sim, url);
    const devices = new Map(orgDevices().map((d) => [d.serial, d]));
    for (const availability of body) {
      const device = devices.get(availability.serial)!;
      if (device.status === "offline" || device.status === "dormant")
        expect(availability.status).toBe(device.status);
      else expect(["online", "alerting"]).toContain(availability.status);
    }
  });

  it("pages with Link at the smallest and the largest perPage", async () => {
    const smallest = await walkPages<Availability>(sim, `${url}?perPage=3`);
    expect(smallest.pages).toBe(Math.ceil(orgDevices().length / 3));
    expect(smallest.items.map((a) => a.serial)).toEqual(orgDevices().map((d) => d.serial));
    const largest = await walkPages<Availability>(sim, `${url}?perPage=1000`);
    expect(largest.pages).toBe(1);
    expect((await get(sim, `${url}?perPage=2`)).status).toBe(400);
    expect((await get(sim, `${url}?perPage=1001`)).status).toBe(400);
  });

  it("filters by status, network, serial and product type", async () => {
    const all = await getJson<Availability[]>(sim, url);
    const network = orgDevices()[0]!.networkId;
    const cases: [string, (a: Availability) => boolean][] = [
      ["statuses[]=offline&statuses[]=dormant", (a) => a.status === "offline" || a.status === "dormant"],
      [`networkIds[]=${network}`, (a) => a.network.id === network],
      [`serials[]=${all[1]!.serial}&serials[]=${all[2]!.serial}`, (a) => a === all[1] || a === all[2]],
      [
        "productTypes[]=switch&productTypes[]=camera",
        (a) => a.productType === "switch" || a.productType === "camera",
      ],
    ];
    for (const [query, keep] of cases) {
      const expected = all.filter(keep).map((a) => a.serial);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(
        (await getJson<Availability[]>(sim, `${url}?${query}`)).map((a) => a.serial),
        query,
      ).toEqual(expected);
    }
  });

  it("filters by tags with any (the default) or all of them", async () => {
    const all = await getJson<Availability[]>(sim, url);
    const [a, b] = ["floor-1", "lobby"];
    const any = await getJson<Availability[]>(sim, `${url}?tags[]=${a}&tags[]=${b}`);
    const every = await getJson<Availability[]>(
      sim,
      `${url}?tags[]=${a}&tags[]=${b}&tagsFilterType=withAllTags`,
    );
    expect(any.map((x) => x.serial)).toEqual(
      all.filter((x) => x.tags.includes(a) || x.tags.includes(b)).map((x) => x.serial),
    );
    expect(every.map((x) => x.serial)).toEqual(
      all.filter((x) => x.tags.includes(a) && x.tags.includes(b)).map((x) => x.serial),
    );
  });

  it("refuses a status, product type or tags filter type outside the spec's vocabulary", async () => {
    for (const query of ["statuses[]=down", "productTypes[]=router", "tagsFilterType=withSomeTags"]) {
      expect((await get(sim, `${url}?${query}`)).status, query).toBe(400);
    }
  });
});
