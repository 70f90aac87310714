// GET /organizations/{id}/appliance/vpn/statuses: the spec's shape, paging at its perPage limits,
// the networkIds filter, and a hub-and-spoke Auto VPN consistent with the device and uplink statuses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningSimulator,
  type SimulatorOptions,
  startMerakiSimulator,
} from "../../infra/local/meraki-simulator/index.js";
import { get, getJson, walkPages } from "./helpers.js";
import { describeErrors, responseSchema, strictValidator } from "./spec-schemas.js";

interface MerakiPeer {
  networkId: string;
  networkName: string;
  reachability: string;
  priority: number;
}
interface VpnStatusRow {
  networkId: string;
  networkName: string;
  deviceSerial: string;
  deviceStatus: string;
  uplinks: { interface: string; publicIp: string }[];
  vpnMode: string;
  exportedSubnets: { subnet: string; name: string }[];
  merakiVpnPeers: MerakiPeer[];
  thirdPartyVpnPeers: { name: string; publicIp: string; reachability: string }[];
}
interface UplinkStatusRow {
  serial: string;
  uplinks: { interface: string; status: string; publicIp: string }[];
}

const TEMPLATE = "/organizations/{organizationId}/appliance/vpn/statuses";
const OPTIONS: SimulatorOptions = {
  seed: 5,
  organizations: 2,
  networksPerOrg: 320,
  devicesPerOrg: 900,
  clientsPerNetwork: 0,
  rateLimitPerSecond: 10_000,
  // Inside a 5-minute slot, where some devices flicker between online and alerting (availability.ts).
  now: () => new Date("2026-11-22T10:02:30.000Z"),
};

