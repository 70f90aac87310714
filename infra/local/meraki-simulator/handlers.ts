// The handlers of the simulated operations: query validation, filtering, paging and rendering,
// with the parameter rules of spec v1.73.0. routes.ts maps each operation to one of these.

import { availabilityOf } from "./availability.js";
import type { Catalog } from "./catalog.js";
import type { DeviceStatus, SimDevice, SimNetwork, SimOrganization } from "./dataset.js";
import { lossAndLatencyHistory } from "./loss-latency-history.js";
import type { HandlerContext, Reply } from "./operation.js";
import { type PageLimits, paginate } from "./pagination.js";
import { enumList, enumValue, type Query, single, stringSet } from "./query.js";
import {
  clientStatus,
  renderClient,
  renderDevice,
  renderDeviceStatus,
  renderNetwork,
  renderNetworkDevice,
  renderOrganization,
} from "./render.js";
import { clientsWindow, uplinkWindow } from "./time-window.js";
import { UPLINK_NAMES, uplinkRows } from "./uplinks.js";

const ORGANIZATIONS_PAGE: PageLimits = { min: 3, max: 9000, default: 9000 };
const NETWORKS_PAGE: PageLimits = { min: 3, max: 100_000, default: 1000 };
const DEVICES_PAGE: PageLimits = { min: 3, max: 5000, default: 1000 };
const STATUSES_PAGE: PageLimits = { min: 3, max: 1000, default: 1000 };
const CLIENTS_PAGE: PageLimits = { min: 3, max: 5000, default: 10 };

/** The productTypes filter vocabulary of networks, devices and device statuses. */
const PRODUCT_TYPES = [
  "appliance",
  "camera",
  "campusGateway",
  "cellularGateway",
  "secureConnect",
  "sensor",
  "switch",
  "systemsManager",
  "wireless",
  "wirelessController",
] as const;
const DEVICE_STATUSES = ["alerting", "dormant", "offline", "online"] as const;
const CLIENT_STATUSES = ["Offline", "Online"] as const;

export function organizations(catalog: Catalog, ctx: HandlerContext): Reply {
  const page = paginate(catalog.organizations, (o) => o.id, ctx.query, ORGANIZATIONS_PAGE, ctx.url);
  return json(page.items.map(renderOrganization), page.link);
}

/** productTypes keeps the networks with at least one of the given product types. */
export function organizationNetworks(catalog: Catalog, org: SimOrganization, ctx: HandlerContext): Reply {
  const productTypes = enumList(ctx.query, "productTypes", PRODUCT_TYPES);
  const networks = (catalog.networksByOrg.get(org.id) ?? []).filter(
    (n) => productTypes === undefined || n.productTypes.some((type) => productTypes.has(type)),
  );
  const page = paginate(networks, (n) => n.id, ctx.query, NETWORKS_PAGE, ctx.url);
  return json(page.items.map(renderNetwork), page.link);
}

export function organizationDevices(catalog: Catalog, org: SimOrganization, ctx: HandlerContext): Reply {
  const devices = filterDevices(catalog.devicesByOrg.get(org.id) ?? [], ctx.query);
  const page = paginate(devices, (d) => d.serial, ctx.query, DEVICES_PAGE, ctx.url);
  return json(page.items.map(renderDevice), page.link);
}

export function organizationDevicesStatuses(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  // The same history as the availabilities, so both operations agree on every device.
  const availability = availabilityOf(catalog, org, ctx);
  const statusOf = (d: SimDevice) => availability.statusAt(d, ctx.nowMs);
  const devices = filterDevices(catalog.devicesByOrg.get(org.id) ?? [], ctx.query, statusOf);
  const page = paginate(devices, (d) => d.serial, ctx.query, STATUSES_PAGE, ctx.url);
  return json(
    page.items.map((d) => renderDeviceStatus(d, statusOf(d), availability.lastReportedAtMs(d, ctx.nowMs))),
    page.link,
  );
}

export function organizationDevicesUplinksLossAndLatency(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const window = uplinkWindow(ctx.query, ctx.nowMs);
  const uplink = enumValue(ctx.query, "uplink", UPLINK_NAMES);
  const rows = uplinkRows(
    catalog.appliancesByOrg.get(org.id) ?? [],
    catalog.networksByOrg.get(org.id) ?? [],
    {
      window,
      uplink,
      ip: single(ctx.query, "ip"),
      seed: ctx.seed,
      nullSerialRows: ctx.faults.nullSerialRows,
      emptyTimeSeriesRows: ctx.faults.emptyTimeSeriesRows,
    },
  );
  return json(rows);
}

export function networkClients(catalog: Catalog, network: SimNetwork, ctx: HandlerContext): Reply {
  const window = clientsWindow(ctx.query, ctx.nowMs);
  const statuses = enumList(ctx.query, "statuses", CLIENT_STATUSES);
  const windowStartSeconds = Math.floor(window.startMs / 1000);
  const nowSeconds = Math.floor(ctx.nowMs / 1000);
  const clients = (catalog.clientsByNetwork.get(network.id) ?? []).filter(
    (c) =>
      nowSeconds - c.lastSeenSecondsAgo >= windowStartSeconds &&
      (statuses === undefined || statuses.has(clientStatus(c))),
  );
  const page = paginate(clients, (c) => c.id, ctx.query, CLIENTS_PAGE, ctx.url);
  return json(
    page.items.map((c) => renderClient(c, ctx.nowMs)),
    page.link,
  );
}

/** Not paginated in the spec (no perPage), so the whole list in one answer. */
export function networkDevices(catalog: Catalog, network: SimNetwork): Reply {
  return json((catalog.devicesByNetwork.get(network.id) ?? []).map(renderNetworkDevice));
}

export function deviceLossAndLatencyHistory(device: SimDevice, ctx: HandlerContext): Reply {
  return json(lossAndLatencyHistory(device, { query: ctx.query, nowMs: ctx.nowMs, seed: ctx.seed }));
}

/** `statusOf` is given where the operation has a statuses filter. */
function filterDevices(
  devices: readonly SimDevice[],
  query: Query,
  statusOf?: (device: SimDevice) => DeviceStatus,
): SimDevice[] {
  const networkIds = stringSet(query, "networkIds");
  const serials = stringSet(query, "serials");
  const models = stringSet(query, "models");
  const productTypes = enumList(query, "productTypes", PRODUCT_TYPES);
  const statuses = statusOf ? enumList(query, "statuses", DEVICE_STATUSES) : undefined;
  return devices.filter(
    (d) =>
      (networkIds === undefined || networkIds.has(d.networkId)) &&
      (serials === undefined || serials.has(d.serial)) &&
      (models === undefined || models.has(d.model)) &&
      (productTypes === undefined || productTypes.has(d.productType)) &&
      (statuses === undefined || statusOf === undefined || statuses.has(statusOf(d))),
  );
}

function json(body: unknown, link?: string): Reply {
  return { body, headers: link === undefined ? {} : { Link: link } };
}
