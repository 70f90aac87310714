import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type ApplianceVpnStatusRow,
  applianceVpnStatusEnvelope,
  applianceVpnStatuses,
  applianceVpnStatusRecords,
} from "../../shared/kinds/appliance-vpn-statuses.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_12345678", { id: "N_12345678", name: "San Francisco Office (inventory)" }]]),
  devices: new Map([
    ["Q234-ABCD-1234", { serial: "Q234-ABCD-1234", name: "SF hub", model: "MX250", networkId: "N_12345678" }],
  ]),
  window: { start: "2026-11-22T09:50:00Z", end: "2026-11-22T10:00:00Z" },
  sweepId: "2026-11-22T10:00:00Z",
  observedAt: "2026-11-22T10:00:01Z",
  topic: "meraki.appliance.vpn-statuses",
};

// The spec's example.
const row: ApplianceVpnStatusRow = {
  networkId: "N_12345678",
  networkName: "San Francisco Office",
  deviceSerial: "Q234-ABCD-1234",
  deviceStatus: "online",
  uplinks: [{ interface: "wan1", publicIp: "1.2.3.4" }],
  vpnMode: "hub",
  exportedSubnets: [{ subnet: "192.168.0.0/24", name: "sales-vlan" }],
  merakiVpnPeers: [
    { networkId: "L_1234", networkName: "New York Office", reachability: "reachable", priority: 1 },
  ],
  thirdPartyVpnPeers: [{ name: "Tokyo Office", publicIp: "222.111.222.111", reachability: "unreachable" }],
};

const envelopesOf = (rows: ApplianceVpnStatusRow[]) =>
  applianceVpnStatusRecords(rows, input).records.map((r) =>
    applianceVpnStatusEnvelope.parse(JSON.parse(r.value)),
  );

const source = {
  organizationId: "2930418",
  organizationName: "My organization",
  networkId: "N_12345678",
  networkName: "San Francisco Office",
  serial: "Q234-ABCD-1234",
  deviceName: "SF hub",
  model: "MX250",
};

