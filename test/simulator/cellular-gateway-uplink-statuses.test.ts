import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimDevice } from "../../infra/local/meraki-simulator/dataset.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, walkPages } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const TEMPLATE = "/organizations/{organizationId}/cellularGateway/uplink/statuses";

interface UplinkRow {
  networkId: string;
  serial: string;
  model: string;
  lastReportedAt: string;
  uplinks: {
    status: string;
    ip: string;
    iccid: string;
    signalStat: { rsrp: string; rsrq: string };
  }[];
}

describe("GET /organizations/{organizationId}/cellularGateway/uplink/statuses", () => {
  let sim: RunningSimulator;
  let orgId: string;
  let path: string;
  let gateways: SimDevice[];

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      seed: 11,
      organizations: 2,
      networksPerOrg: 20,
      devicesPerOrg: 400,
      now: fixedClock,
      rateLimitPerSecond: 10_000,
    });
    orgId = sim.dataset.organizations[0]!.id;
    path = `/organizations/${orgId}/cellularGateway/uplink/statuses`;
    gateways = sim.dataset.devices.filter(
      (d) => d.organizationId === orgId && d.productType === "cellularGateway",
    );
  });
  afterAll(() => sim.stop());

  it("has exactly the shape of the spec's 200 schema", async () => {
    const validate = strictValidator(responseSchema(TEMPLATE));
    const body = await getJson<unknown[]>(sim, path);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("lists every MG of the organisation, by serial, with its one cellular uplink and SIM", async () => {
    const body = await getJson<UplinkRow[]>(sim, path);
    expect(body.map((row) => [row.serial, row.networkId, row.model, row.uplinks[0]!.iccid])).toEqual(
      gateways.map((d) => [d.serial, d.networkId, d.model, d.cellular!.iccid]),
    );
    expect(body.map((row) => row.uplinks.length)).toEqual(gateways.map(() => 1));
  });

  it("reports an online MG's uplink active with a signal, an offline one's not connected without", async () => {
    const body = await getJson<UplinkRow[]>(sim, path);
    const statuses = await getJson<{ serial: string; status: string }[]>(
      sim,
      `/organizations/${orgId}/devices/statuses?productTypes[]=cellularGateway`,
    );
    const statusOf = new Map(statuses.map((s) => [s.serial, s.status]));
    expect(statuses.length).toBe(body.length);
    for (const row of body) {
      const [uplink] = row.uplinks;
      const deviceStatus = statusOf.get(row.serial);
      if (deviceStatus === "online") {
        expect(uplink!.status).toBe("active");
        expect(Number(uplink!.signalStat.rsrp)).toBeLessThan(-60);
        expect(Number(uplink!.signalStat.rsrq)).toBeLessThan(0);
      }
      if (deviceStatus === "offline" || deviceStatus === "dormant") {
        expect(uplink).toMatchObject({ status: "not connected", ip: "", signalStat: { rsrp: "", rsrq: "" } });
      }
    }
  });

  it("reports lastReportedAt from the device's last report, as device statuses do", async () => {
    const body = await getJson<UplinkRow[]>(sim, path);
    const statuses = await getJson<{ serial: string; lastReportedAt: string }[]>(
      sim,
      `/organizations/${orgId}/devices/statuses?productTypes[]=cellularGateway`,
    );
    const reported = new Map(statuses.map((s) => [s.serial, Date.parse(s.lastReportedAt)]));
    for (const row of body) {
      expect(Math.abs(Date.parse(row.lastReportedAt) - reported.get(row.serial)!)).toBeLessThan(1000);
    }
  });

  it("pages with Link at perPage 3 and at most 1000", async () => {
    const { items, pages } = await walkPages<UplinkRow>(sim, `${path}?perPage=3`);
    expect(items.map((row) => row.serial)).toEqual(gateways.map((d) => d.serial));
    expect(pages).toBe(Math.ceil(gateways.length / 3));
    expect((await get(sim, `${path}?perPage=1001`)).status).toBe(400);
    expect((await get(sim, `${path}?perPage=2`)).status).toBe(400);
  });

  it("filters by networkIds, serials and iccids", async () => {
    const [first, second] = gateways;
    const byNetwork = await getJson<UplinkRow[]>(sim, `${path}?networkIds[]=${first!.networkId}`);
    const bySerial = await getJson<UplinkRow[]>(sim, `${path}?serials[]=${second!.serial}`);
    const byIccid = await getJson<UplinkRow[]>(sim, `${path}?iccids[]=${first!.cellular!.iccid}`);
    expect(byNetwork.map((row) => row.serial)).toEqual(
      gateways.filter((d) => d.networkId === first!.networkId).map((d) => d.serial),
    );
    expect(bySerial.map((row) => row.serial)).toEqual([second!.serial]);
    expect(byIccid.map((row) => row.serial)).toEqual([first!.serial]);
  });

  it("gives the same signal within a 5-minute slot and seed", async () => {
    const twin = await startMerakiSimulator({ ...sim.dataset.options, now: fixedClock });
    try {
      const twinPath = `/organizations/${orgId}/cellularGateway/uplink/statuses`;
      expect(await getJson(twin, twinPath)).toEqual(await getJson(sim, path));
    } finally {
      await twin.stop();
    }
  });
});
