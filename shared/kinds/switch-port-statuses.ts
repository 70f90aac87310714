// Switch port statuses: every port of every switch with its status, errors, warnings, speed and
// PoE when the sweep runs, from one organisation-wide listing paged by switch (20 a page).

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
import { boolean, item, list, object, subjectId, text, textList } from "../meraki/spec-fields.js";
import { envelopeSchema, firstId, id, optionalText, sourceBase } from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { defineKind, type LineValue } from "./kind.js";

/** GET /organizations/{organizationId}/switch/ports/statuses/bySwitch: `{items, meta}`, one item per switch. */
export const getOrganizationSwitchPortsStatusesBySwitch = defineOperation({
  operationId: "getOrganizationSwitchPortsStatusesBySwitch",
  path: "/organizations/{organizationId}/switch/ports/statuses/bySwitch",
  maxPerPage: 20,
  itemsAt: "items",
  scope: "organization",
  item: item({
    name: text,
    serial: subjectId,
    mac: text,
    network: object({ name: text, id: text }),
    model: text,
    ports: list(
      object({
        portId: text,
        enabled: boolean,
        /** Connected, Disabled, Disconnected */
        status: text,
        isUplink: boolean,
        errors: textList,
        warnings: textList,
        /** "", "10 Mbps", ..., "1 Gbps", "10 Gbps", ... */
        speed: text,
        /** "", "full", "half" */
        duplex: text,
        spanningTree: object({ statuses: textList }),
        poe: object({ isAllocated: boolean }),
        securePort: object({ active: boolean, authenticationStatus: text }),
      }),
    ),
  }),
});

export type SwitchPortsRow = OperationItem<typeof getOrganizationSwitchPortsStatusesBySwitch>;

/** The port statuses the spec names; anything else is "other" as a metric dimension. */
export const SWITCH_PORT_STATUSES = ["Connected", "Disabled", "Disconnected"] as const;

export const SWITCH_PORT_SCHEMA = "semaphore.switch-port-status.v1";

const optionalBoolean = z.boolean().nullable();
const optionalTextList = z.array(z.string()).nullable();

export const switchPortEnvelope = envelopeSchema(
  SWITCH_PORT_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
    mac: optionalText,
  }),
  z.object({
    portId: id,
    enabled: optionalBoolean,
    status: optionalText,
    isUplink: optionalBoolean,
    errors: optionalTextList,
    warnings: optionalTextList,
    speed: optionalText,
    duplex: optionalText,
    spanningTreeStatuses: optionalTextList,
    poeAllocated: optionalBoolean,
    securePort: z.object({ active: optionalBoolean, authenticationStatus: optionalText }),
  }),
);

export type SwitchPortEnvelope = z.infer<typeof switchPortEnvelope>;

export interface SwitchPortMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

/**
 * One record per switch port, keyed `serial:portId`. Switches without a serial and ports without
 * an id cannot be keyed, and a switch that lists no ports has nothing to report: each is dropped
 * and counted.
 */
export function switchPortRecords(
  rows: SwitchPortsRow[],
  input: SwitchPortMappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  for (const row of rows) {
    if (!row.serial) {
      countDrop(dropped, "null-serial");
      continue;
    }
    const ports = row.ports ?? [];
    if (ports.length === 0) countDrop(dropped, "no-ports");
    const device = input.devices.get(row.serial);
    const networkId = firstId(row.network?.id, device?.networkId);
    const source = {
      organizationId,
      organizationName: input.organization.name ?? null,
      networkId,
      networkName: row.network?.name ?? (networkId ? (input.networks.get(networkId)?.name ?? null) : null),
      serial: row.serial,
      deviceName: row.name ?? device?.name ?? null,
      model: row.model ?? device?.model ?? null,
      mac: row.mac ?? device?.mac ?? null,
    };
    for (const port of ports) {
      if (!port?.portId) {
        countDrop(dropped, "no-port-id");
        continue;
      }
      const key = `${row.serial}:${port.portId}`;
      const envelope: SwitchPortEnvelope = {
        ...envelopeHead(SWITCH_PORT_SCHEMA, organizationId, key, input),
        source,
        data: {
          portId: port.portId,
          enabled: port.enabled ?? null,
          status: port.status ?? null,
          isUplink: port.isUplink ?? null,
          errors: port.errors ?? null,
          warnings: port.warnings ?? null,
          speed: port.speed ?? null,
          duplex: port.duplex ?? null,
          spanningTreeStatuses: port.spanningTree?.statuses ?? null,
          poeAllocated: port.poe?.isAllocated ?? null,
          securePort: {
            active: port.securePort?.active ?? null,
            authenticationStatus: port.securePort?.authenticationStatus ?? null,
          },
        },
      };
      records.push(toTelemetryRecord(input.topic, key, envelope));
    }
  }
  return { records, dropped };
}

