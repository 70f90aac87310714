// Wireless packet loss: per access point, the packets its clients and it exchanged in the window
// and how many were lost each way, from one organisation-wide call over the window.

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
import { integer, item, number, object, subjectId, text } from "../meraki/spec-fields.js";
import {
  envelopeSchema,
  firstId,
  id,
  optionalCount,
  optionalPercent,
  optionalText,
  sourceBase,
  type ViolationParams,
} from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { type ApiTimeLimits, assertWithinApiLimits } from "../sweeps/window-span.js";
import { defineKind } from "./kind.js";
import { WIRELESS_LOOKBACK_SECONDS } from "./wireless.js";

const direction = object({ total: integer, lost: integer, lossPercentage: number });

/** GET /organizations/{organizationId}/wireless/devices/packetLoss/byDevice. */
export const getOrganizationWirelessDevicesPacketLossByDevice = defineOperation({
  operationId: "getOrganizationWirelessDevicesPacketLossByDevice",
  path: "/organizations/{organizationId}/wireless/devices/packetLoss/byDevice",
  maxPerPage: 1000,
  scope: "organization",
  item: item({
    /** Packets from the access point to its clients. */
    downstream: direction,
    /** Packets from the clients to the access point. */
    upstream: direction,
    network: object({ id: text, name: text }),
    // The row's subject: a device of another type than the spec's object breaks the contract (a
    // null one is dropped and counted), as a serial of another type does.
    device: z.looseObject({ name: text, serial: subjectId, mac: text }).nullish(),
  }),
});

export type PacketLossRow = OperationItem<typeof getOrganizationWirelessDevicesPacketLossByDevice>;

const DAY_SECONDS = 86_400;

const LIMITS: ApiTimeLimits = {
  operationId: getOrganizationWirelessDevicesPacketLossByDevice.operationId,
  lookbackSeconds: WIRELESS_LOOKBACK_SECONDS,
  span: {
    // "greater than or equal to 5 minutes"
    minSeconds: 300,
    // t1 may be 90 days after t0, but t0 must also lie within the 90-day lookback when a retry
    // runs up to a day late (the Scheduler's maximum event age).
    maxSeconds: WIRELESS_LOOKBACK_SECONDS - DAY_SECONDS,
  },
};

export const PACKET_LOSS_SCHEMA = "semaphore.wireless-packet-loss.v1";

const lostOfTotal: ViolationParams = { violation: "value-out-of-range" };

const packetCounts = z
  .object({
    total: optionalCount,
    lost: optionalCount,
    lossPercent: optionalPercent,
  })
  .refine((counts) => counts.lost === null || counts.total === null || counts.lost <= counts.total, {
    message: "lost must not exceed total",
    path: ["lost"],
    params: lostOfTotal,
  });

export const packetLossEnvelope = envelopeSchema(
  PACKET_LOSS_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
    mac: optionalText,
  }),
  z.object({
    /** Access point to client. */
    downstream: packetCounts,
    /** Client to access point. */
    upstream: packetCounts,
  }),
);

export type PacketLossEnvelope = z.infer<typeof packetLossEnvelope>;

export interface PacketLossMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

type Direction = NonNullable<PacketLossRow["downstream"]>;

function counts(reported: Direction | null | undefined): PacketLossEnvelope["data"]["downstream"] {
  return {
    total: reported?.total ?? null,
    lost: reported?.lost ?? null,
    lossPercent: reported?.lossPercentage ?? null,
  };
}

/**
 * One record per (access point, network) for the window: an access point moved during the window
 * is reported once per network, and each row gets its own id. Rows without a serial are dropped
 * and counted.
 */
export function packetLossRecords(
  rows: PacketLossRow[],
  input: PacketLossMappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  for (const row of rows) {
    const serial = row.device?.serial;
    if (!serial) {
      countDrop(dropped, "null-serial");
      continue;
    }
    const device = input.devices.get(serial);
    const networkId = firstId(row.network?.id, device?.networkId);
    const envelope: PacketLossEnvelope = {
      ...envelopeHead(PACKET_LOSS_SCHEMA, organizationId, `${serial}|${networkId ?? "none"}`, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId,
        networkName: row.network?.name ?? (networkId ? (input.networks.get(networkId)?.name ?? null) : null),
        serial,
        deviceName: row.device?.name ?? device?.name ?? null,
        model: device?.model ?? null,
        mac: row.device?.mac ?? device?.mac ?? null,
      },
      data: { downstream: counts(row.downstream), upstream: counts(row.upstream) },
    };
    records.push(toTelemetryRecord(input.topic, serial, envelope));
  }
  return { records, dropped };
}

