// Device statuses (retired): every device of the organisation with its status when the sweep ran,
// from getOrganizationDevicesStatuses, which spec v1.73.0 deprecates. device-availability sweeps
// the same subjects from its successor, getOrganizationDevicesAvailabilities. This module keeps
// what the consumer needs for records already written under semaphore.device-status.v1 (and the
// mapping that wrote them, which the consumer's tests build such records with); nothing sweeps it.

import { MetricUnit } from "@aws-lambda-powertools/metrics";
import * as z from "zod";
import { type TelemetryRecord, toTelemetryRecord } from "../kafka/record.js";
import type { Network } from "../meraki/inventory.js";
import { defineOperation, type OperationItem } from "../meraki/operation.js";
import { integer, item, list, object, subjectId, text, textList } from "../meraki/spec-fields.js";
import { envelopeSchema, firstId, id, optionalText, sourceBase } from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { defineRetiredKind } from "./kind.js";

/** GET /organizations/{organizationId}/devices/statuses (deprecated in v1.73.0). */
export const getOrganizationDevicesStatuses = defineOperation({
  operationId: "getOrganizationDevicesStatuses",
  path: "/organizations/{organizationId}/devices/statuses",
  maxPerPage: 1000,
  scope: "organization",
  item: item({
    name: text,
    serial: subjectId,
    mac: text,
    publicIp: text,
    networkId: text,
    /** online, alerting, offline, dormant */
    status: text,
    lastReportedAt: text,
    lanIp: text,
    gateway: text,
    ipType: text,
    primaryDns: text,
    secondaryDns: text,
    productType: text,
    components: object({
      powerSupplies: list(
        object({
          slot: integer,
          serial: text,
          model: text,
          /** available, connected, disconnected, powered, powering, standby */
          status: text,
          poe: object({ unit: text, maximum: integer }),
        }),
      ),
    }),
    model: text,
    tags: textList,
  }),
});

export type DeviceStatusRow = OperationItem<typeof getOrganizationDevicesStatuses>;

export const DEVICE_STATUS_SCHEMA = "semaphore.device-status.v1";

export const deviceStatusEnvelope = envelopeSchema(
  DEVICE_STATUS_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
    productType: optionalText,
    mac: optionalText,
  }),
  z.object({
    status: id,
    lastReportedAt: optionalText,
    publicIp: optionalText,
    lanIp: optionalText,
    gateway: optionalText,
    ipType: optionalText,
    primaryDns: optionalText,
    secondaryDns: optionalText,
    tags: z.array(z.string()),
  }),
);

export type DeviceStatusEnvelope = z.infer<typeof deviceStatusEnvelope>;

export interface DeviceStatusMappingInput extends MappingInput {
  networks: Map<string, Network>;
}

/** One record per device; the statuses endpoint already carries name and model. */
export function deviceStatusRecords(
  rows: DeviceStatusRow[],
  input: DeviceStatusMappingInput,
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
    const networkId = firstId(row.networkId);
    const envelope: DeviceStatusEnvelope = {
      ...envelopeHead(DEVICE_STATUS_SCHEMA, organizationId, row.serial, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId,
        networkName: networkId ? (input.networks.get(networkId)?.name ?? null) : null,
        serial: row.serial,
        deviceName: row.name ?? null,
        model: row.model ?? null,
        productType: row.productType ?? null,
        mac: row.mac ?? null,
      },
      data: {
        status: row.status,
        lastReportedAt: row.lastReportedAt ?? null,
        publicIp: row.publicIp ?? null,
        lanIp: row.lanIp ?? null,
        gateway: row.gateway ?? null,
        ipType: row.ipType ?? null,
        primaryDns: row.primaryDns ?? null,
        secondaryDns: row.secondaryDns ?? null,
        tags: row.tags ?? [],
      },
    };
    records.push(toTelemetryRecord(input.topic, row.serial, envelope));
  }
  return { records, dropped };
}

export const deviceStatuses = defineRetiredKind({
  id: "device-statuses",
  title: "Device statuses",
  recordPer: "device",
  recordKey: "device serial",
  schema: { id: DEVICE_STATUS_SCHEMA, version: 1, envelope: deviceStatusEnvelope },
  defaultTopic: "meraki.devices.statuses",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "compact,delete" },
  window: { semantics: "snapshot", dataDelaySeconds: 0 },
  retired: {
    replacedBy: "device-availability",
    reason:
      "getOrganizationDevicesStatuses is deprecated in the Dashboard API v1.73.0; its successor is getOrganizationDevicesAvailabilities",
  },
  // Lines and metrics exactly as when the kind was swept, so a drained record reads like any other.
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      productType: (envelope) => envelope.source.productType,
      status: (envelope) => envelope.data.status,
      lastReportedAt: (envelope) => envelope.data.lastReportedAt,
      publicIp: (envelope) => envelope.data.publicIp,
      lanIp: (envelope) => envelope.data.lanIp,
    },
    metrics: [
      {
        name: "Devices",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct devices by status",
        dimensions: { Status: (envelope) => envelope.data.status },
        observe: (envelope) => envelope.source.serial,
      },
    ],
  },
});
