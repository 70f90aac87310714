import { type TelemetryRecord, toTelemetryRecord } from "../kafka/record.js";
import { DEVICE_STATUS_SCHEMA, type DeviceStatusRecord } from "../schemas/device-status.js";
import type { DeviceStatusRow, NetworkRow, OrganizationRow } from "./meraki-reader.js";
import {
  countDrop,
  envelopeHead,
  type OrganizationSweepContext,
  type OrganizationSweepResult,
  type SweepDefinition,
} from "./sweep.js";
import type { SweepWindow } from "./window.js";

export interface DeviceStatusMappingInput {
  organization: OrganizationRow;
  networks: Map<string, NetworkRow>;
  window: SweepWindow;
  sweepId: string;
  observedAt: string;
  topic: string;
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
    const networkId = row.networkId ?? null;
    const envelope: DeviceStatusRecord = {
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

export const deviceStatusesSweep: SweepDefinition = {
  kind: "device-statuses",
  schema: DEVICE_STATUS_SCHEMA,
  defaultTopic: "meraki.devices.statuses",
  dataDelaySeconds: 0,
  async sweepOrganization(context: OrganizationSweepContext): Promise<OrganizationSweepResult> {
    const rows = await context.meraki.getOrganizationDevicesStatuses(context.organization.id);
    const networks = await context.inventory.networks(context.meraki, context.organization.id);
    return deviceStatusRecords(rows, { ...context, networks });
  },
};
