// Appliance uplink statuses: every uplink (wan1, wan2, cellular...) of every MX and Z appliance with
// its status and addressing when the sweep ran, from one paged organisation-wide listing (plus the
// cached inventory for names).

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
import { boolean, item, list, object, subjectId, text } from "../meraki/spec-fields.js";
import { envelopeSchema, firstId, id, optionalText, sourceBase } from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { defineKind } from "./kind.js";

/** GET /organizations/{organizationId}/appliance/uplink/statuses. */
export const getOrganizationApplianceUplinkStatuses = defineOperation({
  operationId: "getOrganizationApplianceUplinkStatuses",
  path: "/organizations/{organizationId}/appliance/uplink/statuses",
  maxPerPage: 1000,
  scope: "organization",
  item: item({
    networkId: text,
    serial: subjectId,
    model: text,
    lastReportedAt: text,
    highAvailability: object({ enabled: boolean, role: text }),
    uplinks: list(
      object({
        /** cellular, wan1, wan2, wan3 */
        interface: text,
        /** active, connecting, failed, not connected, ready */
        status: text,
        ip: text,
        gateway: text,
        publicIp: text,
        primaryDns: text,
        secondaryDns: text,
        ipAssignedBy: text,
      }),
    ),
  }),
});

export type ApplianceUplinkStatusRow = OperationItem<typeof getOrganizationApplianceUplinkStatuses>;

export const APPLIANCE_UPLINK_STATUS_SCHEMA = "semaphore.appliance-uplink-status.v1";

/** The status the "appliance uplink failed" alarm counts. */
export const FAILED_UPLINK_STATUS = "failed";

export const applianceUplinkStatusEnvelope = envelopeSchema(
  APPLIANCE_UPLINK_STATUS_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
  }),
  z.object({
    interface: id,
    status: optionalText,
    ip: optionalText,
    gateway: optionalText,
    publicIp: optionalText,
    primaryDns: optionalText,
    secondaryDns: optionalText,
    ipAssignedBy: optionalText,
    /** The appliance's, repeated on each of its uplinks so a record reads on its own. */
    highAvailability: z.object({ enabled: z.boolean().nullable(), role: optionalText }),
    /** When the appliance last reported, as the API says. */
    lastReportedAt: optionalText,
  }),
);

export type ApplianceUplinkStatusEnvelope = z.infer<typeof applianceUplinkStatusEnvelope>;

export interface ApplianceUplinkStatusMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

/**
 * One record per (appliance, uplink interface), keyed `serial:interface` (a compacted topic then
 * keeps the latest state of every uplink, not only of one per appliance). An appliance row without a
 * serial cannot be keyed, an uplink without an interface cannot be told apart from its siblings, and
 * an appliance that lists no uplink says nothing: each is dropped and counted.
 */
export function applianceUplinkStatusRecords(
  rows: ApplianceUplinkStatusRow[],
  input: ApplianceUplinkStatusMappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  const subjects = new Set<string>();
  for (const row of rows) {
    if (!row.serial) {
      countDrop(dropped, "null-serial");
      continue;
    }
    const uplinks = row.uplinks ?? [];
    if (uplinks.length === 0) {
      countDrop(dropped, "no-uplinks");
      continue;
    }
    const device = input.devices.get(row.serial);
    const networkId = firstId(row.networkId, device?.networkId);
    for (const uplink of uplinks) {
      if (!uplink?.interface) {
        countDrop(dropped, "no-interface");
        continue;
      }
      const subject = `${row.serial}|${uplink.interface}`;
      if (subjects.has(subject)) {
        countDrop(dropped, "duplicate-uplink");
        continue;
      }
      subjects.add(subject);
      const envelope: ApplianceUplinkStatusEnvelope = {
        ...envelopeHead(APPLIANCE_UPLINK_STATUS_SCHEMA, organizationId, subject, input),
        source: {
          organizationId,
          organizationName: input.organization.name ?? null,
          networkId,
          networkName: networkId ? (input.networks.get(networkId)?.name ?? null) : null,
          serial: row.serial,
          deviceName: device?.name ?? null,
          model: row.model ?? device?.model ?? null,
        },
        data: {
          interface: uplink.interface,
          status: uplink.status ?? null,
          ip: uplink.ip ?? null,
          gateway: uplink.gateway ?? null,
          publicIp: uplink.publicIp ?? null,
          primaryDns: uplink.primaryDns ?? null,
          secondaryDns: uplink.secondaryDns ?? null,
          ipAssignedBy: uplink.ipAssignedBy ?? null,
          highAvailability: {
            enabled: row.highAvailability?.enabled ?? null,
            role: row.highAvailability?.role ?? null,
          },
          lastReportedAt: row.lastReportedAt ?? null,
        },
      };
      records.push(toTelemetryRecord(input.topic, `${row.serial}:${uplink.interface}`, envelope));
    }
  }
  return { records, dropped };
}

