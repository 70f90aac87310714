// The handlers of the availability operations (availabilities, their change history) and of the
// assurance alerts, with the parameter rules of spec v1.73.0. All three read one organisation's
// availability history (availability.ts), so they agree with each other and with the statuses.

import {
  ALERT_CATEGORIES,
  ALERT_DEVICE_TYPES,
  booleanParameter,
  knownAlerts,
  type SimAlert,
} from "./alerts.js";
import { type AvailabilityChange, availabilityOf } from "./availability.js";
import type { Catalog } from "./catalog.js";
import type { SimDevice, SimOrganization } from "./dataset.js";
import { badRequest } from "./errors.js";
import type { HandlerContext, Reply } from "./operation.js";
import { type PageLimits, paginate } from "./pagination.js";
import { enumList, enumValue, list, type Query, single, stringSet } from "./query.js";
import { microsecondTimestamp } from "./render.js";
import { optionalSeconds, optionalTime, type TimeWindow } from "./time-window.js";
import { isoSeconds } from "./uplinks.js";

const AVAILABILITIES_PAGE: PageLimits = { min: 3, max: 1000, default: 1000 };
const CHANGE_HISTORY_PAGE: PageLimits = { min: 3, max: 1000, default: 1000 };
const ALERTS_PAGE: PageLimits = { min: 4, max: 300, default: 30 };

const DEVICE_STATUSES = ["alerting", "dormant", "offline", "online"] as const;
/** The productTypes the availabilities' filter accepts (its description; the schema has no enum). */
const AVAILABILITY_PRODUCT_TYPES = [
  "wireless",
  "appliance",
  "switch",
  "camera",
  "cellularGateway",
  "sensor",
  "wirelessController",
  "campusGateway",
] as const;
const TAGS_FILTER_TYPES = ["withAllTags", "withAnyTags"] as const;
const SORT_ORDERS = ["ascending", "descending"] as const;
const SORT_BY = ["category", "dismissedAt", "resolvedAt", "severity", "startedAt"] as const;

const SECOND = 1000;
const DAY = 86_400 * SECOND;
const CHANGE_HISTORY_MAX_SPAN_MS = 31 * DAY;
const CHANGE_HISTORY_DEFAULT_SPAN_MS = DAY;

export function organizationDevicesAvailabilities(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const availability = availabilityOf(catalog, org, ctx);
  const statusOf = (d: SimDevice) => availability.statusAt(d, ctx.nowMs);
  const networkIds = stringSet(ctx.query, "networkIds");
  const serials = stringSet(ctx.query, "serials");
  const productTypes = enumList(ctx.query, "productTypes", AVAILABILITY_PRODUCT_TYPES);
  const statuses = enumList(ctx.query, "statuses", DEVICE_STATUSES);
  const tagged = tagFilter(ctx.query);
  const devices = (catalog.devicesByOrg.get(org.id) ?? []).filter(
    (d) =>
      (networkIds === undefined || networkIds.has(d.networkId)) &&
      (serials === undefined || serials.has(d.serial)) &&
      (productTypes === undefined || (productTypes as Set<string>).has(d.productType)) &&
      (statuses === undefined || statuses.has(statusOf(d))) &&
      tagged(d.tags),
  );
  const page = paginate(devices, (d) => d.serial, ctx.query, AVAILABILITIES_PAGE, ctx.url);
  return json(
    page.items.map((d) => ({
      mac: d.mac,
      name: d.name,
      network: { id: d.networkId },
      productType: d.productType,
      serial: d.serial,
      status: statusOf(d),
      tags: d.tags,
    })),
    page.link,
  );
}

/** tags[] with tagsFilterType (default withAnyTags); case-sensitive exact matches. */
function tagFilter(query: Query): (tags: readonly string[]) => boolean {
  const wanted = list(query, "tags");
  const mode = enumValue(query, "tagsFilterType", TAGS_FILTER_TYPES) ?? "withAnyTags";
  if (wanted === undefined) return () => true;
  return mode === "withAllTags"
    ? (tags) => wanted.every((tag) => tags.includes(tag))
    : (tags) => wanted.some((tag) => tags.includes(tag));
}

export function organizationDevicesAvailabilitiesChangeHistory(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const window = changeHistoryWindow(ctx.query, ctx.nowMs);
  const serials = stringSet(ctx.query, "serials");
  const productTypes = stringSet(ctx.query, "productTypes");
  const networkIds = stringSet(ctx.query, "networkIds");
  const statuses = enumList(ctx.query, "statuses", DEVICE_STATUSES);
  const changes = availabilityOf(catalog, org, ctx)
    .changesIn(window.startMs, window.endMs)
    .filter(
      (c) =>
        (serials === undefined || serials.has(c.device.serial)) &&
        (productTypes === undefined || productTypes.has(c.device.productType)) &&
        (networkIds === undefined || networkIds.has(c.device.networkId)) &&
        (statuses === undefined || statuses.has(c.to)),
    )
    .map((change) => {
      const ts = microsecondTimestamp(change.ts, `${change.device.serial}|${change.ts}`);
      return { change, ts, key: `${ts}|${change.device.serial}` };
    })
    // Timestamps of one format sort as text in time order; the serial separates equal ones. The
    // pages' cursors are these keys, so the list is in their order.
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = paginate(changes, (c) => c.key, ctx.query, CHANGE_HISTORY_PAGE, ctx.url);
  return json(
    page.items.map(({ change, ts }) => renderChange(catalog, change, ts)),
    page.link,
  );
}

