// Wireless channel utilization: per access point and band, the total, Wi-Fi and non-Wi-Fi share of
// airtime in each 5-minute interval of the window, from one organisation-wide call per interval.
//
// Why one call per interval: the byDevice answer is one row per access point averaged over t0-t1,
// and its rows carry no time. Asking for exactly one 300 s interval per call makes every value's
// interval known, so a record holds one sample per interval (the window's worst interval, not
// only its average) and a retried window reproduces the same samples and ids.

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
import { item, list, number, object, subjectId, text } from "../meraki/spec-fields.js";
import {
  envelopeSchema,
  firstId,
  id,
  isoInstant,
  optionalPercent,
  optionalText,
  sourceBase,
  startsBeforeEnd,
} from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { type SweepWindow, splitWindow } from "../sweeps/window.js";
import { type ApiTimeLimits, assertWithinApiLimits } from "../sweeps/window-span.js";
import { defineKind } from "./kind.js";
import { contribution, extreme, type SeriesSummary, summariseSeries } from "./series.js";
import { WIRELESS_LOOKBACK_SECONDS, wirelessBandDimension } from "./wireless.js";

/** GET /organizations/{organizationId}/wireless/devices/channelUtilization/byDevice. */
export const getOrganizationWirelessDevicesChannelUtilizationByDevice = defineOperation({
  operationId: "getOrganizationWirelessDevicesChannelUtilizationByDevice",
  path: "/organizations/{organizationId}/wireless/devices/channelUtilization/byDevice",
  maxPerPage: 1000,
  scope: "organization",
  item: item({
    serial: subjectId,
    mac: text,
    network: object({ id: text }),
    byBand: list(
      object({
        /** "2.4", "5", "6" */
        band: text,
        wifi: object({ percentage: number }),
        nonWifi: object({ percentage: number }),
        total: object({ percentage: number }),
      }),
    ),
  }),
});

export type ChannelUtilizationRow = OperationItem<
  typeof getOrganizationWirelessDevicesChannelUtilizationByDevice
>;

/** The smallest of the intervals the operation offers (300, 600, 3600, ...): the finest samples. */
export const CHANNEL_UTILIZATION_INTERVAL_SECONDS = 300;

const LIMITS: ApiTimeLimits = {
  operationId: getOrganizationWirelessDevicesChannelUtilizationByDevice.operationId,
  lookbackSeconds: WIRELESS_LOOKBACK_SECONDS,
  // One call per interval: a day's window is 288 calls, the most a sweep should make per organisation.
  span: { multipleOfSeconds: CHANNEL_UTILIZATION_INTERVAL_SECONDS, maxSeconds: 86_400 },
};

export const CHANNEL_UTILIZATION_SCHEMA = "semaphore.wireless-channel-utilization.v1";

export const channelUtilizationEnvelope = envelopeSchema(
  CHANNEL_UTILIZATION_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
    mac: optionalText,
  }),
  z.object({
    band: id,
    samples: z
      .array(
        z
          .object({
            /** The interval the values average. */
            start: isoInstant,
            end: isoInstant,
            totalPercent: optionalPercent,
            wifiPercent: optionalPercent,
            nonWifiPercent: optionalPercent,
          })
          .refine(...startsBeforeEnd("start", "end")),
      )
      .min(1),
  }),
);

export type ChannelUtilizationEnvelope = z.infer<typeof channelUtilizationEnvelope>;
type Sample = ChannelUtilizationEnvelope["data"]["samples"][number];

/** The rows of one call, with the interval the call asked for (the rows do not say it). */
export interface ChannelUtilizationInterval {
  interval: SweepWindow;
  rows: ChannelUtilizationRow[];
}

export interface ChannelUtilizationMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

interface Subject {
  serial: string;
  mac: string | null;
  networkId: string | null;
  band: string;
  samples: Sample[];
}

/**
 * One record per (access point, network, band) over the window's intervals. The network is part of
 * the subject because an access point moved during the window is reported once per network: each
 * gets its own id. Rows without a serial and bands without a name are dropped and counted.
 */
