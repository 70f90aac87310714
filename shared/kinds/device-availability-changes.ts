// Device availability changes: every change of a device's availability status in the window, from
// one paged organisation-wide history (getOrganizationDevicesAvailabilitiesChangeHistory) asked for
// exactly the window's t0/t1 (without them it answers the last day), plus the cached inventory for
// what a row lacks.

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
import { item, list, object, subjectId, text, textList } from "../meraki/spec-fields.js";
import { envelopeSchema, firstId, id, isoInstant, optionalText, sourceBase } from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { type ApiTimeLimits, assertWithinApiLimits } from "../sweeps/window-span.js";
import { defineKind } from "./kind.js";

const detail = object({ name: text, value: text });

/** GET /organizations/{organizationId}/devices/availabilities/changeHistory. */
export const getOrganizationDevicesAvailabilitiesChangeHistory = defineOperation({
  operationId: "getOrganizationDevicesAvailabilitiesChangeHistory",
  path: "/organizations/{organizationId}/devices/availabilities/changeHistory",
  maxPerPage: 1000,
  scope: "organization",
  item: item({
    /** ISO 8601 with microseconds, e.g. "2018-02-11T00:00:00.090210Z". */
    ts: text,
    device: object({ serial: subjectId, name: text, productType: text, model: text }),
    /** `{name: "status", value: "offline"}` among the old and the new details. */
    details: object({ old: list(detail), new: list(detail) }),
    network: object({ id: text, name: text, url: text, tags: textList }),
  }),
});

export type DeviceAvailabilityChangeRow = OperationItem<
  typeof getOrganizationDevicesAvailabilitiesChangeHistory
>;

/** "The maximum lookback period is 31 days from today", and "t1 can be a maximum of 31 days after t0". */
const THIRTY_ONE_DAYS = 31 * 86_400;
const CHANGE_HISTORY_LIMITS: ApiTimeLimits = {
  operationId: getOrganizationDevicesAvailabilitiesChangeHistory.operationId,
  lookbackSeconds: THIRTY_ONE_DAYS,
  span: { maxSeconds: THIRTY_ONE_DAYS },
};

export const DEVICE_AVAILABILITY_CHANGE_SCHEMA = "semaphore.device-availability-change.v1";

const detailSchema = z.object({ name: optionalText, value: optionalText });

export const deviceAvailabilityChangeEnvelope = envelopeSchema(
  DEVICE_AVAILABILITY_CHANGE_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
    productType: optionalText,
  }),
  z.object({
    /** When the status changed, as the API wrote it (microseconds); inside the window. */
    ts: isoInstant,
    /** The `status` detail before and after; null when the API sent none. */
    oldStatus: optionalText,
    newStatus: optionalText,
    /** Every detail the API sent, the status among them. */
    details: z.object({ old: z.array(detailSchema), new: z.array(detailSchema) }),
  }),
);

export type DeviceAvailabilityChangeEnvelope = z.infer<typeof deviceAvailabilityChangeEnvelope>;

export interface DeviceAvailabilityChangeMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

type Detail = z.infer<typeof detailSchema>;

type DetailRows =
  | readonly ({ name?: string | null; value?: string | null } | null | undefined)[]
  | null
  | undefined;

function details(entries: DetailRows): Detail[] {
  return (entries ?? []).flatMap((entry) =>
    entry ? [{ name: entry.name ?? null, value: entry.value ?? null }] : [],
  );
}

function statusOf(entries: readonly Detail[]): string | null {
  return entries.find((entry) => entry.name === "status")?.value ?? null;
}

/**
 * One record per status change, keyed by serial. The window tiles time, so a change belongs to the
 * window its timestamp falls in: one the API returns outside [start, end) (an inclusive t1, a
 * clock's rounding) is left to the window that holds it, and counted. Rows without a serial or a
 * readable timestamp are dropped and counted.
 */
