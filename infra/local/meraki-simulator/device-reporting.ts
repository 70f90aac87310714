// Whether a device sends telemetry: while online or alerting it does; offline and dormant ones send
// nothing, so the telemetry routes answer nothing measured for them (no samples, no linked port).

import type { DeviceStatus } from "./dataset.js";

export function isReporting(status: DeviceStatus): boolean {
  return status === "online" || status === "alerting";
}