export function channelUtilizationRecords(
  intervals: readonly ChannelUtilizationInterval[],
  input: ChannelUtilizationMappingInput,
): OrganizationSweepResult {
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  const subjects = new Map<string, Subject>();
  for (const { interval, rows } of intervals) {
    for (const row of rows) {
      if (!row.serial) {
        countDrop(dropped, "null-serial");
        continue;
      }
      const bands = row.byBand ?? [];
      if (bands.length === 0) countDrop(dropped, "no-bands");
      const networkId = firstId(row.network?.id, input.devices.get(row.serial)?.networkId);
      for (const entry of bands) {
        if (!entry?.band) {
          countDrop(dropped, "no-band");
          continue;
        }
        const subject = `${row.serial}|${networkId ?? "none"}|${entry.band}`;
        const found = subjects.get(subject) ?? {
          serial: row.serial,
          mac: row.mac ?? null,
          networkId,
          band: entry.band,
          samples: [],
        };
        found.samples.push({
          start: interval.start,
          end: interval.end,
          totalPercent: entry.total?.percentage ?? null,
          wifiPercent: entry.wifi?.percentage ?? null,
          nonWifiPercent: entry.nonWifi?.percentage ?? null,
        });
        subjects.set(subject, found);
      }
    }
  }
  const records: TelemetryRecord[] = [];
  for (const [subject, found] of subjects) {
    const device = input.devices.get(found.serial);
    const envelope: ChannelUtilizationEnvelope = {
      ...envelopeHead(CHANNEL_UTILIZATION_SCHEMA, organizationId, subject, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId: found.networkId,
        networkName: found.networkId ? (input.networks.get(found.networkId)?.name ?? null) : null,
        serial: found.serial,
        deviceName: device?.name ?? null,
        model: device?.model ?? null,
        mac: found.mac ?? device?.mac ?? null,
      },
      data: { band: found.band, samples: found.samples },
    };
    records.push(toTelemetryRecord(input.topic, found.serial, envelope));
  }
  return { records, dropped };
}

interface ChannelUtilizationSummary {
  total: SeriesSummary;
  wifi: SeriesSummary;
  nonWifi: SeriesSummary;
}

const byBand = { Band: (envelope: ChannelUtilizationEnvelope) => wirelessBandDimension(envelope.data.band) };

