import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, SUITE_USER_AGENT } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const PATH = "/networks/{networkId}/devices";

interface NetworkDevice {
  serial: string;
  networkId: string;
  name: string;
  model: string;
  mac: string;
  url: string;
  floorPlanId: string | null;
  beaconIdParams?: { uuid: string; major: number; minor: number };
}

describe("GET /networks/{networkId}/devices", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      seed: 11,
      organizations: 2,
      networksPerOrg: 5,
      devicesPerOrg: 60,
      rateLimitPerSecond: 10_000,
      now: fixedClock,
    });
  });
  beforeEach(() => sim.resetLog());
  afterAll(() => sim.stop());

  const devicesOf = (networkId: string) => sim.dataset.devices.filter((d) => d.networkId === networkId);

  it("answers exactly the spec's 200 schema (beaconIdParams only for access points)", async () => {
    const validate = strictValidator(responseSchema(PATH), ["beaconIdParams"]);
    for (const network of sim.dataset.networks) {
      const body = await getJson<unknown[]>(sim, `/networks/${network.id}/devices`);
      expect(validate(body), describeErrors(validate)).toBe(true);
    }
  });

  it("places no device on a floor plan", async () => {
    const body = await getJson<NetworkDevice[]>(sim, `/networks/${sim.dataset.networks[0]!.id}/devices`);
    expect(body.map((d) => d.floorPlanId)).toEqual(body.map(() => null));
  });

  it("links each device to its own page under its network's Dashboard address", async () => {
    const network = sim.dataset.networks[1]!;
    const networkBase = network.url.replace(/\/manage\/usage\/list$/, "");
    const body = await getJson<NetworkDevice[]>(sim, `/networks/${network.id}/devices`);
    expect(body.map((d) => d.url)).toEqual(
      body.map(
        (d) => `${networkBase}/manage/nodes/new_list/${Number.parseInt(d.mac.replaceAll(":", ""), 16)}`,
      ),
    );
  });

  it("lists every device of the network and no other, sorted by serial, one MX each", async () => {
    for (const network of sim.dataset.networks) {
      const body = await getJson<NetworkDevice[]>(sim, `/networks/${network.id}/devices`);
      const expected = devicesOf(network.id);
      expect(body.map((d) => d.serial)).toEqual(expected.map((d) => d.serial));
      expect(body.every((d) => d.networkId === network.id)).toBe(true);
      expect(body.filter((d) => d.model.startsWith("MX"))).toHaveLength(1);
    }
    const total = await Promise.all(
      sim.dataset.networks.map((n) => getJson<NetworkDevice[]>(sim, `/networks/${n.id}/devices`)),
    );
    expect(total.flat()).toHaveLength(sim.dataset.devices.length);
  });

  it("agrees with the organisation's device list on the shared properties", async () => {
    const network = sim.dataset.networks[3]!;
    const orgDevices = await getJson<Record<string, unknown>[]>(
      sim,
      `/organizations/${network.organizationId}/devices?networkIds[]=${network.id}`,
    );
    const body = await getJson<Record<string, unknown>[]>(sim, `/networks/${network.id}/devices`);
    const { productType: _p, ...shared } = orgDevices[0]!;
    expect(body[0]).toMatchObject(shared);
  });

  it("sends beaconIdParams for access points only, with the network's uuid and major", async () => {
    const network = sim.dataset.networks.find((n) =>
      devicesOf(n.id).some((d) => d.productType === "wireless"),
    )!;
    const body = await getJson<NetworkDevice[]>(sim, `/networks/${network.id}/devices`);
    const byType = new Map(devicesOf(network.id).map((d) => [d.serial, d.productType]));
    const beacons = body.filter((d) => d.beaconIdParams !== undefined);
    expect(beacons.map((d) => d.serial)).toEqual(
      body.filter((d) => byType.get(d.serial) === "wireless").map((d) => d.serial),
    );
    expect(beacons[0]!.beaconIdParams!.uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(new Set(beacons.map((d) => `${d.beaconIdParams!.uuid}|${d.beaconIdParams!.major}`)).size).toBe(1);
  });

  it("answers 404 for an unknown network", async () => {
    const response = await get(sim, "/networks/N_0000000000/devices");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: ["Not found"] });
  });

  it("is logged against the network's organisation", async () => {
    const network = sim.dataset.networks[sim.dataset.networks.length - 1]!;
    await get(sim, `/networks/${network.id}/devices`);
    expect(sim.requests).toEqual([
      {
        method: "GET",
        path: `/networks/${network.id}/devices`,
        query: {},
        status: 200,
        organizationId: network.organizationId,
        userAgent: SUITE_USER_AGENT,
        at: expect.any(Number),
        receivedAt: expect.any(Number),
      },
    ]);
  });
});

describe("GET /networks/{networkId}/devices rate limit", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startMerakiSimulator({ organizations: 2, rateLimitPerSecond: 2, now: fixedClock });
  });
  afterAll(() => sim.stop());

  it("counts against the network's organisation and not another's", async () => {
    const [orgA, orgB] = sim.dataset.organizations;
    const networkOfA = sim.dataset.networks.find((n) => n.organizationId === orgA!.id)!;
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => get(sim, `/networks/${networkOfA.id}/devices`)),
    );
    expect(responses.map((r) => r.status).filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect((await get(sim, `/organizations/${orgA!.id}/devices`)).status).toBe(429);
    expect((await get(sim, `/organizations/${orgB!.id}/devices`)).status).toBe(200);
  });
});
