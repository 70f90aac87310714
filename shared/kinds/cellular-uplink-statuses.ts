// Cellular uplink statuses: every cellular uplink of every MG cellular gateway with its status,
// carrier and signal when the sweep ran, from one paged organisation-wide listing (plus the cached
// inventory for names).
//
// The API also reports each SIM's IMSI and MSISDN. They identify a subscriber (the MSISDN is the
// SIM's phone number), which makes them personal data wherever a SIM is registered to a person, and
// no alarm, metric or query needs them: a carrier ticket names the SIM by its ICCID, which records
// keep. So records carry neither, and a log line never holds a subscriber identity.

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
import { integer, item, list, object, subjectId, text } from "../meraki/spec-fields.js";
import {
  count,
  envelopeSchema,
  firstId,
  id,
  measurement,
  optionalText,
  sourceBase,
} from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { defineKind } from "./kind.js";

/** GET /organizations/{organizationId}/cellularGateway/uplink/statuses. */
export const getOrganizationCellularGatewayUplinkStatuses = defineOperation({
  operationId: "getOrganizationCellularGatewayUplinkStatuses",
  path: "/organizations/{organizationId}/cellularGateway/uplink/statuses",
  maxPerPage: 1000,
  scope: "organization",
  item: item({
    networkId: text,
    serial: subjectId,
    model: text,
    lastReportedAt: text,
    uplinks: list(
      object({
        interface: text,
        /** active, ready, connecting, not connected, ... */
        status: text,
        ip: text,
        provider: text,
        publicIp: text,
        /** The modem: "integrated" for the MG's own. */
        model: text,
        /** dBm and dB, sent as strings ("-120"). */
        signalStat: object({ rsrp: text, rsrq: text }),
        mcc: text,
        mnc: text,
        roaming: object({ status: text }),
        connectionType: text,
        apn: text,
        gateway: text,
        dns1: text,
        dns2: text,
        signalType: text,
        mtu: integer,
        iccid: text,
        // imsi and msisdn are in the spec but not read (see the file comment).
      }),
    ),
  }),
});

export type CellularUplinkStatusRow = OperationItem<typeof getOrganizationCellularGatewayUplinkStatuses>;

export const CELLULAR_UPLINK_STATUS_SCHEMA = "semaphore.cellular-uplink-status.v1";

/** Statuses of an uplink that has a connection (carrying traffic, or standing by for it). */
export const CONNECTED_CELLULAR_STATUSES: readonly string[] = ["active", "ready"];

/**
 * What a modem can report, the extended reporting ranges of 3GPP TS 36.133 (LTE; 5G NR's
 * TS 38.133 uses the same bounds): RSRP -156 to -31 dBm, RSRQ -34 to 2.5 dB.
 */
const RSRP_DBM = { min: -156, max: -31 } as const;
const RSRQ_DB = { min: -34, max: 2.5 } as const;

export const cellularUplinkStatusEnvelope = envelopeSchema(
  CELLULAR_UPLINK_STATUS_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
  }),
  z.object({
    interface: id,
    status: optionalText,
    provider: optionalText,
    /** Reference signal received power (dBm) and quality (dB); null when the API had none. */
    rsrpDbm: measurement.min(RSRP_DBM.min).max(RSRP_DBM.max).nullable(),
    rsrqDb: measurement.min(RSRQ_DB.min).max(RSRQ_DB.max).nullable(),
    roaming: optionalText,
    connectionType: optionalText,
    signalType: optionalText,
    apn: optionalText,
    iccid: optionalText,
    mcc: optionalText,
    mnc: optionalText,
    /** The modem's model ("integrated"). */
    modem: optionalText,
    ip: optionalText,
    publicIp: optionalText,
    gateway: optionalText,
    dns1: optionalText,
    dns2: optionalText,
    mtu: count.min(1).nullable(),
    /** When the gateway last reported, as the API says. */
    lastReportedAt: optionalText,
  }),
);

export type CellularUplinkStatusEnvelope = z.infer<typeof cellularUplinkStatusEnvelope>;

export interface CellularUplinkStatusMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

/**
 * One record per (gateway, uplink interface), keyed `serial:interface` (compaction keeps each). A row without a serial cannot be
 * keyed, an uplink without an interface cannot be told from its siblings, and a gateway listing no
 * uplink says nothing: each is dropped and counted.
 */
export function cellularUplinkStatusRecords(
  rows: CellularUplinkStatusRow[],
  input: CellularUplinkStatusMappingInput,
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
      const envelope: CellularUplinkStatusEnvelope = {
        ...envelopeHead(CELLULAR_UPLINK_STATUS_SCHEMA, organizationId, subject, input),
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
          provider: uplink.provider ?? null,
          rsrpDbm: signalLevel(uplink.signalStat?.rsrp),
          rsrqDb: signalLevel(uplink.signalStat?.rsrq),
          roaming: uplink.roaming?.status ?? null,
          connectionType: uplink.connectionType ?? null,
          signalType: uplink.signalType ?? null,
          apn: uplink.apn ?? null,
          iccid: uplink.iccid ?? null,
          mcc: uplink.mcc ?? null,
          mnc: uplink.mnc ?? null,
          modem: uplink.model ?? null,
          ip: uplink.ip ?? null,
          publicIp: uplink.publicIp ?? null,
          gateway: uplink.gateway ?? null,
          dns1: uplink.dns1 ?? null,
          dns2: uplink.dns2 ?? null,
          mtu: uplink.mtu ?? null,
          lastReportedAt: row.lastReportedAt ?? null,
        },
      };
      records.push(toTelemetryRecord(input.topic, `${row.serial}:${uplink.interface}`, envelope));
    }
  }
  return { records, dropped };
}

