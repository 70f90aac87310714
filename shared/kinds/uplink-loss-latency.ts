// Uplink loss & latency: per appliance uplink and probe destination, one sample per minute of the
// window, from one organisation-wide call (plus the cached inventory for names).

import { MetricUnit } from "@aws-lambda-powertools/metrics";
import * as z from "zod";
import { type TelemetryRecord, toTelemetryRecord } from "../kafka/record.js";
import type { Network } from "../meraki/inventory.js";
import {
  type Device,
  getOrganizationDevices,
  getOrganizationNetworks,
  getOrganizations,
} from "../meraki/inventory.js";
import { defineOperation, type OperationItem } from "../meraki/operation.js";
import { item, list, number, object, subjectId, text } from "../meraki/spec-fields.js";
import {
  envelopeSchema,
  firstId,
  id,
  isoInstant,
  optionalNonNegative,
  optionalPercent,
  optionalText,
  sourceBase,
} from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { splitWindow } from "../sweeps/window.js";
import { defineKind } from "./kind.js";
import { contribution, extreme, type SeriesSummary, summariseSeries } from "./series.js";

/** GET /organizations/{organizationId}/devices/uplinksLossAndLatency: not paginated. */
export const getOrganizationDevicesUplinksLossAndLatency = defineOperation({
  operationId: "getOrganizationDevicesUplinksLossAndLatency",
  path: "/organizations/{organizationId}/devices/uplinksLossAndLatency",
  scope: "organization",
  // serial stays nullable: the API returns rows for uplinks whose device it cannot name, and the
  // mapping, not the client, decides what to do with them.
  item: item({
    networkId: text,
    serial: subjectId,
    /** wan1, wan2, wan3, cellular */
    uplink: text,
    ip: text,
    timeSeries: list(object({ ts: text, lossPercent: number, latencyMs: number })),
  }),
});

export type UplinkLossLatencyRow = OperationItem<typeof getOrganizationDevicesUplinksLossAndLatency>;

export const UPLINK_LOSS_LATENCY_SCHEMA = "semaphore.uplink-loss-latency.v1";

export const uplinkLossLatencyEnvelope = envelopeSchema(
  UPLINK_LOSS_LATENCY_SCHEMA,
  z.object({
    ...sourceBase,
    networkId: id,
    serial: id,
    model: optionalText,
  }),
  z.object({
    uplink: id,
    ip: id,
    samples: z
      .array(
        z.object({
          ts: isoInstant,
          // The API reports null for a minute without probe results.
          lossPercent: optionalPercent,
          latencyMs: optionalNonNegative,
        }),
      )
      .min(1),
  }),
);

export type UplinkLossLatencyEnvelope = z.infer<typeof uplinkLossLatencyEnvelope>;
type Sample = UplinkLossLatencyEnvelope["data"]["samples"][number];

/** The API accepts t1 - t0 of at most 5 minutes; longer schedule periods are fetched in pieces. */
const MAX_SPAN_SECONDS = 300;

