// Device availability: every device of the organisation with its availability status when the
// sweep ran, from one paged organisation-wide listing (getOrganizationDevicesAvailabilities, the
// successor of the deprecated statuses listing the retired device-statuses kind read), plus the
// cached inventory for the names and models the listing lacks.

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
import { item, object, subjectId, text, textList } from "../meraki/spec-fields.js";
import { envelopeSchema, firstId, id, optionalText, sourceBase } from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { defineKind } from "./kind.js";

/** GET /organizations/{organizationId}/devices/availabilities. */
export const getOrganizationDevicesAvailabilities = defineOperation({
  operationId: "getOrganizationDevicesAvailabilities",
  path: "/organizations/{organizationId}/devices/availabilities",
  maxPerPage: 1000,
  scope: "organization",
  item: item({
    mac: text,
    name: text,
    network: object({ id: text }),
    /** appliance, camera, campusGateway, cellularGateway, secureConnect, sensor, switch, ... */
    productType: text,
    serial: subjectId,
    /** online, alerting, offline, dormant */
    status: text,
    tags: textList,
  }),
});

export type DeviceAvailabilityRow = OperationItem<typeof getOrganizationDevicesAvailabilities>;

export const DEVICE_AVAILABILITY_SCHEMA = "semaphore.device-availability.v1";

export const deviceAvailabilityEnvelope = envelopeSchema(
  DEVICE_AVAILABILITY_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
    productType: optionalText,
    mac: optionalText,
  }),
  z.object({
    /** online, alerting, offline or dormant, when the sweep ran. */
    status: id,
    tags: z.array(z.string()),
  }),
);

export type DeviceAvailabilityEnvelope = z.infer<typeof deviceAvailabilityEnvelope>;

export interface DeviceAvailabilityMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

/**
 * The API's value where the row has the property (null included: what it reported as null stays
 * null), the inventory's where the row lacks it.
 */
function reported<T>(value: T | null | undefined, inventory: T | null | undefined): T | null {
  return value === undefined ? (inventory ?? null) : value;
}

/**
 * One record per device, keyed by serial. Rows without a serial cannot be keyed and rows without
 * a status say nothing: both are dropped and counted.
 */
export function deviceAvailabilityRecords(
  rows: DeviceAvailabilityRow[],
  input: DeviceAvailabilityMappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  for (const row of rows) {
    if (!row.serial) {
      countDrop(dropped, "null-serial");
      continue;
    }
    if (!row.status) {
      countDrop(dropped, "no-status");
      continue;
    }
    const device = input.devices.get(row.serial);
    const networkId = firstId(row.network?.id, device?.networkId);
    const envelope: DeviceAvailabilityEnvelope = {
      ...envelopeHead(DEVICE_AVAILABILITY_SCHEMA, organizationId, row.serial, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId,
        networkName: networkId ? (input.networks.get(networkId)?.name ?? null) : null,
        serial: row.serial,
        deviceName: reported(row.name, device?.name),
        model: device?.model ?? null,
        productType: reported(row.productType, device?.productType),
        mac: reported(row.mac, device?.mac),
      },
      data: { status: row.status, tags: reported(row.tags, device?.tags) ?? [] },
    };
    records.push(toTelemetryRecord(input.topic, row.serial, envelope));
  }
  return { records, dropped };
}

export const deviceAvailability = defineKind({
  id: "device-availability",
  title: "Device availability",
  recordPer: "device",
  recordKey: "device serial",
  schema: { id: DEVICE_AVAILABILITY_SCHEMA, version: 1, envelope: deviceAvailabilityEnvelope },
  defaultTopic: "meraki.devices.availabilities",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "compact,delete" },
  window: { semantics: "snapshot", dataDelaySeconds: 0 },
  // One page per 1,000 devices (+ the cached inventory): seconds.
  deployment: { schedule: "rate(5 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationDevicesAvailabilities,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const rows = await context.meraki.all(getOrganizationDevicesAvailabilities, { organizationId });
    // Devices first: an unknown serial refreshes the networks with them.
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.serial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return deviceAvailabilityRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      productType: (envelope) => envelope.source.productType,
      mac: (envelope) => envelope.source.mac,
      status: (envelope) => envelope.data.status,
      tags: (envelope) => envelope.data.tags.join(","),
    },
    metrics: [
      {
        name: "DevicesByStatus",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct devices by availability status",
        dimensions: { Status: (envelope) => envelope.data.status },
        observe: (envelope) => envelope.source.serial,
      },
      {
        name: "DevicesOffline",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct devices offline (the alarm's metric: no dimension to filter on)",
        dimensions: {},
        observe: (envelope) => (envelope.data.status === "offline" ? envelope.source.serial : null),
      },
    ],
  },
  monitoring: {
    thresholds: {
      // No default: how many offline devices are normal depends on the site (spares on a shelf,
      // seasonal stores, a campus of 500 access points against a branch of 5), so any one number
      // would alarm all day somewhere and never elsewhere. Off until the stack config sets it.
      devicesOffline: {
        min: 0,
        max: 100_000,
        description: "devices offline in one network above which the alarm fires",
      },
    },
    alarms: [
      {
        id: "devices-offline",
        description: (threshold) =>
          `Some network has more than ${threshold} devices offline; the "offline devices" query names them.`,
        metric: "DevicesOffline",
        statistic: "MAX",
        threshold: "devicesOffline",
        comparison: "above",
        // Two snapshots in a row: a device rebooting for a firmware upgrade is not an outage.
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
      },
    ],
    widgets: [
      {
        title: "Devices by availability status",
        metric: "DevicesByStatus",
        statistic: "SUM",
        groupBy: "Status",
      },
      {
        title: "Devices offline, worst 10 networks",
        metric: "DevicesOffline",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: () => [
      {
        id: "ByStatus",
        name: "devices by availability status",
        stats: "count_distinct(serial) as devices by networkName, status",
        sort: "networkName asc",
      },
      {
        id: "Offline",
        name: "offline devices",
        filter: ['status = "offline"'],
        stats: "max(windowEnd) as lastSeenOffline by networkName, deviceName, serial, model",
        sort: "lastSeenOffline desc",
        limit: 200,
      },
    ],
  },
});
