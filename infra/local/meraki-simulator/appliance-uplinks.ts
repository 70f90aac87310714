// The state of every simulated MX's uplinks: the same appliances and uplink names that
// uplinksLossAndLatency reports (uplinks.ts), each uplink's status following the appliance's status,
// and the addressing each one has. The uplink statuses, the VPN statuses and the uplink usage read
// it from here, so the three operations agree with each other and with the device statuses.

import type { DeviceStatus, SimDevice } from "./dataset.js";
import { PUBLIC_BLOCKS } from "./fixtures.js";
import { unitFromKey } from "./random.js";
import { SIMULATED_UPLINKS, type UplinkName } from "./uplinks.js";

/** The spec's vocabulary (v1.73.0) of an appliance uplink's status. */
export const APPLIANCE_UPLINK_STATUSES = [
  "active",
  "connecting",
  "failed",
  "not connected",
  "ready",
] as const;
export type ApplianceUplinkStatus = (typeof APPLIANCE_UPLINK_STATUSES)[number];

export interface ApplianceUplink {
  interface: UplinkName;
  status: ApplianceUplinkStatus;
  ip: string;
  gateway: string;
  publicIp: string;
  primaryDns: string;
  secondaryDns: string;
  ipAssignedBy: SimDevice["ipType"];
}

/** Appliances that balance load over both circuits; the others keep wan2 as a ready standby. */
const LOAD_BALANCING_SHARE = 0.4;
/** Of the alerting appliances, those whose primary circuit failed (the others lost the secondary). */
const PRIMARY_FAILED_SHARE = 0.3;
/** Of the offline appliances, those still trying to bring a secondary circuit up. */
const SECONDARY_CONNECTING_SHARE = 0.3;

/**
 * The uplinks of an MX whose device status is `status` (by default the dataset's): online, every
 * circuit works (wan1 active, wan2 active when it balances load, else ready); alerting, one circuit
 * failed and traffic is on the other; offline or dormant, none is active.
 */
export function applianceUplinks(
  device: SimDevice,
  seed: number,
  status: DeviceStatus = device.status,
): ApplianceUplink[] {
  const statusOf = uplinkStatusOf(device, seed, status);
  return SIMULATED_UPLINKS.map((name, index) => ({
    interface: name,
    status: statusOf(index),
    ...addressing(device, index),
  }));
}

/** Whether the uplink can carry traffic now or on failover, so the VPN registry lists it. */
export function isUsable(uplink: ApplianceUplink): boolean {
  return uplink.status === "active" || uplink.status === "ready";
}

/** The status of the uplink at each index of SIMULATED_UPLINKS (0 is the primary, wan1). */
function uplinkStatusOf(
  device: SimDevice,
  seed: number,
  status: DeviceStatus,
): (index: number) => ApplianceUplinkStatus {
  const key = `${seed}|${device.serial}`;
  const secondary: ApplianceUplinkStatus =
    unitFromKey(`${key}|load-balancing`) < LOAD_BALANCING_SHARE ? "active" : "ready";
  const healthy = (index: number): ApplianceUplinkStatus => (index === 0 ? "active" : secondary);
  switch (status) {
    case "online":
      return healthy;
    case "alerting": {
      // With a single circuit there is nothing to fail over to: it stays up (the appliance alerts
      // for another reason). Otherwise wan1 or wan2 failed, and wan2 took over when wan1 did.
      if (SIMULATED_UPLINKS.length < 2) return healthy;
      const failed = unitFromKey(`${key}|failed-uplink`) < PRIMARY_FAILED_SHARE ? 0 : 1;
      return (index) =>
        index === failed ? "failed" : failed === 0 && index === 1 ? "active" : healthy(index);
    }
    case "offline": {
      const connecting = unitFromKey(`${key}|reconnecting`) < SECONDARY_CONNECTING_SHARE;
      return (index) => (index > 0 && connecting ? "connecting" : "failed");
    }
    case "dormant":
      return () => "not connected";
  }
}

/**
 * wan1 is the address the device statuses report (the MX behind the ISP's router, the network's
 * public address); wan2 is a second ISP's circuit on its own private subnet and public address.
 * A failed circuit keeps its last lease: the API still shows its addresses.
 */
function addressing(device: SimDevice, index: number): Omit<ApplianceUplink, "interface" | "status"> {
  if (index === 0) {
    return {
      ip: device.lanIp,
      gateway: device.gateway,
      publicIp: device.publicIp,
      primaryDns: "8.8.8.8",
      secondaryDns: "8.8.4.4",
      ipAssignedBy: device.ipType,
    };
  }
  const [, , third = "0"] = device.lanIp.split(".");
  const [, , , host = "0"] = device.publicIp.split(".");
  return {
    ip: `172.${19 + index}.${third}.2`,
    gateway: `172.${19 + index}.${third}.1`,
    // 198.18.0.0/15 is reserved for testing, like the TEST-NETs the wan1 addresses come from.
    publicIp: `198.18.${publicBlock(device.publicIp) * 16 + index}.${host}`,
    primaryDns: "1.1.1.1",
    secondaryDns: "1.0.0.1",
    ipAssignedBy: "dhcp",
  };
}

/** Which of the TEST-NETs the network's public address is in (1-3), so wan2's is unique per network too. */
function publicBlock(publicIp: string): number {
  return PUBLIC_BLOCKS.indexOf(publicIp.split(".").slice(0, 3).join(".")) + 1;
}