export const wirelessPacketLoss = defineKind({
  id: "wireless-packet-loss",
  title: "Wireless packet loss",
  recordPer: "access point",
  recordKey: "device serial",
  schema: { id: PACKET_LOSS_SCHEMA, version: 1, envelope: packetLossEnvelope },
  defaultTopic: "meraki.wireless.packet-loss",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "delete" },
  window: { semantics: "window", dataDelaySeconds: 300, span: LIMITS.span },
  // One call (a page per 1,000 access points) per organisation, + cached inventory.
  deployment: { schedule: "rate(10 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationWirelessDevicesPacketLossByDevice,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    assertWithinApiLimits(context.window, context.observedAt, LIMITS);
    const rows = await context.meraki.all(getOrganizationWirelessDevicesPacketLossByDevice, {
      organizationId,
      query: { t0: context.window.start, t1: context.window.end },
    });
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.device?.serial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return packetLossRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      downstreamLossPercent: (envelope) => envelope.data.downstream.lossPercent,
      upstreamLossPercent: (envelope) => envelope.data.upstream.lossPercent,
      downstreamLost: (envelope) => envelope.data.downstream.lost,
      downstreamTotal: (envelope) => envelope.data.downstream.total,
      upstreamLost: (envelope) => envelope.data.upstream.lost,
      upstreamTotal: (envelope) => envelope.data.upstream.total,
    },
    metrics: [
      {
        name: "WirelessDownstreamLossPercentAvg",
        unit: MetricUnit.Percent,
        aggregation: "avg",
        description: "average over access points of the packets to clients that were lost",
        dimensions: {},
        observe: (envelope) => envelope.data.downstream.lossPercent,
      },
      {
        name: "WirelessDownstreamLossPercentMax",
        unit: MetricUnit.Percent,
        aggregation: "max",
        description: "worst access point's loss of packets to clients",
        dimensions: {},
        observe: (envelope) => envelope.data.downstream.lossPercent,
      },
      {
        name: "WirelessUpstreamLossPercentAvg",
        unit: MetricUnit.Percent,
        aggregation: "avg",
        description: "average over access points of the packets from clients that were lost",
        dimensions: {},
        observe: (envelope) => envelope.data.upstream.lossPercent,
      },
      {
        name: "WirelessUpstreamLossPercentMax",
        unit: MetricUnit.Percent,
        aggregation: "max",
        description: "worst access point's loss of packets from clients",
        dimensions: {},
        observe: (envelope) => envelope.data.upstream.lossPercent,
      },
      {
        name: "WirelessDownstreamPacketsLost",
        unit: MetricUnit.Count,
        aggregation: "sum",
        description: "packets to clients lost in the window",
        dimensions: {},
        observe: (envelope) => envelope.data.downstream.lost,
      },
      {
        name: "WirelessDownstreamPackets",
        unit: MetricUnit.Count,
        aggregation: "sum",
        description: "packets to clients in the window",
        dimensions: {},
        observe: (envelope) => envelope.data.downstream.total,
      },
      {
        name: "WirelessUpstreamPacketsLost",
        unit: MetricUnit.Count,
        aggregation: "sum",
        description: "packets from clients lost in the window",
        dimensions: {},
        observe: (envelope) => envelope.data.upstream.lost,
      },
      {
        name: "WirelessUpstreamPackets",
        unit: MetricUnit.Count,
        aggregation: "sum",
        description: "packets from clients in the window",
        dimensions: {},
        observe: (envelope) => envelope.data.upstream.total,
      },
    ],
  },
  monitoring: {
    thresholds: {
      lossPercent: {
        // Off until set: what loss is normal depends on the site's radio environment.
        min: 0,
        max: 100,
        description:
          "worst wireless packet loss (percent, either direction) of any access point over a window that raises the alarms",
      },
    },
    alarms: [
      {
        id: "downstream-loss-above-threshold",
        description: (threshold) =>
          `Some access point lost more than ${threshold}% of the packets to its clients in two sweeps; the "wireless packet loss above threshold" query names it.`,
        metric: "WirelessDownstreamLossPercentMax",
        statistic: "MAX",
        threshold: "lossPercent",
        comparison: "above",
        // Two 10-minute sweeps within four 5-minute periods.
        evaluationPeriods: 4,
        datapointsToAlarm: 2,
      },
      {
        id: "upstream-loss-above-threshold",
        description: (threshold) =>
          `Some access point lost more than ${threshold}% of the packets from its clients in two sweeps; the "wireless packet loss above threshold" query names it.`,
        metric: "WirelessUpstreamLossPercentMax",
        statistic: "MAX",
        threshold: "lossPercent",
        comparison: "above",
        evaluationPeriods: 4,
        datapointsToAlarm: 2,
      },
    ],
    widgets: [
      {
        title: "Wireless downstream loss %, worst 10 networks",
        metric: "WirelessDownstreamLossPercentMax",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
      {
        title: "Wireless upstream loss %, worst 10 networks",
        metric: "WirelessUpstreamLossPercentMax",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: (thresholds) => [
      {
        id: "Loss",
        name: "wireless packet loss above threshold",
        filter: [
          `downstreamLossPercent > ${thresholds.lossPercent ?? 0} or upstreamLossPercent > ${thresholds.lossPercent ?? 0}`,
        ],
        stats:
          "max(downstreamLossPercent) as worstDownstreamPercent, max(upstreamLossPercent) as worstUpstreamPercent, count(*) as windows by networkName, deviceName, serial",
        sort: "worstDownstreamPercent desc",
        limit: 100,
      },
      {
        id: "ByNetwork",
        name: "wireless packet loss by network",
        stats:
          "sum(downstreamLost) as downstreamLost, sum(downstreamTotal) as downstreamPackets, sum(upstreamLost) as upstreamLost, sum(upstreamTotal) as upstreamPackets, avg(downstreamLossPercent) as avgDownstreamLossPercent by networkName",
        sort: "downstreamLost desc",
        limit: 100,
      },
    ],
  },
});
