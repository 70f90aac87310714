// The handlers of the organisation-wide appliance operations (uplink statuses, VPN statuses, uplinks
// usage by network), with the parameter rules and the 200 shapes of spec v1.73.0. routes.ts maps
// each operation to one of these; the state they render comes from appliance-uplinks.ts,
// appliance-vpn.ts and appliance-usage.ts, so the three agree with each other, and the devices'
// statuses and last reports from the organisation's availability history (availability.ts), so they
// agree with the device statuses and availabilities too.

import { applianceUplinks } from "./appliance-uplinks.js";
import { applianceUplinkUsage, usageWindow } from "./appliance-usage.js";
import { vpnTopology } from "./appliance-vpn.js";
import { availabilityOf } from "./availability.js";
import type { Catalog } from "./catalog.js";
import type { SimDevice, SimOrganization } from "./dataset.js";
import type { HandlerContext, Reply } from "./operation.js";
import { type PageLimits, paginate } from "./pagination.js";
import { stringSet } from "./query.js";
import { microsecondTimestamp } from "./render.js";

const UPLINK_STATUSES_PAGE: PageLimits = { min: 3, max: 1000, default: 1000 };
const VPN_STATUSES_PAGE: PageLimits = { min: 3, max: 300, default: 300 };

/**
 * One item per MX, by serial. networkIds and serials filter; so does iccids, which no simulated MX
 * matches (none has a SIM: their uplinks are wan1 and wan2, as in uplinksLossAndLatency).
 */
export function organizationApplianceUplinkStatuses(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const networkIds = stringSet(ctx.query, "networkIds");
  const serials = stringSet(ctx.query, "serials");
  const iccids = stringSet(ctx.query, "iccids");
  const appliances = appliancesBySerial(catalog, org).filter(
    (d) =>
      (networkIds === undefined || networkIds.has(d.networkId)) &&
      (serials === undefined || serials.has(d.serial)) &&
      iccids === undefined,
  );
  const page = paginate(appliances, (d) => d.serial, ctx.query, UPLINK_STATUSES_PAGE, ctx.url);
  const availability = availabilityOf(catalog, org, ctx);
  return json(
    page.items.map((device) => ({
      networkId: device.networkId,
      serial: device.serial,
      model: device.model,
      // The same instant the device statuses report for this device.
      lastReportedAt: microsecondTimestamp(availability.lastReportedAtMs(device, ctx.nowMs), device.serial),
      // One MX per simulated network: no warm spare, which the API reports as not enabled, primary.
      highAvailability: { enabled: false, role: "primary" },
      uplinks: applianceUplinks(device, ctx.seed, availability.statusAt(device, ctx.nowMs)).map((uplink) => ({
        interface: uplink.interface,
        status: uplink.status,
        ip: uplink.ip,
        gateway: uplink.gateway,
        publicIp: uplink.publicIp,
        primaryDns: uplink.primaryDns,
        secondaryDns: uplink.secondaryDns,
        ipAssignedBy: uplink.ipAssignedBy,
      })),
    })),
    page.link,
  );
}

/** One item per network with an MX, by network id; networkIds filters the items, not their peers. */
export function organizationApplianceVpnStatuses(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const networkIds = stringSet(ctx.query, "networkIds");
  const availability = availabilityOf(catalog, org, ctx);
  const participants = vpnTopology(
    catalog.networksByOrg.get(org.id) ?? [],
    catalog.devicesByOrg.get(org.id) ?? [],
    ctx.seed,
    (device) => availability.statusAt(device, ctx.nowMs),
  ).filter((p) => networkIds === undefined || networkIds.has(p.network.id));
  const page = paginate(participants, (p) => p.network.id, ctx.query, VPN_STATUSES_PAGE, ctx.url);
  return json(
    page.items.map((p) => ({
      networkId: p.network.id,
      networkName: p.network.name,
      deviceSerial: p.appliance.serial,
      deviceStatus: p.status,
      uplinks: p.uplinks,
      vpnMode: p.mode,
      exportedSubnets: p.exportedSubnets,
      merakiVpnPeers: p.merakiPeers.map((peer) => ({
        networkId: peer.network.id,
        networkName: peer.network.name,
        reachability: peer.reachability,
        priority: peer.priority,
      })),
      thirdPartyVpnPeers: p.thirdPartyPeers,
    })),
    page.link,
  );
}

/** Not paginated in the spec: every network with an MX, in network order, each of its uplinks. */
export function organizationApplianceUplinksUsageByNetwork(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const window = usageWindow(ctx.query, ctx.nowMs);
  const availability = availabilityOf(catalog, org, ctx);
  return json(
    (catalog.appliancesByOrg.get(org.id) ?? []).map((device) => ({
      networkId: device.networkId,
      name: catalog.networkById.get(device.networkId)?.name ?? "",
      byUplink: applianceUplinkUsage(
        device,
        ctx.seed,
        window,
        ctx.nowMs,
        availability.lastReportedAtMs(device, ctx.nowMs),
      ).map((usage) => ({
        serial: device.serial,
        interface: usage.interface,
        sent: usage.sent,
        received: usage.received,
      })),
    })),
  );
}

function appliancesBySerial(catalog: Catalog, org: SimOrganization): SimDevice[] {
  return (catalog.devicesByOrg.get(org.id) ?? []).filter((d) => d.productType === "appliance");
}

function json(body: unknown, link?: string): Reply {
  return { body, headers: link === undefined ? {} : { Link: link } };
}
