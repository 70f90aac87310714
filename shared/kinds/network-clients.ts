// Network clients: every client a network saw since the window began, one call (and page) per
// network at the largest page size.

import { MetricUnit } from "@aws-lambda-powertools/metrics";
import * as z from "zod";
import { type TelemetryRecord, toTelemetryRecord } from "../kafka/record.js";
import { getOrganizationNetworks, getOrganizations, type Network } from "../meraki/inventory.js";
import { defineOperation, type OperationItem } from "../meraki/operation.js";
import { boolean, integer, item, number, object, subjectId, text } from "../meraki/spec-fields.js";
import {
  count,
  envelopeSchema,
  firstId,
  id,
  optionalId,
  optionalNonNegative,
  optionalText,
} from "../schemas/envelope.js";
import { networksOfShard } from "../sweeps/shard.js";
import {
  countDrop,
  eachUntilDeadline,
  envelopeHead,
  type MappingInput,
  mergeDropped,
  type OrganizationSweepResult,
} from "../sweeps/sweep.js";
import { defineKind } from "./kind.js";

/** GET /networks/{networkId}/clients. Takes t0 or timespan (not both) and has no end bound. */
export const getNetworkClients = defineOperation({
  operationId: "getNetworkClients",
  path: "/networks/{networkId}/clients",
  maxPerPage: 5000,
  scope: "organization",
  item: item({
    id: subjectId,
    mac: text,
    ip: text,
    ip6: text,
    description: text,
    /** Unix seconds. */
    firstSeen: integer,
    lastSeen: integer,
    manufacturer: text,
    os: text,
    user: text,
    vlan: text,
    ssid: text,
    switchport: text,
    wirelessCapabilities: text,
    smInstalled: boolean,
    recentDeviceMac: text,
    /** Online, Offline */
    status: text,
    /** Kilobytes. */
    usage: object({ sent: number, recv: number }),
    namedVlan: text,
    adaptivePolicyGroup: text,
    deviceTypePrediction: text,
    recentDeviceSerial: text,
    recentDeviceName: text,
    /** Wired, Wireless */
    recentDeviceConnection: text,
    notes: text,
    ip6Local: text,
    groupPolicy8021x: text,
    pskGroup: text,
  }),
});

export type NetworkClientRow = OperationItem<typeof getNetworkClients>;

export const NETWORK_CLIENT_SCHEMA = "semaphore.network-client.v1";

export const networkClientEnvelope = envelopeSchema(
  NETWORK_CLIENT_SCHEMA,
  z.object({
    organizationId: id,
    organizationName: optionalText,
    networkId: id,
    networkName: optionalText,
    clientId: id,
    mac: optionalText,
    description: optionalText,
    /** The device the client was last connected to. */
    serial: optionalId,
    deviceName: optionalText,
  }),
  z.object({
    status: optionalText,
    ip: optionalText,
    ip6: optionalText,
    ip6Local: optionalText,
    vlan: optionalText,
    namedVlan: optionalText,
    ssid: optionalText,
    switchport: optionalText,
    recentDeviceConnection: optionalText,
    manufacturer: optionalText,
    os: optionalText,
    deviceTypePrediction: optionalText,
    user: optionalText,
    /** Unix seconds, as the API reports them. */
    firstSeen: count.nullable(),
    lastSeen: count.nullable(),
    /** Kilobytes sent and received in the API's timespan. */
    usage: z.object({ sent: optionalNonNegative, recv: optionalNonNegative }),
  }),
);

export type NetworkClientEnvelope = z.infer<typeof networkClientEnvelope>;

export interface NetworkClientMappingInput extends MappingInput {
  network: Network;
}