export interface UplinkMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
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
      if (typeof point?.ts !== "string") continue;
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
    const networkId = firstId(row.networkId, device?.networkId);
    if (!networkId) {
      countDrop(dropped, "no-network");
      continue;
    }
    const envelope: UplinkLossLatencyEnvelope = {
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

/** The API answers with or without milliseconds; the envelope carries second-precision UTC. */
function normaliseInstant(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface UplinkSummary {
  lossPercent: SeriesSummary;
  latencyMs: SeriesSummary;
}

const byUplink = { Uplink: (envelope: UplinkLossLatencyEnvelope) => envelope.data.uplink };

export const uplinkLossLatency = defineKind({
  id: "uplink-loss-latency",
  title: "Uplink loss & latency",
  recordPer: "appliance uplink and probe destination",
  recordKey: "device serial",
  schema: { id: UPLINK_LOSS_LATENCY_SCHEMA, version: 1, envelope: uplinkLossLatencyEnvelope },
  defaultTopic: "meraki.uplinks.loss-latency",
  topicSettings: { partitions: 6, retentionHours: 7 * 24, cleanupPolicy: "delete" },
  window: { semantics: "window", dataDelaySeconds: 120 },
  // One call per organisation (+ cached inventory): seconds.
  deployment: { schedule: "rate(5 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationDevicesUplinksLossAndLatency,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const rows: UplinkLossLatencyRow[] = [];
    for (const piece of splitWindow(context.window, MAX_SPAN_SECONDS)) {
      rows.push(
        ...(await context.meraki.all(getOrganizationDevicesUplinksLossAndLatency, {
          organizationId,
          query: { t0: piece.start, t1: piece.end },
        })),
      );
    }
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.serial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return uplinkLossLatencyRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    // A record carries one sample per minute; lines and metrics want a handful of numbers.
    summarise: (envelope): UplinkSummary => ({
      lossPercent: summariseSeries(
        envelope.data.samples,
        (s) => s.lossPercent,
        (s) => s.ts,
      ),
      latencyMs: summariseSeries(
        envelope.data.samples,
        (s) => s.latencyMs,
        (s) => s.ts,
      ),
    }),
    fields: {
      model: (envelope) => envelope.source.model,
      uplink: (envelope) => envelope.data.uplink,
      ip: (envelope) => envelope.data.ip,
      lossPercent: (_envelope, summary) => summary.lossPercent.latest,
      latencyMs: (_envelope, summary) => summary.latencyMs.latest,
      lossPercentAvg: (_envelope, summary) => summary.lossPercent.avg,
      lossPercentMax: (_envelope, summary) => extreme(summary.lossPercent, "max"),
      latencyMsAvg: (_envelope, summary) => summary.latencyMs.avg,
      latencyMsMax: (_envelope, summary) => extreme(summary.latencyMs, "max"),
      samples: (envelope) => envelope.data.samples.length,
    },
    metrics: [
      {
        name: "LossPercentAvg",
        unit: MetricUnit.Percent,
        aggregation: "avg",
        description: "average probe loss over every minute of the window",
        dimensions: byUplink,
        observe: (_envelope, summary) => contribution(summary.lossPercent),
      },
      {
        name: "LossPercentMax",
        unit: MetricUnit.Percent,
        aggregation: "max",
        description: "worst minute's probe loss",
        dimensions: byUplink,
        observe: (_envelope, summary) => contribution(summary.lossPercent),
      },
      {
        name: "LatencyMsAvg",
        unit: MetricUnit.Milliseconds,
        aggregation: "avg",
        description: "average probe latency over every minute of the window",
        dimensions: byUplink,
        observe: (_envelope, summary) => contribution(summary.latencyMs),
      },
      {
        name: "LatencyMsMax",
        unit: MetricUnit.Milliseconds,
        aggregation: "max",
        description: "worst minute's probe latency",
        dimensions: byUplink,
        observe: (_envelope, summary) => contribution(summary.latencyMs),
      },
    ],
  },
  monitoring: {
    thresholds: {
      lossPercent: {
        default: 5,
        min: 0,
        max: 100,
        description: "worst uplink loss (percent) of any network over 5 minutes that raises the alarm",
      },
    },
    alarms: [
      {
        id: "loss-above-threshold",
        description: (threshold) =>
          `Some uplink lost more than ${threshold}% of probes; the "uplink loss above threshold" query names it.`,
        metric: "LossPercentMax",
        statistic: "MAX",
        threshold: "lossPercent",
        comparison: "above",
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      },
    ],
    widgets: [
      {
        title: "Uplink loss %, worst 10 networks",
        metric: "LossPercentMax",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
      {
        title: "Uplink latency ms, worst 10 networks",
        metric: "LatencyMsAvg",
        statistic: "AVG",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: (thresholds) => [
      {
        id: "Loss",
        name: "uplink loss above threshold",
        filter: [`lossPercentMax > ${thresholds.lossPercent ?? 0}`],
        stats:
          "max(lossPercentMax) as worstLossPercent, avg(latencyMsAvg) as avgLatencyMs, count(*) as windows by networkName, deviceName, serial, uplink, ip",
        sort: "worstLossPercent desc",
        limit: 100,
      },
      {
        id: "Latency",
        name: "uplink latency by network",
        stats: "avg(latencyMsAvg) as avgLatencyMs, max(latencyMsMax) as maxLatencyMs by networkName, uplink",
        sort: "avgLatencyMs desc",
        limit: 100,
      },
    ],
  },
});
