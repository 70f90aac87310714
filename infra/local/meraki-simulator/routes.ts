// Operation routing and handlers. Resolution happens before rate limiting and faults because both
// need the organisation a request counts against, and an unknown org or network is a 404 no matter
// what else is going on.

import type { Catalog } from "./catalog.js";
import type { SimDevice } from "./dataset.js";
import { ApiError, badRequest, notFound } from "./errors.js";
import type { FaultState } from "./faults.js";
import { lossAndLatencyHistory } from "./loss-latency-history.js";
import { type PageLimits, paginate } from "./pagination.js";
import { enumList, type Query, single, stringSet } from "./query.js";
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

export interface Reply {
  body: unknown;
  headers: Record<string, string>;
}

export interface HandlerContext {
  query: Query;
  /** Absolute URL of the request, the base for pagination links. */
  url: URL;
  nowMs: number;
  seed: number;
  faults: FaultState;
}

export interface ResolvedRoute {
  organizationId: string | undefined;
  handle(ctx: HandlerContext): Reply;
}

const NETWORKS_PAGE: PageLimits = { min: 3, max: 100_000, default: 1000 };
const DEVICES_PAGE: PageLimits = { min: 3, max: 1000, default: 1000 };
const STATUSES_PAGE: PageLimits = { min: 3, max: 1000, default: 1000 };
const CLIENTS_PAGE: PageLimits = { min: 3, max: 5000, default: 10 };

const PRODUCT_TYPES = [
  "appliance",
  "camera",
  "cellularGateway",
  "sensor",
  "switch",
  "systemsManager",
  "wireless",
] as const;
const DEVICE_STATUSES = ["alerting", "dormant", "offline", "online"] as const;
const CLIENT_STATUSES = ["Offline", "Online"] as const;

/** Throws ApiError 404/405 when nothing matches. `path` has no /api/v1 prefix and no query. */
export function resolveRoute(catalog: Catalog, method: string, path: string): ResolvedRoute {
  const segments = path.split("/").slice(1).map(decodeSegment);
  const route = match(catalog, segments);
  if (route === undefined) throw notFound();
  if (method !== "GET") throw new ApiError(405, "Method not allowed", { Allow: "GET" });
  return route;
}

function match(catalog: Catalog, segments: string[]): ResolvedRoute | undefined {
  const [root, id, ...rest] = segments;
  if (root === "organizations" && id === undefined) {
    return { organizationId: undefined, handle: () => json(catalog.organizations.map(renderOrganization)) };
  }
  if (root === "organizations" && id !== undefined) {
    const tail = rest.join("/");
    const handler = ORGANIZATION_HANDLERS.get(tail);
    if (handler === undefined) return undefined;
    if (!catalog.organizationById.has(id)) throw notFound();
    return { organizationId: id, handle: (ctx) => handler(catalog, id, ctx) };
  }
  if (root === "networks" && id !== undefined) {
    const handler = NETWORK_HANDLERS.get(rest.join("/"));
    if (handler === undefined) return undefined;
    const network = catalog.networkById.get(id);
    if (network === undefined) throw notFound();
    return { organizationId: network.organizationId, handle: (ctx) => handler(catalog, id, ctx) };
  }
  if (root === "devices" && id !== undefined && rest.join("/") === "lossAndLatencyHistory") {
    const device = catalog.deviceBySerial.get(id);
    if (device === undefined) throw notFound();
    return {
      organizationId: device.organizationId,
      handle: (ctx) =>
        json(lossAndLatencyHistory(device, { query: ctx.query, nowMs: ctx.nowMs, seed: ctx.seed })),
    };
  }
  return undefined;
}

type OrganizationHandler = (catalog: Catalog, organizationId: string, ctx: HandlerContext) => Reply;

