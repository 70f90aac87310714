// Appliance uplinks usage: the bytes each MX and Z network's uplinks sent and received in the
// window, from one organisation-wide call (plus the cached inventory for names).

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
import { integer, item, list, object, text } from "../meraki/spec-fields.js";
import { envelopeSchema, firstId, id, optionalCount, optionalText, sourceBase } from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { splitWindow } from "../sweeps/window.js";
import { defineKind } from "./kind.js";

/**
 * GET /organizations/{organizationId}/appliance/uplinks/usage/byNetwork: not paginated. Without
 * t0/t1 it answers for the last day.
 */
export const getOrganizationApplianceUplinksUsageByNetwork = defineOperation({
  operationId: "getOrganizationApplianceUplinksUsageByNetwork",
  path: "/organizations/{organizationId}/appliance/uplinks/usage/byNetwork",
  scope: "organization",
  item: item({
    networkId: text,
    name: text,
    byUplink: list(
      object({
        serial: text,
        /** wan1, wan2, wan3, cellular */
        interface: text,
        /** Bytes. */
        sent: integer,
        received: integer,
      }),
    ),
  }),
});

export type ApplianceUplinksUsageRow = OperationItem<typeof getOrganizationApplianceUplinksUsageByNetwork>;

export const APPLIANCE_UPLINK_USAGE_SCHEMA = "semaphore.appliance-uplink-usage.v1";

export const applianceUplinkUsageEnvelope = envelopeSchema(
  APPLIANCE_UPLINK_USAGE_SCHEMA,
  z.object({
    ...sourceBase,
    networkId: id,
    model: optionalText,
  }),
  z.object({
    interface: id,
    /** Bytes in the window. */
    sent: optionalCount,
    received: optionalCount,
  }),
);

export type ApplianceUplinkUsageEnvelope = z.infer<typeof applianceUplinkUsageEnvelope>;

/** The API accepts t1 at most 14 days after t0; a longer schedule period is fetched in pieces. */
const MAX_SPAN_SECONDS = 14 * 86_400;

export interface ApplianceUplinkUsageMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

interface Usage {
  networkId: string;
  networkName: string | null;
  serial: string | null;
  interface: string;
  sent: number | null;
  received: number | null;
}

/**
 * One record per (network, appliance, uplink interface), keyed by the network id. A row without a
 * network id or an uplink without an interface names no subject: dropped and counted. A window
 * fetched in several pieces arrives as several rows per subject, whose bytes add up.
 */
export function applianceUplinkUsageRecords(
  rows: ApplianceUplinksUsageRow[],
  input: ApplianceUplinkUsageMappingInput,
): OrganizationSweepResult {
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  const subjects = new Map<string, Usage>();
  for (const row of rows) {
    if (!row.networkId) {
      countDrop(dropped, "no-network");
      continue;
    }
    for (const uplink of row.byUplink ?? []) {
      if (!uplink?.interface) {
        countDrop(dropped, "no-interface");
        continue;
      }
      const serial = firstId(uplink.serial);
      const subject = `${row.networkId}|${serial ?? ""}|${uplink.interface}`;
      const usage = subjects.get(subject);
      if (usage === undefined) {
        subjects.set(subject, {
          networkId: row.networkId,
          networkName: row.name ?? null,
          serial,
          interface: uplink.interface,
          sent: uplink.sent ?? null,
          received: uplink.received ?? null,
        });
      } else {
        usage.sent = add(usage.sent, uplink.sent ?? null);
        usage.received = add(usage.received, uplink.received ?? null);
      }
    }
  }
  const records: TelemetryRecord[] = [];
  for (const [subject, usage] of subjects) {
    const device = usage.serial === null ? undefined : input.devices.get(usage.serial);
    const envelope: ApplianceUplinkUsageEnvelope = {
      ...envelopeHead(APPLIANCE_UPLINK_USAGE_SCHEMA, organizationId, subject, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId: usage.networkId,
        networkName: usage.networkName ?? input.networks.get(usage.networkId)?.name ?? null,
        serial: usage.serial,
        deviceName: device?.name ?? null,
        model: device?.model ?? null,
      },
      data: { interface: usage.interface, sent: usage.sent, received: usage.received },
    };
    records.push(toTelemetryRecord(input.topic, usage.networkId, envelope));
  }
  return { records, dropped };
}

/** A piece that reported no count leaves the others' sum; only all pieces null is unknown. */
function add(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b;
}

const byUplink = { Uplink: (envelope: ApplianceUplinkUsageEnvelope) => envelope.data.interface };

export const applianceUplinksUsage = defineKind({
  id: "appliance-uplinks-usage",
  title: "Appliance uplinks usage",
  recordPer: "network uplink",
  recordKey: "networkId",
  schema: { id: APPLIANCE_UPLINK_USAGE_SCHEMA, version: 1, envelope: applianceUplinkUsageEnvelope },
  defaultTopic: "meraki.appliance.uplinks-usage",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "delete" },
  // The spec states no delay. Appliances report their counters periodically, so the window ends 5
  // minutes back: a tiled window is read once and must be complete by then.
  window: { semantics: "window", dataDelaySeconds: 300 },
  // One call per organisation (+ cached inventory): seconds.
  deployment: { schedule: "rate(15 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationApplianceUplinksUsageByNetwork,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const rows: ApplianceUplinksUsageRow[] = [];
    for (const piece of splitWindow(context.window, MAX_SPAN_SECONDS)) {
      rows.push(
        ...(await context.meraki.all(getOrganizationApplianceUplinksUsageByNetwork, {
          organizationId,
          query: { t0: piece.start, t1: piece.end },
        })),
      );
    }
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.flatMap((row) => (row.byUplink ?? []).map((uplink) => uplink?.serial)),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return applianceUplinkUsageRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      uplink: (envelope) => envelope.data.interface,
      sentBytes: (envelope) => envelope.data.sent,
      receivedBytes: (envelope) => envelope.data.received,
    },
    metrics: [
      {
        name: "ApplianceUplinkBytesSent",
        unit: MetricUnit.Bytes,
        aggregation: "sum",
        description: "bytes the network's appliance sent on the uplink in the window",
        dimensions: byUplink,
        observe: (envelope) => envelope.data.sent,
      },
      {
        name: "ApplianceUplinkBytesReceived",
        unit: MetricUnit.Bytes,
        aggregation: "sum",
        description: "bytes the network's appliance received on the uplink in the window",
        dimensions: byUplink,
        observe: (envelope) => envelope.data.received,
      },
    ],
  },
  monitoring: {
    thresholds: {},
    alarms: [],
    widgets: [
      {
        title: "Appliance uplink bytes received, top 10 networks",
        metric: "ApplianceUplinkBytesReceived",
        statistic: "SUM",
        groupBy: "NetworkId",
        top: 10,
      },
      {
        title: "Appliance uplink bytes sent, top 10 networks",
        metric: "ApplianceUplinkBytesSent",
        statistic: "SUM",
        groupBy: "NetworkId",
        top: 10,
      },
      {
        title: "Appliance uplink bytes received by uplink",
        metric: "ApplianceUplinkBytesReceived",
        statistic: "SUM",
        groupBy: "Uplink",
      },
    ],
    queries: () => [
      {
        id: "TopNetworks",
        name: "uplink usage by network and uplink",
        stats:
          "sum(sentBytes) / 1e9 as sentGB, sum(receivedBytes) / 1e9 as receivedGB by networkName, deviceName, uplink",
        sort: "receivedGB desc",
        limit: 100,
      },
    ],
  },
});
