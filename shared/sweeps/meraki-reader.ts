/**
 * The part of the Meraki client the sweeps use, with the response fields they read (names and
 * types from the Dashboard API spec v1.42.0). Declared here so each sweep's mapping stays a pure
 * function of API responses and can be specified in unit tests without HTTP.
 */
export interface OrganizationRow {
  id: string;
  name?: string | null;
}

export interface NetworkRow {
  id: string;
  organizationId?: string | null;
  name?: string | null;
}

export interface DeviceRow {
  serial: string;
  name?: string | null;
  model?: string | null;
  networkId?: string | null;
  productType?: string | null;
  mac?: string | null;
}

export interface UplinkLossLatencyRow {
  networkId?: string | null;
  serial?: string | null;
  uplink?: string | null;
  ip?: string | null;
  timeSeries?: Array<{ ts?: string | null; lossPercent?: number | null; latencyMs?: number | null }> | null;
}

export interface DeviceStatusRow {
  serial?: string | null;
  name?: string | null;
  mac?: string | null;
  publicIp?: string | null;
  networkId?: string | null;
  status?: string | null;
  lastReportedAt?: string | null;
  lanIp?: string | null;
  gateway?: string | null;
  ipType?: string | null;
  primaryDns?: string | null;
  secondaryDns?: string | null;
  productType?: string | null;
  model?: string | null;
  tags?: string[] | null;
}

export interface NetworkClientRow {
  id?: string | null;
  mac?: string | null;
  ip?: string | null;
  ip6?: string | null;
  ip6Local?: string | null;
  description?: string | null;
  firstSeen?: number | null;
  lastSeen?: number | null;
  manufacturer?: string | null;
  os?: string | null;
  user?: string | null;
  vlan?: string | null;
  namedVlan?: string | null;
  ssid?: string | null;
  switchport?: string | null;
  status?: string | null;
  usage?: { sent?: number | null; recv?: number | null } | null;
  deviceTypePrediction?: string | null;
  recentDeviceSerial?: string | null;
  recentDeviceName?: string | null;
  recentDeviceConnection?: string | null;
}

export interface MerakiReader {
  getOrganizations(): Promise<OrganizationRow[]>;
  getOrganizationNetworks(organizationId: string): Promise<NetworkRow[]>;
  getOrganizationDevices(organizationId: string): Promise<DeviceRow[]>;
  getOrganizationDevicesStatuses(organizationId: string): Promise<DeviceStatusRow[]>;
  getOrganizationDevicesUplinksLossAndLatency(
    organizationId: string,
    params: { t0: string; t1: string },
  ): Promise<UplinkLossLatencyRow[]>;
  getNetworkClients(
    organizationId: string,
    networkId: string,
    params: { t0?: string; timespan?: number },
  ): Promise<NetworkClientRow[]>;
}