// A Map, not an object literal: a path segment like "constructor" must not find a prototype member.
const ORGANIZATION_HANDLERS = new Map<string, OrganizationHandler>([
  [
    "networks",
    (catalog, orgId, ctx) => {
      const page = paginate(
        catalog.networksByOrg.get(orgId) ?? [],
        (n) => n.id,
        ctx.query,
        NETWORKS_PAGE,
        ctx.url,
      );
      return json(page.items.map(renderNetwork), page.link);
    },
  ],
  [
    "devices",
    (catalog, orgId, ctx) => {
      const devices = filterDevices(catalog.devicesByOrg.get(orgId) ?? [], ctx.query, false);
      const page = paginate(devices, (d) => d.serial, ctx.query, DEVICES_PAGE, ctx.url);
      return json(page.items.map(renderDevice), page.link);
    },
  ],
  [
    "devices/statuses",
    (catalog, orgId, ctx) => {
      const devices = filterDevices(catalog.devicesByOrg.get(orgId) ?? [], ctx.query, true);
      const page = paginate(devices, (d) => d.serial, ctx.query, STATUSES_PAGE, ctx.url);
      return json(
        page.items.map((d) => renderDeviceStatus(d, ctx.nowMs)),
        page.link,
      );
    },
  ],
  [
    "devices/uplinksLossAndLatency",
    (catalog, orgId, ctx) => {
      const window = uplinkWindow(ctx.query, ctx.nowMs);
      const uplink = single(ctx.query, "uplink");
      if (uplink !== undefined && !isUplinkName(uplink)) {
        throw badRequest(`'uplink' must be one of: ${UPLINK_NAMES.join(", ")}`);
      }
      const rows = uplinkRows(
        catalog.appliancesByOrg.get(orgId) ?? [],
        catalog.networksByOrg.get(orgId) ?? [],
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
    },
  ],
]);

type NetworkHandler = (catalog: Catalog, networkId: string, ctx: HandlerContext) => Reply;

const NETWORK_HANDLERS = new Map<string, NetworkHandler>([
  ["clients", (catalog, networkId, ctx) => networkClients(catalog, networkId, ctx)],
  // getNetworkDevices: not paginated in the spec (no perPage), so the whole list in one answer.
  [
    "devices",
    (catalog, networkId) => json((catalog.devicesByNetwork.get(networkId) ?? []).map(renderNetworkDevice)),
  ],
]);

/**
 * getNetworkClients. The spec (v1.42.0) declares its 200 schema as a single object, but the real
 * API answers with an array of such objects, and so does the simulator.
 */
function networkClients(catalog: Catalog, networkId: string, ctx: HandlerContext): Reply {
  const window = clientsWindow(ctx.query, ctx.nowMs);
  const statuses = enumList(ctx.query, "statuses", CLIENT_STATUSES);
  const windowStartSeconds = Math.floor(window.startMs / 1000);
  const nowSeconds = Math.floor(ctx.nowMs / 1000);
  const clients = (catalog.clientsByNetwork.get(networkId) ?? []).filter(
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

function filterDevices(devices: readonly SimDevice[], query: Query, withStatuses: boolean): SimDevice[] {
  const networkIds = stringSet(query, "networkIds");
  const serials = stringSet(query, "serials");
  const models = stringSet(query, "models");
  const productTypes = enumList(query, "productTypes", PRODUCT_TYPES);
  const statuses = withStatuses ? enumList(query, "statuses", DEVICE_STATUSES) : undefined;
  return devices.filter(
    (d) =>
      (networkIds === undefined || networkIds.has(d.networkId)) &&
      (serials === undefined || serials.has(d.serial)) &&
      (models === undefined || models.has(d.model)) &&
      (productTypes === undefined || productTypes.has(d.productType)) &&
      (statuses === undefined || statuses.has(d.status)),
  );
}

function json(body: unknown, link?: string): Reply {
  return { body, headers: link === undefined ? {} : { Link: link } };
}

function isUplinkName(value: string): value is (typeof UPLINK_NAMES)[number] {
  return (UPLINK_NAMES as readonly string[]).includes(value);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound();
  }
}