describe("GET /organizations/{id}/appliance/vpn/statuses", () => {
  let sim: RunningSimulator;
  let orgId: string;
  let path: string;
  let rows: VpnStatusRow[];

  beforeAll(async () => {
    sim = await startMerakiSimulator(OPTIONS);
    orgId = sim.dataset.organizations[0]!.id;
    path = `/organizations/${orgId}/appliance/vpn/statuses`;
    rows = (await walkPages<VpnStatusRow>(sim, path)).items;
  });
  afterAll(() => sim.stop());

  const hubs = () => rows.filter((row) => row.vpnMode === "hub");
  const spokes = () => rows.filter((row) => row.vpnMode === "spoke");
  const applianceOf = (row: VpnStatusRow) => sim.dataset.devices.find((d) => d.serial === row.deviceSerial)!;
  const up = (status: string) => status === "online" || status === "alerting";

  it("has exactly the shape of the spec's 200 schema", () => {
    const validate = strictValidator(responseSchema(TEMPLATE));
    expect(validate(rows), describeErrors(validate)).toBe(true);
  });

  it("lists each of the organisation's networks once, by id, with its MX and the MX's status", async () => {
    const networks = sim.dataset.networks.filter((n) => n.organizationId === orgId);
    expect(rows.map((row) => [row.networkId, row.networkName])).toEqual(networks.map((n) => [n.id, n.name]));
    const statuses = await getJson<{ serial: string; status: string }[]>(
      sim,
      `/organizations/${orgId}/devices/statuses?productTypes[]=appliance`,
    );
    for (const row of rows) {
      const appliance = applianceOf(row);
      expect([appliance.productType, appliance.networkId]).toEqual(["appliance", row.networkId]);
      expect(row.deviceStatus).toBe(statuses.find((s) => s.serial === row.deviceSerial)!.status);
    }
  });

  it("has two hubs, meshed with each other, and every other network a spoke", () => {
    expect(hubs()).toHaveLength(2);
    expect(spokes()).toHaveLength(rows.length - 2);
    const [a, b] = hubs();
    expect(a!.merakiVpnPeers.map((p) => p.networkId)).toContain(b!.networkId);
    expect(b!.merakiVpnPeers.map((p) => p.networkId)).toContain(a!.networkId);
  });

  it("peers every spoke with every hub, ranked 1 and 2, and with no other spoke", () => {
    const hubIds = hubs()
      .map((hub) => hub.networkId)
      .sort();
    for (const spoke of spokes()) {
      expect(spoke.merakiVpnPeers.map((p) => p.networkId).sort()).toEqual(hubIds);
      expect(spoke.merakiVpnPeers.map((p) => p.priority)).toEqual([1, 2]);
    }
  });

  it("lists every spoke at each hub, with the rank the spoke gives that hub", () => {
    for (const hub of hubs()) {
      for (const spoke of spokes()) {
        const atHub = hub.merakiVpnPeers.find((p) => p.networkId === spoke.networkId)!;
        const atSpoke = spoke.merakiVpnPeers.find((p) => p.networkId === hub.networkId)!;
        expect(atHub.priority).toBe(atSpoke.priority);
      }
    }
  });

  it("lets spokes prefer either hub", () => {
    const [a, b] = hubs();
    const firstChoices = new Set(spokes().map((spoke) => spoke.merakiVpnPeers[0]!.networkId));
    expect(firstChoices).toEqual(new Set([a!.networkId, b!.networkId]));
  });

  it("reports a tunnel reachable exactly when the MXs at both ends are online or alerting, at both ends alike", () => {
    const byNetwork = new Map(rows.map((row) => [row.networkId, row]));
    for (const row of rows) {
      for (const peer of row.merakiVpnPeers) {
        const other = byNetwork.get(peer.networkId)!;
        const expected = up(row.deviceStatus) && up(other.deviceStatus) ? "reachable" : "unreachable";
        expect(peer.reachability).toBe(expected);
        expect(other.merakiVpnPeers.find((p) => p.networkId === row.networkId)!.reachability).toBe(expected);
      }
    }
  });

  it("has unreachable tunnels in this organisation, so the rule above is tested both ways", () => {
    const reachabilities = new Set(rows.flatMap((row) => row.merakiVpnPeers.map((p) => p.reachability)));
    expect(reachabilities).toEqual(new Set(["reachable", "unreachable"]));
  });

  it("ends the third-party tunnels at the hubs only, unreachable whenever the hub is down", () => {
    for (const spoke of spokes()) expect(spoke.thirdPartyVpnPeers).toEqual([]);
    const peers = hubs().flatMap((hub) => hub.thirdPartyVpnPeers.map((peer) => ({ hub, peer })));
    expect(peers.length).toBeGreaterThan(0);
    for (const { hub, peer } of peers) {
      if (!up(hub.deviceStatus)) expect(peer.reachability).toBe("unreachable");
      expect(["reachable", "unreachable"]).toContain(peer.reachability);
    }
  });

  it("lists as VPN uplinks the active and ready uplinks of the uplink statuses, with their public addresses", async () => {
    const statuses = await getJson<UplinkStatusRow[]>(
      sim,
      `/organizations/${orgId}/appliance/uplink/statuses`,
    );
    for (const row of rows) {
      const usable = statuses
        .find((s) => s.serial === row.deviceSerial)!
        .uplinks.filter((u) => u.status === "active" || u.status === "ready")
        .map((u) => ({ interface: u.interface, publicIp: u.publicIp }));
      expect(row.uplinks).toEqual(usable);
    }
  });

  it("exports the subnet the network's other devices are addressed in", () => {
    for (const row of rows) {
      const lanIps = sim.dataset.devices
        .filter(
          (d) => d.networkId === row.networkId && ["switch", "wireless", "camera"].includes(d.productType),
        )
        .map((d) => d.lanIp);
      for (const ip of lanIps) {
        expect(row.exportedSubnets.map((s) => s.subnet)).toEqual([
          `${ip.split(".").slice(0, 3).join(".")}.0/24`,
        ]);
      }
    }
  });

  it("walks every network once at the smallest perPage and in two pages at the largest", async () => {
    const small = await walkPages<VpnStatusRow>(sim, `${path}?perPage=3`);
    expect(small.items).toEqual(rows);
    expect(small.pages).toBe(Math.ceil(rows.length / 3));
    const large = await walkPages<VpnStatusRow>(sim, `${path}?perPage=300`);
    expect(large.items).toEqual(rows);
    expect(large.pages).toBe(2);
  });

  it("refuses perPage 2 and 301", async () => {
    for (const perPage of [2, 301]) {
      const response = await get(sim, `${path}?perPage=${perPage}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: ["'perPage' must be an integer between 3 and 300"] });
    }
  });

  it("filters the items by networkIds, keeping their peers", async () => {
    const [hub] = hubs();
    const [spoke] = spokes();
    const filtered = await getJson<VpnStatusRow[]>(
      sim,
      `${path}?networkIds[]=${hub!.networkId}&networkIds[]=${spoke!.networkId}`,
    );
    expect(filtered).toEqual(rows.filter((row) => row === hub || row === spoke));
  });

  it("keeps each organisation's VPN to its own networks", async () => {
    const other = sim.dataset.organizations[1]!.id;
    const otherRows = (await walkPages<VpnStatusRow>(sim, `/organizations/${other}/appliance/vpn/statuses`))
      .items;
    const own = new Set(sim.dataset.networks.filter((n) => n.organizationId === other).map((n) => n.id));
    for (const row of otherRows) {
      for (const peer of row.merakiVpnPeers) expect(own.has(peer.networkId)).toBe(true);
    }
  });

  it("answers the same topology for the same seed", async () => {
    const again = await startMerakiSimulator(OPTIONS);
    try {
      expect((await walkPages<VpnStatusRow>(again, path)).items).toEqual(rows);
    } finally {
      await again.stop();
    }
  });
});

describe("GET /organizations/{id}/appliance/vpn/statuses of a small organisation", () => {
  it("has a single hub below four networks, which every other network peers with", async () => {
    const sim = await startMerakiSimulator({
      ...OPTIONS,
      organizations: 1,
      networksPerOrg: 3,
      devicesPerOrg: 9,
    });
    try {
      const rows = await getJson<VpnStatusRow[]>(
        sim,
        `/organizations/${sim.dataset.organizations[0]!.id}/appliance/vpn/statuses`,
      );
      const hubs = rows.filter((row) => row.vpnMode === "hub");
      expect(hubs).toHaveLength(1);
      for (const row of rows.filter((r) => r.vpnMode === "spoke")) {
        expect(row.merakiVpnPeers.map((p) => [p.networkId, p.priority])).toEqual([[hubs[0]!.networkId, 1]]);
      }
    } finally {
      await sim.stop();
    }
  });
});