/** A flag as a line field: 1 or 0, so Logs Insights can sum it; null when the API did not say. */
function flag(value: boolean | null): LineValue {
  return value === null ? null : value ? 1 : 0;
}

function joined(values: readonly string[] | null): LineValue {
  return values === null || values.length === 0 ? null : values.join("; ");
}

const portOf = (envelope: SwitchPortEnvelope) => `${envelope.source.serial}:${envelope.data.portId}`;

export const switchPortStatuses = defineKind({
  id: "switch-port-statuses",
  title: "Switch port statuses",
  recordPer: "switch port",
  recordKey: "serial:portId",
  schema: { id: SWITCH_PORT_SCHEMA, version: 1, envelope: switchPortEnvelope },
  defaultTopic: "meraki.switch.port-statuses",
  topicSettings: { partitions: 6, retentionHours: 7 * 24, cleanupPolicy: "compact,delete" },
  window: { semantics: "snapshot", dataDelaySeconds: 0 },
  // One call per 20 switches: 500 switches are 25 calls, a few seconds at 8 req/s.
  deployment: { schedule: "rate(15 minutes)", memoryMb: 512, timeoutSeconds: 300 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationSwitchPortsStatusesBySwitch,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const rows = await context.meraki.all(getOrganizationSwitchPortsStatusesBySwitch, { organizationId });
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.serial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return switchPortRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      portId: (envelope) => envelope.data.portId,
      status: (envelope) => envelope.data.status,
      enabled: (envelope) => flag(envelope.data.enabled),
      isUplink: (envelope) => flag(envelope.data.isUplink),
      speed: (envelope) => envelope.data.speed,
      duplex: (envelope) => envelope.data.duplex,
      errorCount: (envelope) => envelope.data.errors?.length ?? null,
      errors: (envelope) => joined(envelope.data.errors),
      warnings: (envelope) => joined(envelope.data.warnings),
      poeAllocated: (envelope) => flag(envelope.data.poeAllocated),
      securePortStatus: (envelope) => envelope.data.securePort.authenticationStatus,
    },
    metrics: [
      {
        name: "SwitchPorts",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct switch ports by status",
        dimensions: {
          Status: (envelope) =>
            (SWITCH_PORT_STATUSES as readonly (string | null)[]).includes(envelope.data.status)
              ? envelope.data.status!
              : "other",
        },
        observe: portOf,
      },
      {
        name: "SwitchPortsWithErrors",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct switch ports reporting at least one error",
        dimensions: {},
        observe: (envelope) => ((envelope.data.errors?.length ?? 0) > 0 ? portOf(envelope) : null),
      },
      {
        name: "SwitchPortsWithWarnings",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct switch ports reporting at least one warning",
        dimensions: {},
        observe: (envelope) => ((envelope.data.warnings?.length ?? 0) > 0 ? portOf(envelope) : null),
      },
      {
        name: "SwitchPortsPoeAllocated",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct switch ports drawing PoE power",
        dimensions: {},
        observe: (envelope) => (envelope.data.poeAllocated === true ? portOf(envelope) : null),
      },
    ],
  },
  monitoring: {
    thresholds: {
      portsWithErrors: {
        // Off until set: a few ports with CRC errors are everyday life on a large estate.
        min: 0,
        max: 100_000,
        description: "switch ports with errors in any one network above which the alarm is raised",
      },
    },
    alarms: [
      {
        id: "ports-with-errors",
        description: (threshold) =>
          `Some network has more than ${threshold} switch ports with errors in two sweeps; the "switch ports with errors" query names them.`,
        metric: "SwitchPortsWithErrors",
        statistic: "MAX",
        threshold: "portsWithErrors",
        comparison: "above",
        // Two 15-minute sweeps within six 5-minute periods.
        evaluationPeriods: 6,
        datapointsToAlarm: 2,
      },
    ],
    widgets: [
      { title: "Switch ports by status", metric: "SwitchPorts", statistic: "SUM", groupBy: "Status" },
      {
        title: "Switch ports with errors, worst 10 networks",
        metric: "SwitchPortsWithErrors",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
      {
        title: "Switch ports drawing PoE, top 10 networks",
        metric: "SwitchPortsPoeAllocated",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: () => [
      {
        id: "Errors",
        name: "switch ports with errors",
        fields: ["networkName", "deviceName", "serial", "portId", "status", "speed", "errors", "warnings"],
        filter: ["errorCount > 0"],
        sort: "@timestamp desc",
        limit: 200,
      },
      {
        id: "ByStatus",
        name: "switch ports by status",
        stats: "count_distinct(portId) as ports by networkName, deviceName, status",
        sort: "networkName asc",
        limit: 500,
      },
    ],
  },
});