export const wirelessChannelUtilization = defineKind({
  id: "wireless-channel-utilization",
  title: "Wireless channel utilization",
  recordPer: "access point and band",
  recordKey: "device serial",
  schema: { id: CHANNEL_UTILIZATION_SCHEMA, version: 1, envelope: channelUtilizationEnvelope },
  defaultTopic: "meraki.wireless.channel-utilization",
  topicSettings: { partitions: 6, retentionHours: 7 * 24, cleanupPolicy: "delete" },
  // An interval's average exists once the interval is over; one interval of delay keeps windows
  // aligned to the intervals.
  window: {
    semantics: "window",
    dataDelaySeconds: CHANNEL_UTILIZATION_INTERVAL_SECONDS,
    span: LIMITS.span,
  },
  // Two calls per organisation for the default 10-minute window (+ cached inventory): seconds.
  deployment: { schedule: "rate(10 minutes)", memoryMb: 512, timeoutSeconds: 180 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationWirelessDevicesChannelUtilizationByDevice,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    assertWithinApiLimits(context.window, context.observedAt, LIMITS);
    const intervals: ChannelUtilizationInterval[] = [];
    for (const interval of splitWindow(context.window, CHANNEL_UTILIZATION_INTERVAL_SECONDS)) {
      const rows = await context.meraki.all(getOrganizationWirelessDevicesChannelUtilizationByDevice, {
        organizationId,
        query: { t0: interval.start, t1: interval.end, interval: CHANNEL_UTILIZATION_INTERVAL_SECONDS },
      });
      intervals.push({ interval, rows });
    }
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      intervals.flatMap(({ rows }) => rows.map((row) => row.serial)),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return channelUtilizationRecords(intervals, { ...context, networks, devices });
  },
  consumer: {
    summarise: (envelope): ChannelUtilizationSummary => ({
      total: summariseSeries(
        envelope.data.samples,
        (s) => s.totalPercent,
        (s) => s.start,
      ),
      wifi: summariseSeries(
        envelope.data.samples,
        (s) => s.wifiPercent,
        (s) => s.start,
      ),
      nonWifi: summariseSeries(
        envelope.data.samples,
        (s) => s.nonWifiPercent,
        (s) => s.start,
      ),
    }),
    fields: {
      model: (envelope) => envelope.source.model,
      band: (envelope) => envelope.data.band,
      utilizationPercent: (_envelope, summary) => summary.total.latest,
      utilizationPercentAvg: (_envelope, summary) => summary.total.avg,
      utilizationPercentMax: (_envelope, summary) => extreme(summary.total, "max"),
      wifiPercentAvg: (_envelope, summary) => summary.wifi.avg,
      nonWifiPercentAvg: (_envelope, summary) => summary.nonWifi.avg,
      samples: (envelope) => envelope.data.samples.length,
    },
    metrics: [
      {
        name: "ChannelUtilizationPercentAvg",
        unit: MetricUnit.Percent,
        aggregation: "avg",
        description: "average total channel utilization over the access points' 5-minute intervals",
        dimensions: byBand,
        observe: (_envelope, summary) => contribution(summary.total),
      },
      {
        name: "ChannelUtilizationPercentMax",
        unit: MetricUnit.Percent,
        aggregation: "max",
        description: "busiest access point's worst 5-minute interval of total channel utilization",
        dimensions: byBand,
        observe: (_envelope, summary) => contribution(summary.total),
      },
      {
        name: "ChannelUtilizationWifiPercentAvg",
        unit: MetricUnit.Percent,
        aggregation: "avg",
        description: "average airtime used by Wi-Fi (802.11) traffic",
        dimensions: byBand,
        observe: (_envelope, summary) => contribution(summary.wifi),
      },
      {
        name: "ChannelUtilizationNonWifiPercentAvg",
        unit: MetricUnit.Percent,
        aggregation: "avg",
        description: "average airtime taken by non-Wi-Fi interference",
        dimensions: byBand,
        observe: (_envelope, summary) => contribution(summary.nonWifi),
      },
    ],
  },
  monitoring: {
    thresholds: {
      utilizationPercent: {
        // Off until set: a busy venue runs its 2.4 GHz band hot all day, an office should not.
        min: 0,
        max: 100,
        description:
          "worst total channel utilization (percent) of any access point and band over 5 minutes that raises the alarm",
      },
    },
    alarms: [
      {
        id: "utilization-above-threshold",
        description: (threshold) =>
          `Some access point's channel utilization was above ${threshold}% in two sweeps; the "channel utilization above threshold" query names it.`,
        metric: "ChannelUtilizationPercentMax",
        statistic: "MAX",
        threshold: "utilizationPercent",
        comparison: "above",
        // Two 10-minute sweeps within four 5-minute periods.
        evaluationPeriods: 4,
        datapointsToAlarm: 2,
      },
    ],
    widgets: [
      {
        title: "Channel utilization %, worst 10 networks",
        metric: "ChannelUtilizationPercentMax",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
      {
        title: "Channel utilization % by band",
        metric: "ChannelUtilizationPercentAvg",
        statistic: "AVG",
        groupBy: "Band",
      },
    ],
    queries: (thresholds) => [
      {
        id: "Busy",
        name: "channel utilization above threshold",
        filter: [`utilizationPercentMax > ${thresholds.utilizationPercent ?? 0}`],
        stats:
          "max(utilizationPercentMax) as worstPercent, avg(utilizationPercentAvg) as avgPercent, avg(nonWifiPercentAvg) as avgNonWifiPercent, count(*) as windows by networkName, deviceName, serial, band",
        sort: "worstPercent desc",
        limit: 100,
      },
      {
        id: "ByBand",
        name: "channel utilization by network and band",
        stats:
          "avg(utilizationPercentAvg) as avgPercent, max(utilizationPercentMax) as maxPercent by networkName, band",
        sort: "avgPercent desc",
        limit: 100,
      },
    ],
  },
});