describe("applianceVpnStatusRecords", () => {
  it("maps each peer of an appliance, Meraki and third-party, to its own record keyed by serial and peer", () => {
    const { records, dropped } = applianceVpnStatusRecords([row], input);
    expect(dropped).toEqual({});
    expect(records.map((r) => [r.topic, r.key, r.headers.schema])).toEqual([
      ["meraki.appliance.vpn-statuses", "Q234-ABCD-1234:meraki|L_1234", "semaphore.appliance-vpn-status.v1"],
      [
        "meraki.appliance.vpn-statuses",
        "Q234-ABCD-1234:thirdParty|Tokyo Office|222.111.222.111",
        "semaphore.appliance-vpn-status.v1",
      ],
    ]);
  });

  it("writes an Auto VPN peer with its network, reachability and priority", () => {
    const [record] = applianceVpnStatusRecords([row], input).records;
    const id = recordId(
      "semaphore.appliance-vpn-status.v1",
      "2930418",
      "Q234-ABCD-1234|meraki|L_1234",
      input.window.start,
    );
    expect(record!.headers["record-id"]).toBe(id);
    expect(JSON.parse(record!.value)).toEqual({
      schema: "semaphore.appliance-vpn-status.v1",
      id,
      sweepId: "2026-11-22T10:00:00Z",
      observedAt: "2026-11-22T10:00:01Z",
      window: input.window,
      source,
      data: {
        peerType: "meraki",
        peerNetworkId: "L_1234",
        peerNetworkName: "New York Office",
        peerName: null,
        peerPublicIp: null,
        reachability: "reachable",
        priority: 1,
        vpnMode: "hub",
        deviceStatus: "online",
      },
    });
  });

  it("writes a third-party peer with its name and address", () => {
    const [, thirdParty] = envelopesOf([row]);
    expect(thirdParty!.id).toBe(
      recordId(
        "semaphore.appliance-vpn-status.v1",
        "2930418",
        "Q234-ABCD-1234|thirdParty|Tokyo Office|222.111.222.111",
        input.window.start,
      ),
    );
    expect(thirdParty!.source).toEqual(source);
    expect(thirdParty!.data).toEqual({
      peerType: "thirdParty",
      peerNetworkId: null,
      peerNetworkName: null,
      peerName: "Tokyo Office",
      peerPublicIp: "222.111.222.111",
      reachability: "unreachable",
      priority: null,
      vpnMode: "hub",
      deviceStatus: "online",
    });
  });

  it("keeps what the API reported as null as null, naming the network from the inventory", () => {
    const sparse: ApplianceVpnStatusRow = {
      networkId: "N_12345678",
      deviceSerial: "Q234-ABCD-1234",
      merakiVpnPeers: [{ networkId: "L_1234" }],
    };
    const [envelope] = envelopesOf([sparse]);
    expect(envelope!.source.networkName).toBe("San Francisco Office (inventory)");
    expect(envelope!.data).toEqual({
      peerType: "meraki",
      peerNetworkId: "L_1234",
      peerNetworkName: null,
      peerName: null,
      peerPublicIp: null,
      reachability: null,
      priority: null,
      vpnMode: null,
      deviceStatus: null,
    });
  });

  it("drops and counts rows without a serial or peers, peers that name nothing, and repeats", () => {
    const { records, dropped } = applianceVpnStatusRecords(
      [
        row,
        { ...row, deviceSerial: null },
        { ...row, deviceSerial: "Q2AA-AAAA-AAAA", merakiVpnPeers: [], thirdPartyVpnPeers: [] },
        {
          ...row,
          deviceSerial: "Q2BB-BBBB-BBBB",
          merakiVpnPeers: [{ networkName: "no id" }, ...row.merakiVpnPeers!, ...row.merakiVpnPeers!],
          thirdPartyVpnPeers: [{ reachability: "reachable" }],
        },
      ],
      input,
    );
    expect(records).toHaveLength(3);
    expect(dropped).toEqual({ "null-serial": 1, "no-peers": 1, "no-peer-id": 2, "duplicate-peer": 1 });
  });

  it("gives the same ids for the same snapshot slot, and others for the next slot", () => {
    const ids = (extra: Partial<typeof input>) =>
      applianceVpnStatusRecords([row], { ...input, ...extra }).records.map((r) => r.headers["record-id"]);
    const first = ids({});
    expect(ids({ sweepId: "retry" })).toEqual(first);
    const next = ids({ window: { start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:10:00Z" } });
    expect(next.filter((id) => first.includes(id))).toEqual([]);
  });
});

describe("appliance-vpn-statuses metrics", () => {
  const [meraki, thirdParty] = envelopesOf([row]);
  const metric = (name: string) => applianceVpnStatuses.consumer.metrics.find((m) => m.name === name)!;

  it("counts every (appliance, peer) pair by reachability and peer type", () => {
    const peers = metric("VpnPeers");
    expect(
      [meraki, thirdParty].map((e) => [
        peers.dimensions.Reachability!(e!),
        peers.dimensions.PeerType!(e!),
        peers.observe(e!, undefined),
      ]),
    ).toEqual([
      ["reachable", "meraki", "Q234-ABCD-1234|meraki|L_1234"],
      ["unreachable", "thirdParty", "Q234-ABCD-1234|thirdParty|Tokyo Office|222.111.222.111"],
    ]);
  });

  it("counts only unreachable pairs for the alarm", () => {
    const unreachable = metric("VpnPeersUnreachable");
    expect([meraki, thirdParty].map((e) => unreachable.observe(e!, undefined))).toEqual([
      null,
      "Q234-ABCD-1234|thirdParty|Tokyo Office|222.111.222.111",
    ]);
  });
});
