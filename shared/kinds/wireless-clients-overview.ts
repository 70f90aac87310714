// Wireless clients overview: how many clients each access point has online when the sweep runs,
// from one paged organisation-wide listing.

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
import { integer, item, object, subjectId, text } from "../meraki/spec-fields.js";
import { envelopeSchema, firstId, id, optionalCount, optionalText, sourceBase } from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { defineKind } from "./kind.js";

/** GET /organizations/{organizationId}/wireless/clients/overview/byDevice: `{items, meta}`, paged. */
export const getOrganizationWirelessClientsOverviewByDevice = defineOperation({
  operationId: "getOrganizationWirelessClientsOverviewByDevice",
  path: "/organizations/{organizationId}/wireless/clients/overview/byDevice",
  maxPerPage: 1000,
  itemsAt: "items",
  scope: "organization",
  item: item({
    network: object({ id: text }),
    serial: subjectId,
    counts: object({ byStatus: object({ online: integer }) }),
  }),
});

export type ClientsOverviewRow = OperationItem<typeof getOrganizationWirelessClientsOverviewByDevice>;

export const CLIENTS_OVERVIEW_SCHEMA = "semaphore.wireless-clients-overview.v1";

export const clientsOverviewEnvelope = envelopeSchema(
  CLIENTS_OVERVIEW_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
  }),
  z.object({
    /** Clients associated with the access point and active when the sweep ran. */
    onlineClients: optionalCount,
  }),
);

export type ClientsOverviewEnvelope = z.infer<typeof clientsOverviewEnvelope>;

export interface ClientsOverviewMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

/** One record per access point; rows without a serial are dropped and counted. */
export function clientsOverviewRecords(
  rows: ClientsOverviewRow[],
  input: ClientsOverviewMappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  for (const row of rows) {
    if (!row.serial) {
      countDrop(dropped, "null-serial");
      continue;
    }
    const device = input.devices.get(row.serial);
    const networkId = firstId(row.network?.id, device?.networkId);
    const envelope: ClientsOverviewEnvelope = {
      ...envelopeHead(CLIENTS_OVERVIEW_SCHEMA, organizationId, row.serial, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId,
        networkName: networkId ? (input.networks.get(networkId)?.name ?? null) : null,
        serial: row.serial,
        deviceName: device?.name ?? null,
        model: device?.model ?? null,
      },
      data: { onlineClients: row.counts?.byStatus?.online ?? null },
    };
    records.push(toTelemetryRecord(input.topic, row.serial, envelope));
  }
  return { records, dropped };
}

export const wirelessClientsOverview = defineKind({
  id: "wireless-clients-overview",
  title: "Wireless clients overview",
  recordPer: "access point",
  recordKey: "device serial",
  schema: { id: CLIENTS_OVERVIEW_SCHEMA, version: 1, envelope: clientsOverviewEnvelope },
  defaultTopic: "meraki.wireless.clients-overview",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "compact,delete" },
  window: { semantics: "snapshot", dataDelaySeconds: 0 },
  // One page per 1,000 access points per organisation, + cached inventory.
  deployment: { schedule: "rate(5 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationWirelessClientsOverviewByDevice,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const rows = await context.meraki.all(getOrganizationWirelessClientsOverviewByDevice, { organizationId });
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.serial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return clientsOverviewRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      onlineClients: (envelope) => envelope.data.onlineClients,
    },
    metrics: [
      {
        name: "WirelessClientsOnline",
        unit: MetricUnit.Count,
        aggregation: "sum",
        description: "clients online on the network's access points",
        dimensions: {},
        observe: (envelope) => envelope.data.onlineClients,
      },
      {
        name: "WirelessClientsOnlinePerApMax",
        unit: MetricUnit.Count,
        aggregation: "max",
        description: "clients online on the network's busiest access point",
        dimensions: {},
        observe: (envelope) => envelope.data.onlineClients,
      },
    ],
  },
  monitoring: {
    thresholds: {},
    alarms: [],
    widgets: [
      {
        title: "Wireless clients online, top 10 networks",
        metric: "WirelessClientsOnline",
        statistic: "SUM",
        groupBy: "NetworkId",
        top: 10,
      },
      {
        title: "Clients on the busiest access point, top 10 networks",
        metric: "WirelessClientsOnlinePerApMax",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: () => [
      {
        id: "BusiestAps",
        name: "busiest access points",
        stats: "latest(onlineClients) as clients by networkName, deviceName, serial",
        sort: "clients desc",
        limit: 100,
      },
      {
        id: "ByNetwork",
        name: "online wireless clients by network",
        stats: "sum(onlineClients) as clients by networkName, windowEnd",
        sort: "windowEnd desc",
        limit: 100,
      },
    ],
  },
});
