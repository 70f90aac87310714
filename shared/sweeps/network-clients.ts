import { type TelemetryRecord, toTelemetryRecord } from "../kafka/record.js";
import { NETWORK_CLIENT_SCHEMA, type NetworkClientRecord } from "../schemas/network-client.js";
import type { NetworkClientRow, NetworkRow, OrganizationRow } from "./meraki-reader.js";
import {
  countDrop,
  envelopeHead,
  mergeDropped,
  type OrganizationSweepContext,
  type OrganizationSweepResult,
  type SweepDefinition,
} from "./sweep.js";
import type { SweepWindow } from "./window.js";

export interface NetworkClientMappingInput {
  organization: OrganizationRow;
  network: NetworkRow;
  window: SweepWindow;
  sweepId: string;
  observedAt: string;
  topic: string;
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
    const envelope: NetworkClientRecord = {
      ...envelopeHead(NETWORK_CLIENT_SCHEMA, organizationId, key, input),
      source: {
        organizationId,
        organizationName: input.organization.name ?? null,
        networkId,
        networkName: input.network.name ?? null,
        clientId: row.id,
        mac: row.mac ?? null,
        description: row.description ?? null,
        serial: row.recentDeviceSerial ?? null,
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

export const networkClientsSweep: SweepDefinition = {
  kind: "network-clients",
  schema: NETWORK_CLIENT_SCHEMA,
  defaultTopic: "meraki.network.clients",
  dataDelaySeconds: 0,
  async sweepOrganization(context: OrganizationSweepContext): Promise<OrganizationSweepResult> {
    const organizationId = context.organization.id;
    const networks = await context.inventory.networks(context.meraki, organizationId);
    const result: OrganizationSweepResult = { records: [], dropped: {} };
    // Sequential per network: the organisation's token bucket is the real limit, and one failing
    // network must fail the organisation's sweep with the network named, not half-produce it.
    for (const network of networks.values()) {
      // The API takes t0 or timespan, not both, and has no end bound: t0 = window start asks for
      // the clients seen since this window began.
      const rows = await context.meraki.getNetworkClients(organizationId, network.id, {
        t0: context.window.start,
      });
      const mapped = networkClientRecords(rows, { ...context, network });
      result.records.push(...mapped.records);
      mergeDropped(result.dropped, mapped.dropped);
    }
    return result;
  },
};
