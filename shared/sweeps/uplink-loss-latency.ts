import { type TelemetryRecord, toTelemetryRecord } from "../kafka/record.js";
import { UPLINK_LOSS_LATENCY_SCHEMA, type UplinkLossLatencyRecord } from "../schemas/uplink-loss-latency.js";
import type { DeviceRow, NetworkRow, OrganizationRow, UplinkLossLatencyRow } from "./meraki-reader.js";
import {
  countDrop,
  envelopeHead,
  type OrganizationSweepContext,
  type OrganizationSweepResult,
  type SweepDefinition,
} from "./sweep.js";
import { type SweepWindow, splitWindow } from "./window.js";

/** The API accepts t1 - t0 of at most 5 minutes; longer schedule periods are fetched in pieces. */
const MAX_SPAN_SECONDS = 300;
/** Unknown serials trigger one inventory refresh, but not more often than this. */
const INVENTORY_REFRESH_MIN_AGE_MS = 60_000;

export interface UplinkMappingInput {
  organization: OrganizationRow;
  networks: Map<string, NetworkRow>;
  devices: Map<string, DeviceRow>;
  window: SweepWindow;
  sweepId: string;
  observedAt: string;
  topic: string;
}

/**
 * One record per (device, uplink, probe ip). Rows without a serial cannot be keyed and rows
 * without samples carry no telemetry: both are dropped and counted, never produced.
 */
export function uplinkLossLatencyRecords(
  rows: UplinkLossLatencyRow[],
  input: UplinkMappingInput,
): OrganizationSweepResult {
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  // A window longer than the API's 5-minute span arrives as several rows per subject: merge them.
  const subjects = new Map<string, { row: UplinkLossLatencyRow & { serial: string }; samples: Sample[] }>();
  for (const row of rows) {
    if (!row.serial) {
      countDrop(dropped, "null-serial");
      continue;
    }
    const subject = `${row.serial}|${row.uplink ?? "unknown"}|${row.ip ?? "unknown"}`;
    const entry = subjects.get(subject) ?? { row: { ...row, serial: row.serial }, samples: [] };
    for (const point of row.timeSeries ?? []) {
      if (typeof point.ts !== "string") continue;
      entry.samples.push({
        ts: normaliseInstant(point.ts),
        lossPercent: point.lossPercent ?? null,
        latencyMs: point.latencyMs ?? null,
      });
    }
    subjects.set(subject, entry);
  }
  const records: TelemetryRecord[] = [];
  for (const [subject, { row, samples }] of subjects) {
    if (samples.length === 0) {
      countDrop(dropped, "empty-samples");
      continue;
    }
    const device = input.devices.get(row.serial);
    const networkId = row.networkId ?? device?.networkId ?? null;
    if (!networkId) {
      countDrop(dropped, "no-network");
      continue;
    }
    const envelope: UplinkLossLatencyRecord = {
      ...envelopeHead(UPLINK_LOSS_LATENCY_SCHEMA, organizationId, subject, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId,
        networkName: input.networks.get(networkId)?.name ?? null,
        serial: row.serial,
        deviceName: device?.name ?? null,
        model: device?.model ?? null,
      },
      data: { uplink: row.uplink ?? "unknown", ip: row.ip ?? "unknown", samples },
    };
    records.push(toTelemetryRecord(input.topic, row.serial, envelope));
  }
  return { records, dropped };
}

type Sample = UplinkLossLatencyRecord["data"]["samples"][number];

/** The API answers with or without milliseconds; the envelope carries second-precision UTC. */
function normaliseInstant(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export const uplinkLossLatencySweep: SweepDefinition = {
  kind: "uplink-loss-latency",
  schema: UPLINK_LOSS_LATENCY_SCHEMA,
  defaultTopic: "meraki.uplinks.loss-latency",
  dataDelaySeconds: 120,
  async sweepOrganization(context: OrganizationSweepContext): Promise<OrganizationSweepResult> {
    const organizationId = context.organization.id;
    const rows: UplinkLossLatencyRow[] = [];
    for (const piece of splitWindow(context.window, MAX_SPAN_SECONDS)) {
      rows.push(
        ...(await context.meraki.getOrganizationDevicesUplinksLossAndLatency(organizationId, {
          t0: piece.start,
          t1: piece.end,
        })),
      );
    }
    let devices = await context.inventory.devices(context.meraki, organizationId);
    const unknownSerial = rows.some((row) => row.serial && !devices.has(row.serial));
    if (
      unknownSerial &&
      (context.inventory.devicesAgeMs(organizationId) ?? 0) > INVENTORY_REFRESH_MIN_AGE_MS
    ) {
      // A device added since the cache was filled: refresh once so its record carries names.
      context.inventory.invalidate(organizationId);
      devices = await context.inventory.devices(context.meraki, organizationId);
    }
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return uplinkLossLatencyRecords(rows, { ...context, networks, devices });
  },
};
