// Assurance alerts: the organisation's health alerts that are open when the sweep runs, and those
// resolved within the window, from two paged organisation-wide listings of
// getOrganizationAssuranceAlerts (plus the cached inventory for device names and models).
//
// A snapshot kind, not a window kind: an alert has a lifecycle (open, then resolved or dismissed),
// and what an operator and a new consumer want is each alert's latest state. Every sweep reports
// every open alert again, and an alert's last record says how it ended; compacting the topic by
// alert id keeps exactly the latest state of every alert. Resolutions still tile time: each one is
// reported by the sweep whose window holds its resolvedAt, so none is missed or counted twice.

import { MetricUnit } from "@aws-lambda-powertools/metrics";
import * as z from "zod";
import { type TelemetryRecord, toTelemetryRecord } from "../kafka/record.js";
import {
  type Device,
  getOrganizationDevices,
  getOrganizationNetworks,
  getOrganizations,
  type Network,
} from "../meraki/inventory.js";
import { defineOperation, type OperationItem } from "../meraki/operation.js";
import { integer, item, list, object, subjectId, text } from "../meraki/spec-fields.js";
import { envelopeSchema, firstId, id, optionalId, optionalText, sourceBase } from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { defineKind } from "./kind.js";

/** GET /organizations/{organizationId}/assurance/alerts. */
export const getOrganizationAssuranceAlerts = defineOperation({
  operationId: "getOrganizationAssuranceAlerts",
  path: "/organizations/{organizationId}/assurance/alerts",
  maxPerPage: 300,
  scope: "organization",
  item: item({
    id: subjectId,
    /** configuration, connectivity, device_health, experience_metrics, insights */
    categoryType: text,
    network: object({ name: text, id: text, url: text }),
    startedAt: text,
    resolvedAt: text,
    dismissedAt: text,
    /** MX, MS, MR, MG, MT, MV, ... */
    deviceType: text,
    type: text,
    title: text,
    description: text,
    /** critical, warning, informational */
    severity: text,
    scope: object({
      devices: list(
        object({
          url: text,
          name: text,
          order: integer,
          productType: text,
          serial: text,
          mac: text,
          imei: text,
          lldp: object({ port: text }),
        }),
      ),
      applications: list(object({})),
      peers: list(object({})),
      others: list(object({})),
    }),
  }),
});

export type AssuranceAlertRow = OperationItem<typeof getOrganizationAssuranceAlerts>;

export const ASSURANCE_ALERT_SCHEMA = "semaphore.assurance-alert.v1";

