// Appliance VPN statuses: every Auto VPN and third-party VPN peer of every appliance with its
// reachability when the sweep ran, from one paged organisation-wide listing (plus the cached
// inventory for names).

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
  optionalId,
  optionalText,
  sourceBase,
} from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { defineKind } from "./kind.js";

/** GET /organizations/{organizationId}/appliance/vpn/statuses: one item per appliance (network). */
export const getOrganizationApplianceVpnStatuses = defineOperation({
  operationId: "getOrganizationApplianceVpnStatuses",
  path: "/organizations/{organizationId}/appliance/vpn/statuses",
  maxPerPage: 300,
  scope: "organization",
  item: item({
    networkId: text,
    networkName: text,
    deviceSerial: subjectId,
    deviceStatus: text,
    uplinks: list(object({ interface: text, publicIp: text })),
    /** hub, spoke */
    vpnMode: text,
    exportedSubnets: list(object({ subnet: text, name: text })),
    merakiVpnPeers: list(
      object({ networkId: text, networkName: text, reachability: text, priority: integer }),
    ),
    thirdPartyVpnPeers: list(object({ name: text, publicIp: text, reachability: text })),
  }),
});

export type ApplianceVpnStatusRow = OperationItem<typeof getOrganizationApplianceVpnStatuses>;

export const APPLIANCE_VPN_STATUS_SCHEMA = "semaphore.appliance-vpn-status.v1";

/** The reachability the "VPN peer unreachable" alarm counts. */
export const UNREACHABLE = "unreachable";

export const PEER_TYPES = ["meraki", "thirdParty"] as const;

export const applianceVpnStatusEnvelope = envelopeSchema(
  APPLIANCE_VPN_STATUS_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
  }),
  z.object({
    /** meraki: an Auto VPN peer (another network's appliance); thirdParty: a non-Meraki VPN peer. */
    peerType: z.enum(PEER_TYPES),
    /** The peer's network (Auto VPN peers only). */
    peerNetworkId: optionalId,
    peerNetworkName: optionalText,
    /** The peer's configured name and address (third-party peers only). */
    peerName: optionalText,
    peerPublicIp: optionalText,
    reachability: optionalText,
    /** Auto VPN peers only: the hub's rank for a spoke, 1 the highest. */
    priority: count.min(1).nullable(),
    /** The appliance's own mode and status, repeated on each of its peers so a record reads on its own. */
    vpnMode: optionalText,
    deviceStatus: optionalText,
  }),
);

export type ApplianceVpnStatusEnvelope = z.infer<typeof applianceVpnStatusEnvelope>;
type VpnPeer = Pick<
  ApplianceVpnStatusEnvelope["data"],
  "peerType" | "peerNetworkId" | "peerNetworkName" | "peerName" | "peerPublicIp" | "reachability" | "priority"
>;

export interface ApplianceVpnStatusMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

/**
 * One record per (appliance, peer), keyed `serial:peer` (compaction keeps every peer's latest state). A row without a serial cannot
 * be keyed, a peer without a network id (Auto VPN) or without both name and address (third party)
 * cannot be told apart from the others, and an appliance without peers says nothing about
 * reachability: each is dropped and counted.
 */
export function applianceVpnStatusRecords(
  rows: ApplianceVpnStatusRow[],
  input: ApplianceVpnStatusMappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  const subjects = new Set<string>();
  for (const row of rows) {
    if (!row.deviceSerial) {
      countDrop(dropped, "null-serial");
      continue;
    }
    const serial = row.deviceSerial;
    const peers = peersOf(row, dropped);
    if (peers.length === 0) {
      countDrop(dropped, "no-peers");
      continue;
    }
    const device = input.devices.get(serial);
    const networkId = firstId(row.networkId, device?.networkId);
    for (const peer of peers) {
      const subject = `${serial}|${peerSubject(peer)}`;
      if (subjects.has(subject)) {
        countDrop(dropped, "duplicate-peer");
        continue;
      }
      subjects.add(subject);
      const envelope: ApplianceVpnStatusEnvelope = {
        ...envelopeHead(APPLIANCE_VPN_STATUS_SCHEMA, organizationId, subject, input),
        source: {
          organizationId,
          organizationName: input.organization.name ?? null,
          networkId,
          networkName: row.networkName ?? (networkId ? (input.networks.get(networkId)?.name ?? null) : null),
          serial,
          deviceName: device?.name ?? null,
          model: device?.model ?? null,
        },
        data: { ...peer, vpnMode: row.vpnMode ?? null, deviceStatus: row.deviceStatus ?? null },
      };
      records.push(toTelemetryRecord(input.topic, `${serial}:${peerSubject(peer)}`, envelope));
    }
  }
  return { records, dropped };
}

/** What tells an appliance's peers apart: the part of the record's subject after the serial. */
function peerSubject(peer: VpnPeer): string {
  return peer.peerType === "meraki"
    ? `meraki|${peer.peerNetworkId ?? ""}`
    : `thirdParty|${peer.peerName ?? ""}|${peer.peerPublicIp ?? ""}`;
}

