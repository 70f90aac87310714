// The wireless operations: channel utilization and packet loss per access point over a window, and
// the clients online on each access point now. Parameter rules of spec v1.73.0; the filters
// simulated are networkIds[] and serials[] (all three), bands[] (packet loss) and
// campusGatewayClusterIds[] (clients overview: no simulated access point is in a cluster).

import { availabilityOf } from "./availability.js";
import { type Catalog, devicesOfType } from "./catalog.js";
import type { SimDevice, SimOrganization } from "./dataset.js";
import { isReporting } from "./device-reporting.js";
import { badRequest } from "./errors.js";
import { itemsPage } from "./items-page.js";
import type { HandlerContext, Reply } from "./operation.js";
import { type PageLimits, paginate } from "./pagination.js";
import { enumList, list, type Query, single, stringSet } from "./query.js";
import { clientStatus } from "./render.js";
import {
  channelUtilizationItems,
  packetLossItems,
  type ReportsAt,
  WIRELESS_BANDS,
} from "./wireless-telemetry.js";
import { wirelessWindow } from "./wireless-window.js";

/** "Acceptable range is 3 - 1000. Default is 1000." for all three. */
const WIRELESS_PAGE: PageLimits = { min: 3, max: 1000, default: 1000 };
const UTILIZATION_INTERVALS = [300, 600, 3600, 7200, 14_400, 21_600] as const;
const DEFAULT_UTILIZATION_INTERVAL = 3600;
const PACKET_LOSS_MIN_SPAN_SECONDS = 300;

export function organizationWirelessDevicesChannelUtilizationByDevice(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const interval = utilizationInterval(ctx.query);
  const window = wirelessWindow(ctx.query, ctx.nowMs, interval);
  const items = channelUtilizationItems(accessPoints(catalog, org, ctx.query), {
    window,
    nowMs: ctx.nowMs,
    seed: ctx.seed,
    reportsAt: reportsAt(catalog, org, ctx),
  });
  const page = paginate(items, (item) => item.serial, ctx.query, WIRELESS_PAGE, ctx.url);
  return { body: page.items, headers: { Link: page.link } };
}

export function organizationWirelessDevicesPacketLossByDevice(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const bands = enumList(ctx.query, "bands", WIRELESS_BANDS);
  const window = wirelessWindow(ctx.query, ctx.nowMs, PACKET_LOSS_MIN_SPAN_SECONDS);
  const items = packetLossItems(accessPoints(catalog, org, ctx.query), catalog.networkById, {
    window,
    nowMs: ctx.nowMs,
    seed: ctx.seed,
    reportsAt: reportsAt(catalog, org, ctx),
    bands,
  });
  const page = paginate(items, (item) => item.device.serial, ctx.query, WIRELESS_PAGE, ctx.url);
  return { body: page.items, headers: { Link: page.link } };
}

/**
 * The clients getNetworkClients reports Online whose last device is the access point, over Wi-Fi:
 * the two operations agree on every access point.
 */
export function organizationWirelessClientsOverviewByDevice(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const clusters = list(ctx.query, "campusGatewayClusterIds");
  const aps = clusters === undefined ? accessPoints(catalog, org, ctx.query) : [];
  return itemsPage(
    aps,
    (ap) => ap.serial,
    (ap) => ({
      network: { id: ap.networkId },
      serial: ap.serial,
      counts: { byStatus: { online: onlineWirelessClients(catalog, ap) } },
    }),
    ctx,
    WIRELESS_PAGE,
  );
}

export function onlineWirelessClients(catalog: Catalog, ap: SimDevice): number {
  return (catalog.clientsByNetwork.get(ap.networkId) ?? []).filter(
    (c) =>
      c.recentDeviceConnection === "Wireless" &&
      c.recentDeviceSerial === ap.serial &&
      clientStatus(c) === "Online",
  ).length;
}

/** Whether a device reported at an instant, by the organisation's availability history. */
function reportsAt(catalog: Catalog, org: SimOrganization, ctx: HandlerContext): ReportsAt {
  const availability = availabilityOf(catalog, org, ctx);
  return (device, ms) => isReporting(availability.statusAt(device, ms));
}

/** The organisation's access points in serial order, narrowed by networkIds[] and serials[]. */
function accessPoints(catalog: Catalog, org: SimOrganization, query: Query): SimDevice[] {
  const networkIds = stringSet(query, "networkIds");
  const serials = stringSet(query, "serials");
  return devicesOfType(catalog, org.id, "wireless").filter(
    (d) =>
      (networkIds === undefined || networkIds.has(d.networkId)) &&
      (serials === undefined || serials.has(d.serial)),
  );
}

function utilizationInterval(query: Query): number {
  const raw = single(query, "interval");
  if (raw === undefined) return DEFAULT_UTILIZATION_INTERVAL;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(UTILIZATION_INTERVALS as readonly number[]).includes(value)) {
    throw badRequest(`'interval' must be one of: ${UTILIZATION_INTERVALS.join(", ")}`);
  }
  return value;
}