/** An alert is open until it is resolved or dismissed. */
export const ALERT_STATES = ["open", "resolved", "dismissed"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const assuranceAlertEnvelope = envelopeSchema(
  ASSURANCE_ALERT_SCHEMA,
  z.object({
    ...sourceBase,
    alertId: id,
    /** The first affected device's (scope.devices order 0); serial and deviceName are null without one. */
    model: optionalText,
    deviceType: optionalText,
  }),
  z.object({
    state: z.enum(ALERT_STATES),
    categoryType: optionalText,
    type: optionalText,
    title: optionalText,
    description: optionalText,
    severity: optionalText,
    startedAt: optionalText,
    resolvedAt: optionalText,
    dismissedAt: optionalText,
    /** Every affected device, in the API's order. */
    devices: z.array(
      z.object({
        serial: optionalId,
        name: optionalText,
        productType: optionalText,
        /** The switch port (LLDP) for a port alert. */
        port: optionalText,
      }),
    ),
  }),
);

export type AssuranceAlertEnvelope = z.infer<typeof assuranceAlertEnvelope>;

export interface AssuranceAlertMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

/** The two listings of one sweep: open now, and resolved with the window as tsStart/tsEnd. */
export interface AssuranceAlertListings {
  open: AssuranceAlertRow[];
  resolved: AssuranceAlertRow[];
}

function stateOf(row: AssuranceAlertRow): AlertState {
  if (row.resolvedAt) return "resolved";
  return row.dismissedAt ? "dismissed" : "open";
}

function affectedDevices(row: AssuranceAlertRow): AssuranceAlertEnvelope["data"]["devices"] {
  const devices = (row.scope?.devices ?? []).flatMap((device) => (device ? [device] : []));
  devices.sort((a, b) => (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER));
  return devices.map((device) => ({
    serial: firstId(device.serial),
    name: device.name ?? null,
    productType: device.productType ?? null,
    port: device.lldp?.port ?? null,
  }));
}

/**
 * One record per alert, keyed by alert id. An alert in both listings (resolved between the two
 * calls) is recorded once, resolved. A resolved alert whose resolvedAt is outside [start, end) is
 * left to the sweep whose window holds it (the listing's time filter is the API's, not
 * necessarily on resolvedAt), and counted; rows without an id are dropped and counted.
 */
export function assuranceAlertRecords(
  listings: AssuranceAlertListings,
  input: AssuranceAlertMappingInput,
): OrganizationSweepResult {
  const dropped: Record<string, number> = {};
  const startMs = Date.parse(input.window.start);
  const endMs = Date.parse(input.window.end);
  const latest = new Map<string, AssuranceAlertRow & { id: string }>();
  for (const row of listings.open) {
    if (!row.id) countDrop(dropped, "no-alert-id");
    else latest.set(row.id, { ...row, id: row.id });
  }
  for (const row of listings.resolved) {
    if (!row.id) {
      countDrop(dropped, "no-alert-id");
      continue;
    }
    const resolvedMs = Date.parse(row.resolvedAt ?? "");
    if (!(resolvedMs >= startMs && resolvedMs < endMs)) {
      countDrop(dropped, "resolved-outside-window");
      continue;
    }
    latest.set(row.id, { ...row, id: row.id });
  }
  const records: TelemetryRecord[] = [];
  const organizationId = input.organization.id;
  for (const row of latest.values()) {
    const devices = affectedDevices(row);
    const serial = devices[0]?.serial ?? null;
    const device = serial === null ? undefined : input.devices.get(serial);
    const networkId = firstId(row.network?.id, device?.networkId);
    const envelope: AssuranceAlertEnvelope = {
      ...envelopeHead(ASSURANCE_ALERT_SCHEMA, organizationId, row.id, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId,
        networkName: row.network?.name ?? (networkId ? (input.networks.get(networkId)?.name ?? null) : null),
        serial,
        deviceName: devices[0]?.name ?? device?.name ?? null,
        alertId: row.id,
        model: device?.model ?? null,
        deviceType: row.deviceType ?? null,
      },
      data: {
        state: stateOf(row),
        categoryType: row.categoryType ?? null,
        type: row.type ?? null,
        title: row.title ?? null,
        description: row.description ?? null,
        severity: row.severity ?? null,
        startedAt: row.startedAt ?? null,
        resolvedAt: row.resolvedAt ?? null,
        dismissedAt: row.dismissedAt ?? null,
        devices,
      },
    };
    records.push(toTelemetryRecord(input.topic, row.id, envelope));
  }
  return { records, dropped };
}

const isOpen = (envelope: AssuranceAlertEnvelope) => envelope.data.state === "open";
const severity = (envelope: AssuranceAlertEnvelope) => envelope.data.severity ?? "unknown";

export const assuranceAlerts = defineKind({
  id: "assurance-alerts",
  title: "Assurance alerts",
  recordPer: "alert open, or resolved in the window",
  recordKey: "alert id",
  schema: { id: ASSURANCE_ALERT_SCHEMA, version: 1, envelope: assuranceAlertEnvelope },
  defaultTopic: "meraki.assurance.alerts",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "compact,delete" },
  window: { semantics: "snapshot", dataDelaySeconds: 0 },
  // Two listings per organisation at 300 alerts a page (+ the cached inventory): seconds.
  deployment: { schedule: "rate(5 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationAssuranceAlerts,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const open = await context.meraki.all(getOrganizationAssuranceAlerts, {
      organizationId,
      query: { active: true },
    });
    // The API's defaults are active=true and resolved=false; this asks for the resolved ones only.
    const resolved = await context.meraki.all(getOrganizationAssuranceAlerts, {
      organizationId,
      query: { active: false, resolved: true, tsStart: context.window.start, tsEnd: context.window.end },
    });
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      [...open, ...resolved].flatMap((row) => (row.scope?.devices ?? []).map((device) => device?.serial)),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return assuranceAlertRecords({ open, resolved }, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      alertId: (envelope) => envelope.source.alertId,
      deviceType: (envelope) => envelope.source.deviceType,
      state: (envelope) => envelope.data.state,
      severity: (envelope) => envelope.data.severity,
      categoryType: (envelope) => envelope.data.categoryType,
      type: (envelope) => envelope.data.type,
      title: (envelope) => envelope.data.title,
      startedAt: (envelope) => envelope.data.startedAt,
      resolvedAt: (envelope) => envelope.data.resolvedAt,
      devicesAffected: (envelope) => envelope.data.devices.length,
    },
    metrics: [
      {
        name: "AssuranceAlertsOpen",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct alerts open when the sweep ran, by severity and category",
        dimensions: {
          Severity: severity,
          Category: (envelope) => envelope.data.categoryType ?? "unknown",
        },
        observe: (envelope) => (isOpen(envelope) ? envelope.source.alertId : null),
      },
      {
        name: "CriticalAlertsOpen",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct critical alerts open when the sweep ran (the alarm's metric)",
        dimensions: {},
        observe: (envelope) =>
          isOpen(envelope) && envelope.data.severity === "critical" ? envelope.source.alertId : null,
      },
      {
        name: "AssuranceAlertsResolved",
        unit: MetricUnit.Count,
        aggregation: "sum",
        description: "alerts resolved in the window, by severity",
        dimensions: { Severity: severity },
        observe: (envelope) => (envelope.data.state === "resolved" ? 1 : null),
      },
    ],
  },
  monitoring: {
    thresholds: {
      // A default of 0: Meraki reserves "critical" for what needs acting on, so any one open is
      // worth an alarm everywhere (the alarm stays in ALARM, without repeating, until it is closed).
      criticalOpen: {
        default: 0,
        min: 0,
        max: 100_000,
        description: "critical assurance alerts open (all networks) above which the alarm fires",
      },
    },
    alarms: [
      {
        id: "critical-alerts-open",
        description: (threshold) =>
          `More than ${threshold} assurance alerts of critical severity are open; the "open critical alerts" query lists them.`,
        metric: "CriticalAlertsOpen",
        statistic: "SUM",
        threshold: "criticalOpen",
        comparison: "above",
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      },
    ],
    widgets: [
      {
        title: "Open assurance alerts by severity",
        metric: "AssuranceAlertsOpen",
        statistic: "SUM",
        groupBy: "Severity",
      },
      {
        title: "Open assurance alerts by category",
        metric: "AssuranceAlertsOpen",
        statistic: "SUM",
        groupBy: "Category",
      },
      {
        title: "Critical alerts open, worst 10 networks",
        metric: "CriticalAlertsOpen",
        statistic: "SUM",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: () => [
      {
        id: "OpenCritical",
        name: "open critical alerts",
        filter: ['state = "open"', 'severity = "critical"'],
        stats:
          "latest(title) as title, min(startedAt) as since, max(windowEnd) as lastSeen by alertId, networkName, deviceName, type",
        sort: "since asc",
        limit: 200,
      },
      {
        id: "ByType",
        name: "alerts by type and severity",
        stats: "count_distinct(alertId) as alerts by categoryType, type, severity",
        sort: "alerts desc",
        limit: 100,
      },
    ],
  },
});