/** "-120" -> -120. Null, "" (no signal to report) and anything not a number stay null. */
export function signalLevel(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const level = Number(value);
  return Number.isFinite(level) ? level : null;
}

const uplinkId = (envelope: CellularUplinkStatusEnvelope) =>
  `${envelope.source.serial}|${envelope.data.interface}`;

export const cellularUplinkStatuses = defineKind({
  id: "cellular-uplink-statuses",
  title: "Cellular uplink statuses",
  recordPer: "cellular gateway uplink",
  recordKey: "serial:interface",
  schema: { id: CELLULAR_UPLINK_STATUS_SCHEMA, version: 1, envelope: cellularUplinkStatusEnvelope },
  defaultTopic: "meraki.cellular.uplink-statuses",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "compact,delete" },
  window: { semantics: "snapshot", dataDelaySeconds: 0 },
  // One call per 1,000 gateways (+ cached inventory): seconds.
  deployment: { schedule: "rate(5 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationCellularGatewayUplinkStatuses,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const rows = await context.meraki.all(getOrganizationCellularGatewayUplinkStatuses, { organizationId });
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.serial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return cellularUplinkStatusRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      interface: (envelope) => envelope.data.interface,
      status: (envelope) => envelope.data.status,
      provider: (envelope) => envelope.data.provider,
      connectionType: (envelope) => envelope.data.connectionType,
      rsrpDbm: (envelope) => envelope.data.rsrpDbm,
      rsrqDb: (envelope) => envelope.data.rsrqDb,
      roaming: (envelope) => envelope.data.roaming,
      apn: (envelope) => envelope.data.apn,
      iccid: (envelope) => envelope.data.iccid,
      publicIp: (envelope) => envelope.data.publicIp,
      lastReportedAt: (envelope) => envelope.data.lastReportedAt,
    },
    metrics: [
      {
        name: "CellularUplinks",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct cellular uplinks by status",
        dimensions: { Status: (envelope) => envelope.data.status ?? "unknown" },
        observe: uplinkId,
      },
      {
        name: "CellularUplinksNotConnected",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct cellular uplinks whose status is known and neither active nor ready",
        dimensions: {},
        observe: (envelope) => {
          const { status } = envelope.data;
          return status === null || CONNECTED_CELLULAR_STATUSES.includes(status) ? null : uplinkId(envelope);
        },
      },
      {
        name: "CellularRsrpAvg",
        unit: MetricUnit.NoUnit,
        aggregation: "avg",
        description: "average signal strength (RSRP, dBm) of the uplinks that report one",
        dimensions: {},
        observe: (envelope) => envelope.data.rsrpDbm,
      },
      {
        name: "CellularRsrpMin",
        unit: MetricUnit.NoUnit,
        aggregation: "min",
        description: "weakest signal strength (RSRP, dBm) of the uplinks that report one",
        dimensions: {},
        observe: (envelope) => envelope.data.rsrpDbm,
      },
    ],
  },
  monitoring: {
    thresholds: {
      notConnectedUplinks: {
        default: 0,
        min: 0,
        max: 100_000,
        description:
          "cellular uplinks not connected (neither active nor ready) in two of three sweeps above which the alarm is raised",
      },
    },
    alarms: [
      {
        id: "uplink-not-connected",
        description: (threshold) =>
          `More than ${threshold} cellular uplinks are not connected; the "cellular uplinks not connected" query names them.`,
        metric: "CellularUplinksNotConnected",
        statistic: "SUM",
        threshold: "notConnectedUplinks",
        comparison: "above",
        // A modem re-attaching to its tower is "connecting" for a sweep or so.
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      },
    ],
    widgets: [
      { title: "Cellular uplinks by status", metric: "CellularUplinks", statistic: "SUM", groupBy: "Status" },
      {
        title: "Cellular signal RSRP dBm, weakest per network",
        metric: "CellularRsrpMin",
        statistic: "MIN",
        groupBy: "NetworkId",
      },
    ],
    queries: () => [
      {
        id: "NotConnected",
        name: "cellular uplinks not connected",
        fields: [
          "networkName",
          "deviceName",
          "serial",
          "interface",
          "status",
          "provider",
          "iccid",
          "lastReportedAt",
        ],
        filter: [`status not in [${CONNECTED_CELLULAR_STATUSES.map((s) => `"${s}"`).join(", ")}]`],
        sort: "networkName asc",
        limit: 200,
      },
      {
        id: "Signal",
        name: "cellular signal by gateway",
        stats:
          "avg(rsrpDbm) as avgRsrpDbm, min(rsrpDbm) as minRsrpDbm, avg(rsrqDb) as avgRsrqDb by networkName, deviceName, serial, provider, connectionType",
        sort: "avgRsrpDbm asc",
        limit: 100,
      },
    ],
  },
});
