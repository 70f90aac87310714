// The port statuses of a simulated switch, derived from its model's layout (switch-models.ts), its
// status now (availability.ts) and the dataset's wired clients, with the rest hashed from (seed,
// serial, port) so every request agrees:
// - a port an online wired client is on (its `switchport`) is enabled and Connected;
// - the first uplink port carries the switch's uplink; the other uplink ports are unused;
// - other access ports are Disabled, Connected (APs, cameras, phones the dataset does not list) or
//   Disconnected by hash;
// - a switch that is offline or dormant has no port Connected;
// - an alerting switch is alerting about a port: its port 1 is Connected with an error. Only an
//   alerting switch has errors; any reporting one may have warnings.

import type { DeviceStatus, SimClient, SimDevice } from "./dataset.js";
import { isReporting } from "./device-reporting.js";
import { unitFromKey } from "./random.js";
import { clientStatus } from "./render.js";
import { switchPortLayout } from "./switch-models.js";

export type PortStatus = "Connected" | "Disabled" | "Disconnected";

/** One port as the spec's item lists it, in its property order. */
export interface PortStatusItem {
  portId: string;
  enabled: boolean;
  status: PortStatus;
  isUplink: boolean;
  errors: string[];
  warnings: string[];
  speed: string;
  duplex: "" | "full";
  spanningTree: { statuses: string[] };
  poe: { isAllocated: boolean };
  securePort: { active: boolean; authenticationStatus: "Disabled" };
}

/** The access ports online wired clients of the switch are on (`switchport` of getNetworkClients). */
export function clientPorts(device: SimDevice, networkClients: readonly SimClient[]): Set<string> {
  return new Set(
    networkClients
      .filter(
        (c) =>
          c.recentDeviceConnection === "Wired" &&
          c.recentDeviceSerial === device.serial &&
          clientStatus(c) === "Online",
      )
      .map((c) => c.switchport),
  );
}

/** `status` is the switch's status now (the organisation's availability). */
export function switchPortStatuses(
  device: SimDevice,
  status: DeviceStatus,
  networkClients: readonly SimClient[],
  seed: number,
): PortStatusItem[] {
  const layout = switchPortLayout(device.model);
  const reachable = isReporting(status);
  const withClients = clientPorts(device, networkClients);
  const ports: PortStatusItem[] = [];
  for (let port = 1; port <= layout.accessPorts; port++) {
    const portId = String(port);
    const key = `${seed}|${device.serial}|port|${portId}`;
    const roll = unitFromKey(key);
    const faulty = status === "alerting" && port === 1;
    const enabled = withClients.has(portId) || faulty || roll >= 0.06;
    const linked = withClients.has(portId) || faulty || roll >= 0.5;
    const portStatus: PortStatus = !enabled ? "Disabled" : reachable && linked ? "Connected" : "Disconnected";
    const connected = portStatus === "Connected";
    const poeAllocated = connected && layout.poe && unitFromKey(`${key}|poe`) < 0.4;
    const issueRoll = unitFromKey(`${key}|issue`);
    const erroring = connected && (faulty || (status === "alerting" && issueRoll < 0.05));
    // An overloaded port is one drawing power; one denied power is not drawing any.
    const errors = erroring ? [poeAllocated ? "PoE overload" : "Very high proportion of CRC errors"] : [];
    const warnings =
      connected && !erroring && issueRoll > 0.95
        ? [
            layout.poe && !poeAllocated && issueRoll > 0.99
              ? "PoE port was denied power"
              : "High proportion of CRC errors",
          ]
        : [];
    const speeds = layout.accessSpeeds;
    const speed = speeds[Math.floor(unitFromKey(`${key}|speed`) ** 3 * speeds.length)] ?? speeds[0]!;
    ports.push(
      portItem(portId, {
        enabled,
        status: portStatus,
        isUplink: false,
        errors,
        warnings,
        speed: connected ? speed : "",
        stp: connected ? ["Forwarding", "Is edge"] : [],
        poeAllocated,
      }),
    );
  }
  for (const [index, portId] of layout.uplinkPortIds.entries()) {
    const isUplink = index === 0;
    const connected = isUplink && reachable;
    ports.push(
      portItem(portId, {
        enabled: true,
        status: connected ? "Connected" : "Disconnected",
        isUplink,
        errors: [],
        warnings: [],
        speed: connected ? layout.uplinkSpeed : "",
        stp: connected ? ["Forwarding"] : [],
        poeAllocated: false,
      }),
    );
  }
  return ports;
}

function portItem(
  portId: string,
  p: {
    enabled: boolean;
    status: PortStatus;
    isUplink: boolean;
    errors: string[];
    warnings: string[];
    speed: string;
    stp: string[];
    poeAllocated: boolean;
  },
): PortStatusItem {
  return {
    portId,
    enabled: p.enabled,
    status: p.status,
    isUplink: p.isUplink,
    errors: p.errors,
    warnings: p.warnings,
    speed: p.speed,
    duplex: p.status === "Connected" ? "full" : "",
    spanningTree: { statuses: p.stp },
    poe: { isAllocated: p.poeAllocated },
    securePort: { active: false, authenticationStatus: "Disabled" },
  };
}
