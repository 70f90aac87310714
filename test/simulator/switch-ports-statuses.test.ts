// getOrganizationSwitchPortsStatusesBySwitch: the spec's `{items, meta}` shape, ports from each
// model's layout, statuses that agree with the switch's status and with getNetworkClients, filters
// and Link paging at the perPage limits (3 - 20).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELS } from "../../infra/local/meraki-simulator/fixtures.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { SWITCH_PORT_LAYOUTS, switchPortLayout } from "../../infra/local/meraki-simulator/switch-models.js";
import { fixedClock, get, getJson, NOW } from "./helpers.js";
import { walkItemPages } from "./items-pages.js";
import { reportingOf } from "./reporting.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

const PATH = "/organizations/{organizationId}/switch/ports/statuses/bySwitch";

interface Port {
  portId: string;
  enabled: boolean;
  status: string;
  isUplink: boolean;
  errors: string[];
  warnings: string[];
  speed: string;
  duplex: string;
  poe: { isAllocated: boolean };
}
interface Item {
  name: string;
  serial: string;
  mac: string;
  network: { name: string; id: string };
  model: string;
  ports: Port[];
}
interface Client {
  switchport: string;
  recentDeviceSerial: string;
  recentDeviceConnection: string;
}

let sim: RunningSimulator;
let orgId: string;
let path: string;
let switches: Item[];

const switchDevices = () =>
  sim.dataset.devices.filter((d) => d.organizationId === orgId && d.productType === "switch");
/** The listed switches whose status now (the availability history's) is one of these. */
const withStatus = (...statuses: string[]) => {
  const history = reportingOf(sim, orgId, NOW);
  const bySerial = new Map(switchDevices().map((d) => [d.serial, d]));
  return switches.filter((s) => statuses.includes(history.statusAt(bySerial.get(s.serial)!, NOW.getTime())));
};

beforeAll(async () => {
  sim = await startMerakiSimulator({
    seed: 11,
    organizations: 2,
    networksPerOrg: 6,
    devicesPerOrg: 300,
    clientsPerNetwork: 60,
    rateLimitPerSecond: 10_000,
    now: fixedClock,
  });
  orgId = sim.dataset.organizations[0]!.id;
  path = `/organizations/${orgId}/switch/ports/statuses/bySwitch`;
  switches = (await walkItemPages<Item>(sim, `${path}?perPage=20`)).items;
});
afterAll(() => sim.stop());