export function deviceAvailabilityChangeRecords(
  rows: DeviceAvailabilityChangeRow[],
  input: DeviceAvailabilityChangeMappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  const startMs = Date.parse(input.window.start);
  const endMs = Date.parse(input.window.end);
  for (const row of rows) {
    const serial = row.device?.serial;
    if (!serial) {
      countDrop(dropped, "null-serial");
      continue;
    }
    const ts = row.ts ?? "";
    const tsMs = isoInstant.safeParse(ts).success ? Date.parse(ts) : Number.NaN;
    if (Number.isNaN(tsMs)) {
      countDrop(dropped, "no-timestamp");
      continue;
    }
    if (tsMs < startMs || tsMs >= endMs) {
      countDrop(dropped, "outside-window");
      continue;
    }
    const old = details(row.details?.old);
    const after = details(row.details?.new);
    const newStatus = statusOf(after);
    const device = input.devices.get(serial);
    const networkId = firstId(row.network?.id, device?.networkId);
    const envelope: DeviceAvailabilityChangeEnvelope = {
      ...envelopeHead(
        DEVICE_AVAILABILITY_CHANGE_SCHEMA,
        organizationId,
        `${serial}|${ts}|${newStatus}`,
        input,
      ),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId,
        networkName: row.network?.name ?? (networkId ? (input.networks.get(networkId)?.name ?? null) : null),
        serial,
        deviceName: row.device?.name ?? device?.name ?? null,
        model: row.device?.model ?? device?.model ?? null,
        productType: row.device?.productType ?? device?.productType ?? null,
      },
      data: { ts, oldStatus: statusOf(old), newStatus, details: { old, new: after } },
    };
    records.push(toTelemetryRecord(input.topic, serial, envelope));
  }
  return { records, dropped };
}

export const deviceAvailabilityChanges = defineKind({
  id: "device-availability-changes",
  title: "Device availability changes",
  recordPer: "status change",
  recordKey: "device serial",
  schema: { id: DEVICE_AVAILABILITY_CHANGE_SCHEMA, version: 1, envelope: deviceAvailabilityChangeEnvelope },
  defaultTopic: "meraki.devices.availability-changes",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "delete" },
  // Availability is evaluated every 5 minutes (the availabilities' description), so a change can
  // enter the history up to 5 minutes after its timestamp: a window that ended 5 minutes ago is
  // complete when read.
  window: { semantics: "window", dataDelaySeconds: 300, span: CHANGE_HISTORY_LIMITS.span },
  // One page per 1,000 changes (+ the cached inventory): seconds.
  deployment: { schedule: "rate(5 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationDevicesAvailabilitiesChangeHistory,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    assertWithinApiLimits(context.window, context.observedAt, CHANGE_HISTORY_LIMITS);
    const rows = await context.meraki.all(getOrganizationDevicesAvailabilitiesChangeHistory, {
      organizationId,
      query: { t0: context.window.start, t1: context.window.end },
    });
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.device?.serial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return deviceAvailabilityChangeRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      productType: (envelope) => envelope.source.productType,
      ts: (envelope) => envelope.data.ts,
      oldStatus: (envelope) => envelope.data.oldStatus,
      newStatus: (envelope) => envelope.data.newStatus,
    },
    metrics: [
      {
        name: "AvailabilityChanges",
        unit: MetricUnit.Count,
        aggregation: "sum",
        description: "device status changes in the window, by the status changed to",
        dimensions: { NewStatus: (envelope) => envelope.data.newStatus ?? "unknown" },
        observe: () => 1,
      },
    ],
  },
  monitoring: {
    thresholds: {},
    alarms: [],
    widgets: [
      {
        title: "Device status changes by new status",
        metric: "AvailabilityChanges",
        statistic: "SUM",
        groupBy: "NewStatus",
      },
      {
        title: "Device status changes, top 10 networks",
        metric: "AvailabilityChanges",
        statistic: "SUM",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: () => [
      {
        id: "ByDevice",
        name: "status changes by device (flapping first)",
        stats: "count(*) as changes, latest(newStatus) as lastStatus by networkName, deviceName, serial",
        sort: "changes desc",
        limit: 100,
      },
      {
        id: "WentOffline",
        name: "devices that went offline",
        fields: ["ts", "networkName", "deviceName", "serial", "model", "oldStatus"],
        filter: ['newStatus = "offline"'],
        sort: "ts desc",
        limit: 200,
      },
    ],
  },
});