/** One record per client of one network, keyed `networkId:clientId`. */
export function networkClientRecords(
  rows: NetworkClientRow[],
  input: NetworkClientMappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  const networkId = input.network.id;
  for (const row of rows) {
    if (!row.id) {
      countDrop(dropped, "no-client-id");
      continue;
    }
    const key = `${networkId}:${row.id}`;
    const envelope: NetworkClientEnvelope = {
      ...envelopeHead(NETWORK_CLIENT_SCHEMA, organizationId, key, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId,
        networkName: input.network.name ?? null,
        clientId: row.id,
        mac: row.mac ?? null,
        description: row.description ?? null,
        serial: firstId(row.recentDeviceSerial),
        deviceName: row.recentDeviceName ?? null,
      },
      data: {
        status: row.status ?? null,
        ip: row.ip ?? null,
        ip6: row.ip6 ?? null,
        ip6Local: row.ip6Local ?? null,
        vlan: row.vlan ?? null,
        namedVlan: row.namedVlan ?? null,
        ssid: row.ssid ?? null,
        switchport: row.switchport ?? null,
        recentDeviceConnection: row.recentDeviceConnection ?? null,
        manufacturer: row.manufacturer ?? null,
        os: row.os ?? null,
        deviceTypePrediction: row.deviceTypePrediction ?? null,
        user: row.user ?? null,
        firstSeen: row.firstSeen ?? null,
        lastSeen: row.lastSeen ?? null,
        usage: { sent: row.usage?.sent ?? null, recv: row.usage?.recv ?? null },
      },
    };
    records.push(toTelemetryRecord(input.topic, key, envelope));
  }
  return { records, dropped };
}

export const networkClients = defineKind({
  id: "network-clients",
  title: "Network clients",
  recordPer: "client seen in the window",
  recordKey: "networkId:clientId",
  schema: { id: NETWORK_CLIENT_SCHEMA, version: 1, envelope: networkClientEnvelope },
  defaultTopic: "meraki.network.clients",
  topicSettings: { partitions: 6, retentionHours: 7 * 24, cleanupPolicy: "delete" },
  window: { semantics: "window", dataDelaySeconds: 0 },
  // One call per network and page at 8 req/s: 200 networks take 25 s before any retry; generous.
  deployment: { schedule: "rate(15 minutes)", memoryMb: 1024, timeoutSeconds: 600 },
  operations: [getOrganizations, getOrganizationNetworks, getNetworkClients],
  perNetwork: true,
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const networks = await context.inventory.networks(context.meraki, organizationId);
    const result: OrganizationSweepResult = { records: [], dropped: {} };
    // Sequential per network: the organisation's token bucket is the real limit, and one failing
    // network must fail the organisation's sweep with the network named, not half-produce it. The
    // deadline is different: the networks done by then keep their records, the rest are reported.
    // A sharded invocation sweeps only its shard's networks; the others are its siblings'.
    const mine = networksOfShard(networks.values(), context.shard);
    const notSwept = await eachUntilDeadline(mine, async (network) => {
      // The API takes t0 or timespan, not both, and has no end bound: t0 = window start asks for
      // the clients seen since this window began.
      const rows = await context.meraki.all(getNetworkClients, {
        organizationId,
        networkId: network.id,
        query: { t0: context.window.start },
      });
      const mapped = networkClientRecords(rows, { ...context, network });
      result.records.push(...mapped.records);
      mergeDropped(result.dropped, mapped.dropped);
    });
    if (notSwept > 0) result.skipped = { networks: notSwept };
    return result;
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      clientId: (envelope) => envelope.source.clientId,
      mac: (envelope) => envelope.source.mac,
      description: (envelope) => envelope.source.description,
      ip: (envelope) => envelope.data.ip,
      status: (envelope) => envelope.data.status,
      ssid: (envelope) => envelope.data.ssid,
      vlan: (envelope) => envelope.data.vlan,
      manufacturer: (envelope) => envelope.data.manufacturer,
      os: (envelope) => envelope.data.os,
      usageSentKb: (envelope) => envelope.data.usage.sent,
      usageRecvKb: (envelope) => envelope.data.usage.recv,
    },
    metrics: [
      {
        name: "ClientsSeen",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct clients the network saw in the window",
        dimensions: {},
        observe: (envelope) => envelope.source.clientId,
      },
    ],
  },
  monitoring: {
    thresholds: {},
    alarms: [],
    widgets: [
      {
        title: "Clients seen, top 10 networks",
        metric: "ClientsSeen",
        statistic: "SUM",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: () => [
      {
        id: "ClientsBySsid",
        name: "clients by network and SSID",
        stats: "count_distinct(clientId) as clients by networkName, ssid",
        sort: "clients desc",
        limit: 100,
      },
    ],
  },
});