describe("getOrganizationSwitchPortsStatusesBySwitch", () => {
  it("answers exactly the spec's 200 schema", async () => {
    const validate = strictValidator(responseSchema(PATH));
    const body = await getJson<{ items: unknown[] }>(sim, `${path}?perPage=20`);
    expect(body.items).toHaveLength(20);
    expect(validate(body), describeErrors(validate)).toBe(true);
  });

  it("lists every switch of the organisation once, by serial, named as the inventory names it", () => {
    const networks = new Map(sim.dataset.networks.map((n) => [n.id, n.name]));
    expect(switches.map((s) => [s.serial, s.name, s.mac, s.model, s.network])).toEqual(
      switchDevices().map((d) => [
        d.serial,
        d.name,
        d.mac,
        d.model,
        { name: networks.get(d.networkId), id: d.networkId },
      ]),
    );
  });

  it("has a port layout for every simulated switch model", () => {
    expect(MODELS.switch.filter((model) => SWITCH_PORT_LAYOUTS[model] === undefined)).toEqual([]);
  });

  it("lists each model's access ports from 1 and then its uplink ports, the first of them the uplink", () => {
    for (const s of switches) {
      const layout = switchPortLayout(s.model);
      const access = Array.from({ length: layout.accessPorts }, (_, i) => String(i + 1));
      expect(s.ports.map((p) => p.portId)).toEqual([...access, ...layout.uplinkPortIds]);
      expect(s.ports.filter((p) => p.isUplink).map((p) => p.portId)).toEqual([layout.uplinkPortIds[0]]);
    }
  });

  it("reports no port connected on a switch that is offline or dormant", () => {
    const down = withStatus("offline", "dormant");
    expect(down.length).toBeGreaterThan(0);
    for (const s of down) expect(s.ports.filter((p) => p.status === "Connected")).toEqual([]);
  });

  it("connects the uplink of every switch that is online or alerting", () => {
    for (const s of withStatus("online", "alerting")) {
      expect(s.ports.find((p) => p.isUplink)!.status).toBe("Connected");
    }
  });

  it("connects the port of every online wired client getNetworkClients reports on a switch", async () => {
    const bySerial = new Map(switches.map((s) => [s.serial, s]));
    let checked = 0;
    for (const network of sim.dataset.networks.filter((n) => n.organizationId === orgId)) {
      const clients = await getJson<Client[]>(
        sim,
        `/networks/${network.id}/clients?perPage=5000&statuses[]=Online`,
      );
      for (const c of clients.filter(
        (c) => c.recentDeviceConnection === "Wired" && bySerial.has(c.recentDeviceSerial),
      )) {
        const port = bySerial.get(c.recentDeviceSerial)!.ports.find((p) => p.portId === c.switchport);
        expect(port, `${c.recentDeviceSerial} port ${c.switchport}`).toMatchObject({
          enabled: true,
          status: "Connected",
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("places every wired client of a switch on one of its access ports", () => {
    const layouts = new Map(switchDevices().map((d) => [d.serial, switchPortLayout(d.model)]));
    for (const client of [...sim.dataset.clientsByNetwork.values()].flat()) {
      const layout = layouts.get(client.recentDeviceSerial);
      if (layout === undefined || client.recentDeviceConnection !== "Wired") continue;
      expect(Number(client.switchport)).toBeGreaterThanOrEqual(1);
      expect(Number(client.switchport)).toBeLessThanOrEqual(layout.accessPorts);
    }
  });

  it("reports errors only on alerting switches, and every alerting switch has a connected port with one", () => {
    const alerting = new Set(withStatus("alerting").map((s) => s.serial));
    expect(alerting.size).toBeGreaterThan(0);
    for (const s of switches) {
      const erroring = s.ports.filter((p) => p.errors.length > 0);
      if (alerting.has(s.serial)) expect(erroring.some((p) => p.status === "Connected")).toBe(true);
      else expect(erroring).toEqual([]);
    }
  });

  it("gives a speed, duplex and PoE only to connected ports", () => {
    for (const port of switches.flatMap((s) => s.ports)) {
      if (port.status === "Connected") {
        expect(port.speed).not.toBe("");
        expect(port.duplex).toBe("full");
      } else {
        expect([port.speed, port.duplex, port.poe.isAllocated]).toEqual(["", "", false]);
      }
    }
  });

  it("marks a port Disabled exactly when it is not enabled", () => {
    for (const port of switches.flatMap((s) => s.ports))
      expect(port.status === "Disabled").toBe(!port.enabled);
  });

  it("answers the same ports every time", async () => {
    expect((await walkItemPages<Item>(sim, `${path}?perPage=20`)).items).toEqual(switches);
  });

  it("filters by networkIds[] and serials[]", async () => {
    const [first] = switchDevices();
    const byNetwork = await walkItemPages<Item>(sim, `${path}?perPage=20&networkIds[]=${first!.networkId}`);
    const bySerial = await getJson<{ items: Item[] }>(sim, `${path}?serials[]=${first!.serial}`);
    expect(byNetwork.items.map((s) => s.serial)).toEqual(
      switchDevices()
        .filter((d) => d.networkId === first!.networkId)
        .map((d) => d.serial),
    );
    expect(bySerial.items.map((s) => s.serial)).toEqual([first!.serial]);
  });

  it("pages with Link at the smallest perPage, every switch once, meta counting what remains", async () => {
    const total = switchDevices().length;
    const { items, metas } = await walkItemPages<Item>(sim, `${path}?perPage=3`);
    expect(items.map((s) => s.serial)).toEqual(switchDevices().map((d) => d.serial));
    expect(metas.map((m) => m.counts.items)).toEqual(
      metas.map((_, page) => ({ total, remaining: Math.max(0, total - 3 * (page + 1)) })),
    );
  });

  it("pages 20 switches at a time at the largest perPage, and 10 by default", async () => {
    const largest = await walkItemPages<Item>(sim, `${path}?perPage=20`);
    const first = await getJson<{ items: Item[] }>(sim, path);
    expect(largest.pages).toBe(Math.ceil(switchDevices().length / 20));
    expect(first.items).toHaveLength(10);
  });

  it.each([
    ["below", 2],
    ["above", 21],
  ])("refuses a perPage %s the range with 400", async (_where, perPage) => {
    const response = await get(sim, `${path}?perPage=${perPage}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: ["'perPage' must be an integer between 3 and 20"] });
  });
});
