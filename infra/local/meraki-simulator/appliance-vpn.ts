// The simulated Auto VPN of each organisation: hub and spoke, deterministic from the seed. Every
// network's MX takes part; one or two of them (two once there are four networks) are the hubs,
// meshed with each other, and every other one is a spoke peering with every hub in its own order of
// priority. The hubs also terminate the third-party tunnels (cloud gateways, a partner). A tunnel is
// reachable when the appliances at both ends are up (online or alerting, which always keeps an
// active uplink, see appliance-uplinks.ts) at the time asked; a third-party peer is down for a few hubs.

import { applianceUplinks, isUsable } from "./appliance-uplinks.js";
import type { DeviceStatus, ProductType, SimDevice, SimNetwork } from "./dataset.js";
import { hash32, unitFromKey } from "./random.js";

export type VpnMode = "hub" | "spoke";
export type Reachability = "reachable" | "unreachable";

export interface MerakiVpnPeer {
  network: SimNetwork;
  reachability: Reachability;
  /** A spoke's rank of the hub (1 the highest); in a hub's list the rank the peer gives this hub. */
  priority: number;
}

export interface ThirdPartyVpnPeer {
  name: string;
  publicIp: string;
  reachability: Reachability;
}

export interface VpnParticipant {
  network: SimNetwork;
  appliance: SimDevice;
  /** The appliance's device status at the time asked. */
  status: DeviceStatus;
  mode: VpnMode;
  /** The uplinks the VPN registry knows (active or ready), with their public addresses. */
  uplinks: { interface: string; publicIp: string }[];
  exportedSubnets: { subnet: string; name: string }[];
  merakiPeers: MerakiVpnPeer[];
  thirdPartyPeers: ThirdPartyVpnPeer[];
}

/** Where the organisation's non-Meraki tunnels end; 198.19.0.0/16 is reserved for testing. */
const THIRD_PARTY_PEERS: readonly { name: string; publicIp: string }[] = [
  { name: "AWS Transit Gateway", publicIp: "198.19.0.10" },
  { name: "Azure VPN Gateway", publicIp: "198.19.0.20" },
  { name: "Partner Datacenter", publicIp: "198.19.0.30" },
];
const THIRD_PARTY_DOWN_SHARE = 0.15;
/** The devices dataset.ts addresses on the site's management subnet behind the MX. */
const ON_MANAGEMENT_SUBNET: ReadonlySet<ProductType> = new Set(["switch", "wireless", "camera"]);
/** Spokes that prefer the second hub (a regional hub closer to them). */
const SECOND_HUB_FIRST_SHARE = 0.3;

/**
 * The organisation's VPN, one participant per network with an MX, in the order of `networks`.
 * `devices` are the organisation's devices (an MX per network, and the devices behind it whose
 * addresses tell the site's LAN); `statusOf` is a device's status at the time asked.
 */
export function vpnTopology(
  networks: readonly SimNetwork[],
  devices: readonly SimDevice[],
  seed: number,
  statusOf: (device: SimDevice) => DeviceStatus,
): VpnParticipant[] {
  const applianceOf = new Map<string, SimDevice>();
  const lanOf = new Map<string, string>();
  for (const device of devices) {
    if (device.productType === "appliance") applianceOf.set(device.networkId, device);
    else if (ON_MANAGEMENT_SUBNET.has(device.productType) && !lanOf.has(device.networkId)) {
      lanOf.set(device.networkId, subnet24(device.lanIp));
    }
  }
  const members = networks.flatMap((network) => {
    const appliance = applianceOf.get(network.id);
    return appliance === undefined ? [] : [{ network, appliance, status: statusOf(appliance) }];
  });
  const hubCount = members.length >= 4 ? 2 : 1;
  const hubs = [...members]
    .sort((a, b) => hubRank(seed, a.network) - hubRank(seed, b.network))
    .slice(0, hubCount);
  const hubIds = new Set(hubs.map((hub) => hub.network.id));
  const hubOrder = (spoke: SimNetwork) =>
    hubs.length > 1 && unitFromKey(`${seed}|${spoke.id}|hub-order`) < SECOND_HUB_FIRST_SHARE
      ? [...hubs].reverse()
      : hubs;
  const up = (member: { status: DeviceStatus }) => member.status === "online" || member.status === "alerting";
  const reachability = (a: { status: DeviceStatus }, b: { status: DeviceStatus }): Reachability =>
    up(a) && up(b) ? "reachable" : "unreachable";

  return members.map((member) => {
    const { network, appliance, status } = member;
    const isHub = hubIds.has(network.id);
    const merakiPeers: MerakiVpnPeer[] = isHub
      ? members
          .filter((peer) => peer.network.id !== network.id)
          .map((peer) => ({
            network: peer.network,
            reachability: reachability(member, peer),
            priority: hubIds.has(peer.network.id)
              ? hubs.findIndex((hub) => hub.network.id === peer.network.id) + 1
              : hubOrder(peer.network).findIndex((hub) => hub.network.id === network.id) + 1,
          }))
      : hubOrder(network).map((hub, rank) => ({
          network: hub.network,
          reachability: reachability(member, hub),
          priority: rank + 1,
        }));
    const hubIndex = hubs.findIndex((hub) => hub.network.id === network.id);
    const thirdPartyPeers = isHub
      ? THIRD_PARTY_PEERS.filter((_, k) => k % hubs.length === hubIndex).map((peer) => ({
          ...peer,
          reachability:
            up(member) && unitFromKey(`${seed}|${appliance.serial}|${peer.name}`) >= THIRD_PARTY_DOWN_SHARE
              ? ("reachable" as const)
              : ("unreachable" as const),
        }))
      : [];
    const lan = lanOf.get(network.id);
    return {
      network,
      appliance,
      status,
      mode: isHub ? "hub" : "spoke",
      uplinks: applianceUplinks(appliance, seed, status)
        .filter(isUsable)
        .map((uplink) => ({ interface: uplink.interface, publicIp: uplink.publicIp })),
      exportedSubnets: lan === undefined ? [] : [{ subnet: lan, name: "Management" }],
      merakiPeers,
      thirdPartyPeers,
    };
  });
}

function hubRank(seed: number, network: SimNetwork): number {
  return hash32(`${seed}|vpn-hub|${network.id}`);
}

/** "10.0.7.23" -> "10.0.7.0/24": the site's management subnet, where its devices behind the MX live. */
function subnet24(ip: string): string {
  return `${ip.split(".").slice(0, 3).join(".")}.0/24`;
}
