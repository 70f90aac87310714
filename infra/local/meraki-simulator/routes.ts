// The operations the simulator serves, keyed by the spec's operationId and path template, and the
// routing of a request to one of them. Serving another operation takes one entry here and its
// handler; test/simulator/operations.test.ts checks every entry against the vendored spec.

import { apiRequestsResponseCodesByInterval } from "./api-requests.js";
import {
  organizationApplianceUplinkStatuses,
  organizationApplianceUplinksUsageByNetwork,
  organizationApplianceVpnStatuses,
} from "./appliance-handlers.js";
import {
  organizationAssuranceAlerts,
  organizationDevicesAvailabilities,
  organizationDevicesAvailabilitiesChangeHistory,
} from "./availability-handlers.js";
import type { Catalog } from "./catalog.js";
import { cellularGatewayUplinkStatuses } from "./cellular-uplinks.js";
import { ApiError, notFound } from "./errors.js";
import {
  deviceLossAndLatencyHistory,
  networkClients,
  networkDevices,
  organizationDevices,
  organizationDevicesStatuses,
  organizationDevicesUplinksLossAndLatency,
  organizationNetworks,
  organizations,
} from "./handlers.js";
import { type BoundOperation, operation, type SimulatedOperation } from "./operation.js";
import { PathTemplates } from "./path-templates.js";
import { sensorReadingsLatest } from "./sensor-readings.js";
import { organizationSwitchPortsStatusesBySwitch } from "./switch-handlers.js";
import {
  organizationWirelessClientsOverviewByDevice,
  organizationWirelessDevicesChannelUtilizationByDevice,
  organizationWirelessDevicesPacketLossByDevice,
} from "./wireless-handlers.js";

export const SIMULATED_OPERATIONS: readonly SimulatedOperation[] = [
  operation({
    operationId: "getOrganizations",
    path: "/organizations",
    handle: ({ catalog }, ctx) => organizations(catalog, ctx),
  }),
  operation({
    operationId: "getOrganizationNetworks",
    path: "/organizations/{organizationId}/networks",
    handle: ({ catalog, params }, ctx) => organizationNetworks(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationDevices",
    path: "/organizations/{organizationId}/devices",
    handle: ({ catalog, params }, ctx) => organizationDevices(catalog, params.organizationId, ctx),
  }),
  // Deprecated in v1.73.0 (successor getOrganizationDevicesAvailabilities) and no longer swept (the
  // device-statuses kind is retired), still served for clients of the old API and the client tests.
  operation({
    operationId: "getOrganizationDevicesStatuses",
    path: "/organizations/{organizationId}/devices/statuses",
    handle: ({ catalog, params }, ctx) => organizationDevicesStatuses(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationDevicesAvailabilities",
    path: "/organizations/{organizationId}/devices/availabilities",
    handle: ({ catalog, params }, ctx) =>
      organizationDevicesAvailabilities(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationDevicesAvailabilitiesChangeHistory",
    path: "/organizations/{organizationId}/devices/availabilities/changeHistory",
    handle: ({ catalog, params }, ctx) =>
      organizationDevicesAvailabilitiesChangeHistory(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationAssuranceAlerts",
    path: "/organizations/{organizationId}/assurance/alerts",
    handle: ({ catalog, params }, ctx) => organizationAssuranceAlerts(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationDevicesUplinksLossAndLatency",
    path: "/organizations/{organizationId}/devices/uplinksLossAndLatency",
    handle: ({ catalog, params }, ctx) =>
      organizationDevicesUplinksLossAndLatency(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getNetworkClients",
    path: "/networks/{networkId}/clients",
    handle: ({ catalog, params }, ctx) => networkClients(catalog, params.networkId, ctx),
  }),
  // Deprecated in v1.73.0 (getOrganizationDevices with networkIds[] lists the same devices), still
  // served because the benchmark's seed baseline reads it.
  operation({
    operationId: "getNetworkDevices",
    path: "/networks/{networkId}/devices",
    handle: ({ catalog, params }) => networkDevices(catalog, params.networkId),
  }),
  operation({
    operationId: "getDeviceLossAndLatencyHistory",
    path: "/devices/{serial}/lossAndLatencyHistory",
    handle: ({ params }, ctx) => deviceLossAndLatencyHistory(params.serial, ctx),
  }),
  operation({
    operationId: "getOrganizationApplianceUplinkStatuses",
    path: "/organizations/{organizationId}/appliance/uplink/statuses",
    handle: ({ catalog, params }, ctx) =>
      organizationApplianceUplinkStatuses(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationApplianceVpnStatuses",
    path: "/organizations/{organizationId}/appliance/vpn/statuses",
    handle: ({ catalog, params }, ctx) =>
      organizationApplianceVpnStatuses(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationApplianceUplinksUsageByNetwork",
    path: "/organizations/{organizationId}/appliance/uplinks/usage/byNetwork",
    handle: ({ catalog, params }, ctx) =>
      organizationApplianceUplinksUsageByNetwork(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationWirelessDevicesChannelUtilizationByDevice",
    path: "/organizations/{organizationId}/wireless/devices/channelUtilization/byDevice",
    handle: ({ catalog, params }, ctx) =>
      organizationWirelessDevicesChannelUtilizationByDevice(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationWirelessDevicesPacketLossByDevice",
    path: "/organizations/{organizationId}/wireless/devices/packetLoss/byDevice",
    handle: ({ catalog, params }, ctx) =>
      organizationWirelessDevicesPacketLossByDevice(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationWirelessClientsOverviewByDevice",
    path: "/organizations/{organizationId}/wireless/clients/overview/byDevice",
    handle: ({ catalog, params }, ctx) =>
      organizationWirelessClientsOverviewByDevice(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationSwitchPortsStatusesBySwitch",
    path: "/organizations/{organizationId}/switch/ports/statuses/bySwitch",
    handle: ({ catalog, params }, ctx) =>
      organizationSwitchPortsStatusesBySwitch(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationCellularGatewayUplinkStatuses",
    path: "/organizations/{organizationId}/cellularGateway/uplink/statuses",
    handle: ({ catalog, params }, ctx) => cellularGatewayUplinkStatuses(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationSensorReadingsLatest",
    path: "/organizations/{organizationId}/sensor/readings/latest",
    handle: ({ catalog, params }, ctx) => sensorReadingsLatest(catalog, params.organizationId, ctx),
  }),
  operation({
    operationId: "getOrganizationApiRequestsOverviewResponseCodesByInterval",
    path: "/organizations/{organizationId}/apiRequests/overview/responseCodes/byInterval",
    handle: ({ params }, ctx) => apiRequestsResponseCodesByInterval(params.organizationId, ctx),
  }),
];

const TEMPLATES = new PathTemplates<SimulatedOperation>();
for (const op of SIMULATED_OPERATIONS) TEMPLATES.add(op.path, op);

/** Throws ApiError 404/405 when nothing matches. `path` has no /api/v1 prefix and no query. */
export function resolveRoute(catalog: Catalog, method: string, path: string): BoundOperation {
  const match = TEMPLATES.match(path.split("/").slice(1).map(decodeSegment));
  const route = match?.value.bind(catalog, match.parameterValues);
  if (route === undefined) throw notFound();
  if (method !== "GET") throw new ApiError(405, "Method not allowed", { Allow: "GET" });
  return route;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound();
  }
}
