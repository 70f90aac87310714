// When the simulated devices of an organisation report, as the simulator's availability history
// tells every route (infra/local/meraki-simulator/availability.ts): what the telemetry routes'
// answers are checked against.

import { OrganizationAvailability } from "../../infra/local/meraki-simulator/availability.js";
import type { DeviceStatus, SimDevice } from "../../infra/local/meraki-simulator/dataset.js";
import { isReporting } from "../../infra/local/meraki-simulator/device-reporting.js";
import type { RunningSimulator } from "../../infra/local/meraki-simulator/index.js";

const BUCKET_MS = 300_000;

export interface Reporting {
  statusAt(device: SimDevice, ms: number): DeviceStatus;
  /** Whether the device reported all through at least one 5-minute bucket of [fromMs, toMs). */
  reportedIn(device: SimDevice, fromMs: number, toMs: number): boolean;
}

/** `startedAt`: the simulator's clock when it started (its fixed clock in the suites). */
export function reportingOf(sim: RunningSimulator, organizationId: string, startedAt: Date): Reporting {
  const availability = new OrganizationAvailability(
    sim.dataset.devices.filter((d) => d.organizationId === organizationId),
    { organizationId, seed: sim.dataset.options.seed, startedAtMs: startedAt.getTime() },
  );
  const reports = (device: SimDevice, ms: number) => isReporting(availability.statusAt(device, ms));
  return {
    statusAt: (device, ms) => availability.statusAt(device, ms),
    reportedIn(device, fromMs, toMs) {
      for (let bucket = fromMs; bucket + BUCKET_MS <= toMs; bucket += BUCKET_MS) {
        if (reports(device, bucket) && reports(device, bucket + BUCKET_MS - 1)) return true;
      }
      return false;
    },
  };
}