function renderChange(catalog: Catalog, change: AvailabilityChange, ts: string): object {
  const { device } = change;
  const network = catalog.networkById.get(device.networkId);
  return {
    ts,
    device: {
      serial: device.serial,
      name: device.name,
      productType: device.productType,
      model: device.model,
    },
    details: {
      old: [{ name: "status", value: change.from }],
      new: [{ name: "status", value: change.to }],
    },
    network: {
      id: device.networkId,
      name: network?.name ?? "",
      url: network?.url ?? "",
      tags: network?.tags ?? [],
    },
  };
}

/**
 * t0 at most 31 days ago, t1 at most 31 days after t0, or `timespan` (at most 31 days, default 1
 * day) ending now; never both. The history holds nothing newer than now, so the end is clipped.
 */
export function changeHistoryWindow(query: Query, nowMs: number): TimeWindow {
  const t0 = optionalTime(query, "t0");
  const t1 = optionalTime(query, "t1");
  const timespan = optionalSeconds(query, "timespan");
  if (timespan !== undefined && (t0 !== undefined || t1 !== undefined)) {
    throw badRequest("If specifying timespan, do not specify parameters t0 and t1");
  }
  let window: TimeWindow;
  if (t0 === undefined && t1 === undefined) {
    const spanMs = timespan === undefined ? CHANGE_HISTORY_DEFAULT_SPAN_MS : timespan * SECOND;
    if (!(spanMs > 0) || spanMs > CHANGE_HISTORY_MAX_SPAN_MS) {
      throw badRequest("'timespan' must be greater than 0 and at most 2678400 seconds");
    }
    window = { startMs: nowMs - spanMs, endMs: nowMs };
  } else {
    const startMs = t0 ?? (t1 ?? nowMs) - CHANGE_HISTORY_DEFAULT_SPAN_MS;
    window = { startMs, endMs: t1 ?? Math.min(startMs + CHANGE_HISTORY_MAX_SPAN_MS, nowMs) };
  }
  if (window.startMs < nowMs - CHANGE_HISTORY_MAX_SPAN_MS) {
    throw badRequest("'t0' can be at most 31 days in the past");
  }
  if (window.endMs <= window.startMs) throw badRequest("'t0' must be before 't1'");
  if (window.endMs - window.startMs > CHANGE_HISTORY_MAX_SPAN_MS) {
    throw badRequest("'t1' can be a maximum of 31 days after 't0'");
  }
  return { startMs: window.startMs, endMs: Math.min(window.endMs, nowMs) };
}

/**
 * active (default true) and resolved (default false) select which alerts; dismissed (default
 * false) adds dismissed ones, which the simulated devices never have. Answers in startedAt order;
 * sortBy and sortOrder are checked but not simulated.
 */
export function organizationAssuranceAlerts(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const { query } = ctx;
  const active = booleanParameter(query, "active", true);
  const resolved = booleanParameter(query, "resolved", false);
  booleanParameter(query, "dismissed", false);
  booleanParameter(query, "suppressAlertsForOfflineNodes", false);
  enumValue(query, "sortOrder", SORT_ORDERS);
  enumValue(query, "sortBy", SORT_BY);
  const networkId = single(query, "networkId");
  const severity = single(query, "severity");
  const category = enumValue(query, "category", ALERT_CATEGORIES);
  const types = stringSet(query, "types");
  const serials = stringSet(query, "serials");
  const deviceTypes = enumList(query, "deviceTypes", ALERT_DEVICE_TYPES);
  const deviceTags = stringSet(query, "deviceTags");
  const known = knownAlerts(availabilityOf(catalog, org, ctx), query, ctx.nowMs, ctx.seed);
  const alerts = [...(active ? known.open : []), ...(resolved ? known.resolved : [])]
    .filter(
      (a) =>
        (networkId === undefined || a.device.networkId === networkId) &&
        (severity === undefined || a.severity === severity) &&
        (category === undefined || a.categoryType === category) &&
        (types === undefined || types.has(a.type)) &&
        (serials === undefined || serials.has(a.device.serial)) &&
        (deviceTypes === undefined || (deviceTypes as Set<string>).has(a.deviceType)) &&
        (deviceTags === undefined || a.device.tags.some((tag) => deviceTags.has(tag))),
    )
    .map((alert) => ({ alert, key: `${isoSeconds(alert.startedAtMs)}|${alert.id}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = paginate(alerts, (a) => a.key, query, ALERTS_PAGE, ctx.url);
  return json(
    page.items.map(({ alert }) => renderAlert(catalog, alert)),
    page.link,
  );
}

/** Times in whole seconds, as the spec's example writes them. */
function renderAlert(catalog: Catalog, alert: SimAlert): object {
  const { device } = alert;
  const network = catalog.networkById.get(device.networkId);
  return {
    id: alert.id,
    categoryType: alert.categoryType,
    network: { name: network?.name ?? "", id: device.networkId, url: network?.url ?? "" },
    startedAt: isoSeconds(Math.floor(alert.startedAtMs / SECOND) * SECOND),
    resolvedAt:
      alert.resolvedAtMs === null ? null : isoSeconds(Math.floor(alert.resolvedAtMs / SECOND) * SECOND),
    dismissedAt: null,
    deviceType: alert.deviceType,
    type: alert.type,
    title: alert.title,
    description: alert.description,
    severity: alert.severity,
    scope: {
      devices: [
        {
          url: device.url,
          name: device.name,
          order: 0,
          productType: device.productType,
          serial: device.serial,
          mac: device.mac,
          // Only devices with a modem have an IMEI, and only port alerts name a port.
          ...(device.cellular ? { imei: device.cellular.imei } : {}),
          ...(alert.port === null ? {} : { lldp: { port: alert.port } }),
        },
      ],
      applications: [],
      peers: [],
      others: [],
    },
  };
}

function json(body: unknown, link?: string): Reply {
  return { body, headers: link === undefined ? {} : { Link: link } };
}