const uplinkMember = (envelope: ApplianceUplinkStatusEnvelope) =>
  `${envelope.source.serial}|${envelope.data.interface}`;

export const applianceUplinkStatuses = defineKind({
  id: "appliance-uplink-statuses",
  title: "Appliance uplink statuses",
  recordPer: "appliance uplink",
  recordKey: "serial:interface",
  schema: { id: APPLIANCE_UPLINK_STATUS_SCHEMA, version: 1, envelope: applianceUplinkStatusEnvelope },
  defaultTopic: "meraki.appliance.uplink-statuses",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "compact,delete" },
  window: { semantics: "snapshot", dataDelaySeconds: 0 },
  // One page per 1,000 appliances (+ cached inventory): seconds.
  deployment: { schedule: "rate(5 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationApplianceUplinkStatuses,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const rows = await context.meraki.all(getOrganizationApplianceUplinkStatuses, { organizationId });
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.serial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return applianceUplinkStatusRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      uplink: (envelope) => envelope.data.interface,
      status: (envelope) => envelope.data.status,
      ip: (envelope) => envelope.data.ip,
      gateway: (envelope) => envelope.data.gateway,
      publicIp: (envelope) => envelope.data.publicIp,
      primaryDns: (envelope) => envelope.data.primaryDns,
      secondaryDns: (envelope) => envelope.data.secondaryDns,
      ipAssignedBy: (envelope) => envelope.data.ipAssignedBy,
      // Line values are text or numbers: 1/0 filters as easily as a boolean in Logs Insights.
      highAvailabilityEnabled: (envelope) => {
        const enabled = envelope.data.highAvailability.enabled;
        return enabled === null ? null : enabled ? 1 : 0;
      },
      highAvailabilityRole: (envelope) => envelope.data.highAvailability.role,
      lastReportedAt: (envelope) => envelope.data.lastReportedAt,
    },
    metrics: [
      {
        name: "ApplianceUplinks",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct appliance uplinks by status",
        dimensions: { Status: (envelope) => envelope.data.status ?? "unknown" },
        observe: uplinkMember,
      },
      {
        // Its own metric because an alarm reads a metric over every network, with no filter on a
        // dimension value: the failed uplinks alone.
        name: "ApplianceUplinksFailed",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct appliance uplinks whose status is failed",
        dimensions: {},
        observe: (envelope) =>
          envelope.data.status === FAILED_UPLINK_STATUS ? uplinkMember(envelope) : null,
      },
    ],
  },
  monitoring: {
    thresholds: {
      // No default: how many failed uplinks are normal depends on the estate (a backup circuit left
      // plugged in but unpaid fails for weeks), so a fixed level would alarm forever somewhere.
      failedUplinks: {
        min: 0,
        max: 100_000,
        description: "appliance uplinks in status failed, over every network, above which the alarm fires",
      },
    },
    alarms: [
      {
        id: "uplink-failed",
        description: (threshold) =>
          `More than ${threshold} appliance uplinks were failed in two snapshots in a row; the "failed appliance uplinks" query names them.`,
        metric: "ApplianceUplinksFailed",
        statistic: "SUM",
        threshold: "failedUplinks",
        comparison: "above",
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
      },
    ],
    widgets: [
      {
        title: "Appliance uplinks by status",
        metric: "ApplianceUplinks",
        statistic: "SUM",
        groupBy: "Status",
      },
      {
        title: "Failed appliance uplinks, worst 10 networks",
        metric: "ApplianceUplinksFailed",
        statistic: "SUM",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: () => [
      {
        id: "Failed",
        name: "failed appliance uplinks",
        filter: [`status = "${FAILED_UPLINK_STATUS}"`],
        stats:
          "latest(windowEnd) as lastSeenFailed, count(*) as snapshots by networkName, deviceName, serial, uplink",
        sort: "snapshots desc",
        limit: 100,
      },
      {
        id: "ByStatus",
        name: "appliance uplinks by network and status",
        stats: "count_distinct(serial) as appliances by networkName, uplink, status",
        sort: "networkName asc",
        limit: 1000,
      },
    ],
  },
});