function peersOf(row: ApplianceVpnStatusRow, dropped: Record<string, number>): VpnPeer[] {
  const peers: VpnPeer[] = [];
  for (const peer of row.merakiVpnPeers ?? []) {
    if (!peer?.networkId) {
      countDrop(dropped, "no-peer-id");
      continue;
    }
    peers.push({
      peerType: "meraki",
      peerNetworkId: peer.networkId,
      peerNetworkName: peer.networkName ?? null,
      peerName: null,
      peerPublicIp: null,
      reachability: peer.reachability ?? null,
      priority: peer.priority ?? null,
    });
  }
  for (const peer of row.thirdPartyVpnPeers ?? []) {
    if (!peer?.name && !peer?.publicIp) {
      countDrop(dropped, "no-peer-id");
      continue;
    }
    peers.push({
      peerType: "thirdParty",
      peerNetworkId: null,
      peerNetworkName: null,
      peerName: peer.name ?? null,
      peerPublicIp: peer.publicIp ?? null,
      reachability: peer.reachability ?? null,
      priority: null,
    });
  }
  return peers;
}

const peerMember = (envelope: ApplianceVpnStatusEnvelope) =>
  `${envelope.source.serial}|${peerSubject(envelope.data)}`;

export const applianceVpnStatuses = defineKind({
  id: "appliance-vpn-statuses",
  title: "Appliance VPN statuses",
  recordPer: "appliance and VPN peer",
  recordKey: "serial:peer",
  schema: { id: APPLIANCE_VPN_STATUS_SCHEMA, version: 1, envelope: applianceVpnStatusEnvelope },
  defaultTopic: "meraki.appliance.vpn-statuses",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "compact,delete" },
  window: { semantics: "snapshot", dataDelaySeconds: 0 },
  // One page per 300 appliances (+ cached inventory): seconds.
  deployment: { schedule: "rate(10 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationApplianceVpnStatuses,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const rows = await context.meraki.all(getOrganizationApplianceVpnStatuses, { organizationId });
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.deviceSerial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return applianceVpnStatusRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      vpnMode: (envelope) => envelope.data.vpnMode,
      deviceStatus: (envelope) => envelope.data.deviceStatus,
      peerType: (envelope) => envelope.data.peerType,
      peerNetworkId: (envelope) => envelope.data.peerNetworkId,
      peerNetworkName: (envelope) => envelope.data.peerNetworkName,
      peerName: (envelope) => envelope.data.peerName,
      peerPublicIp: (envelope) => envelope.data.peerPublicIp,
      reachability: (envelope) => envelope.data.reachability,
      priority: (envelope) => envelope.data.priority,
    },
    metrics: [
      {
        name: "VpnPeers",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct (appliance, VPN peer) pairs by reachability and peer type",
        dimensions: {
          Reachability: (envelope) => envelope.data.reachability ?? "unknown",
          PeerType: (envelope) => envelope.data.peerType,
        },
        observe: peerMember,
      },
      {
        // Its own metric because an alarm reads a metric over every network, with no filter on a
        // dimension value: the unreachable pairs alone.
        name: "VpnPeersUnreachable",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct (appliance, VPN peer) pairs reported unreachable",
        dimensions: {},
        observe: (envelope) => (envelope.data.reachability === UNREACHABLE ? peerMember(envelope) : null),
      },
    ],
  },
  monitoring: {
    thresholds: {
      // No default: stale third-party peers and spokes of closed sites stay unreachable for months
      // in many organisations, so the level that means trouble is the operator's to choose.
      unreachablePeers: {
        min: 0,
        max: 1_000_000,
        description:
          "(appliance, VPN peer) pairs reported unreachable, over every network, above which the alarm fires; a tunnel down counts at both ends",
      },
    },
    alarms: [
      {
        id: "vpn-peer-unreachable",
        description: (threshold) =>
          `More than ${threshold} (appliance, VPN peer) pairs were unreachable in two snapshots of the last 20 minutes; the "unreachable VPN peers" query names them.`,
        metric: "VpnPeersUnreachable",
        statistic: "SUM",
        threshold: "unreachablePeers",
        comparison: "above",
        // Snapshots come every 10 minutes and the alarm's period is 5: two of four periods are two
        // snapshots in a row (the periods between them have no data, which counts as not breaching).
        evaluationPeriods: 4,
        datapointsToAlarm: 2,
      },
    ],
    widgets: [
      {
        title: "VPN peers by reachability",
        metric: "VpnPeers",
        statistic: "SUM",
        groupBy: "Reachability",
      },
      {
        title: "Unreachable VPN peers, worst 10 networks",
        metric: "VpnPeersUnreachable",
        statistic: "SUM",
        groupBy: "NetworkId",
        top: 10,
      },
    ],
    queries: () => [
      {
        id: "Unreachable",
        name: "unreachable VPN peers",
        filter: [`reachability = "${UNREACHABLE}"`],
        stats:
          "count(*) as snapshots, latest(windowEnd) as lastSeenUnreachable by networkName, deviceName, peerType, peerNetworkName, peerName, peerPublicIp",
        sort: "snapshots desc",
        limit: 200,
      },
      {
        id: "ByMode",
        name: "VPN peers by network, mode and reachability",
        stats: "count(*) as peers by networkName, vpnMode, reachability",
        sort: "networkName asc",
        limit: 1000,
      },
    ],
  },
});
