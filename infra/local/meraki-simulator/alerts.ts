// getOrganizationAssuranceAlerts: the health alerts the availability history raises (availability.ts),
// one per episode. A device that is not reporting has an "unreachable" connectivity alert from the
// moment it was marked offline; an alerting device has a device-health alert for as long as it is
// alerting, resolved when it is online again. Ids, times and texts derive from the episode, so the
// same alert reads the same in every answer, open and later resolved.

import type { Episode, OrganizationAvailability } from "./availability.js";
import type { ProductType, SimDevice } from "./dataset.js";
import { badRequest } from "./errors.js";
import { type Query, single } from "./query.js";
import { hash32 } from "./random.js";
import { optionalTime } from "./time-window.js";

// Other routes import the availability from here too; it is defined in availability.ts.
export { availabilityOf } from "./availability.js";

/** The spec's category filter vocabulary (categoryType of the items). */
export const ALERT_CATEGORIES = [
  "configuration",
  "connectivity",
  "device_health",
  "experience_metrics",
  "insights",
] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

/** The deviceTypes filter vocabulary of v1.73.0. */
export const ALERT_DEVICE_TYPES = [
  "Campus Gateway",
  "Catalyst AP",
  "Catalyst Controller",
  "Catalyst Switch",
  "MCG",
  "MG",
  "MR",
  "MS",
  "MT",
  "MV",
  "MX",
  "VMX",
  "WLC",
  "Z",
] as const;

/** How long the simulator remembers a resolved alert. */
export const RESOLVED_RETENTION_MS = 86_400_000;

export interface SimAlert {
  id: string;
  categoryType: AlertCategory;
  /** One of the spec's `types` filter values. */
  type: string;
  title: string;
  description: string;
  severity: "critical" | "warning";
  deviceType: string;
  device: SimDevice;
  startedAtMs: number;
  resolvedAtMs: number | null;
  /** The switch port a port alert is about. */
  port: string | null;
}

interface AlertText {
  type: string;
  title: string;
  description: string;
  port?: string;
}

/** What an alerting device of each family complains about (types from the spec's `types` vocabulary). */
const ALERTING: Partial<Record<ProductType, AlertText>> = {
  appliance: {
    type: "high_cpu_mx",
    title: "High CPU utilization",
    description: "CPU utilization has been above 90% for the last 5 minutes",
  },
  switch: {
    type: "crc_errors",
    title: "CRC errors detected",
    description: "Very high proportion of CRC errors on port 1",
    port: "1",
  },
  wireless: {
    type: "high_interference",
    title: "High interference",
    description: "Non-Wi-Fi interference is degrading the 5 GHz channel",
  },
  camera: {
    type: "image_sensor_failure",
    title: "Image sensor failure",
    description: "The camera's image sensor stopped delivering frames",
  },
  cellularGateway: {
    type: "mg_safe_mode",
    title: "Cellular gateway in safe mode",
    description: "The gateway booted into safe mode after a failed firmware upgrade",
  },
  sensor: { type: "low_power", title: "Low battery", description: "The sensor's battery is below 10%" },
};
const ALERTING_DEFAULT: AlertText = {
  type: "known_hardware_problem",
  title: "Known hardware problem",
  description: "The device reports a hardware fault",
};

/** Families whose outage takes a site or its clients down: their unreachable alert is critical. */
const CRITICAL_WHEN_UNREACHABLE: ReadonlySet<ProductType> = new Set([
  "appliance",
  "switch",
  "cellularGateway",
]);

const DEVICE_TYPES: Partial<Record<ProductType, string>> = {
  appliance: "MX",
  switch: "MS",
  wireless: "MR",
  camera: "MV",
  cellularGateway: "MG",
  sensor: "MT",
};

function deviceTypeOf(device: SimDevice): string {
  if (device.productType === "wireless" && device.model.startsWith("CW")) return "Catalyst AP";
  if (device.productType === "appliance" && device.model.startsWith("Z")) return "Z";
  return DEVICE_TYPES[device.productType] ?? device.productType;
}

export function alertOf(episode: Episode, seed: number): SimAlert {
  const { device } = episode;
  const unreachable = episode.kind === "unreachable";
  const text: AlertText = unreachable
    ? {
        type: "unreachable",
        title: "Device unreachable",
        description: "The device has not checked in with the Meraki cloud",
      }
    : (ALERTING[device.productType] ?? ALERTING_DEFAULT);
  const key = `${seed}|${device.serial}|${text.type}|${episode.startMs}`;
  return {
    // Decimal like the API's ("1234"), 19 digits wide so ids never collide in practice.
    id: `${hash32(`${key}|a`) % 1_000_000_000}${String(hash32(`${key}|b`)).padStart(10, "0")}`,
    categoryType: unreachable ? "connectivity" : "device_health",
    type: text.type,
    title: text.title,
    description: text.description,
    severity: unreachable && CRITICAL_WHEN_UNREACHABLE.has(device.productType) ? "critical" : "warning",
    deviceType: deviceTypeOf(device),
    device,
    startedAtMs: episode.startMs,
    resolvedAtMs: episode.endMs,
    port: text.port ?? null,
  };
}

/**
 * Alerts known at `nowMs`: the open ones, and those resolved in the retention. `tsStart`/`tsEnd`
 * keep the alerts whose lifetime overlaps [tsStart, tsEnd) (the spec only says "filter by
 * starting/end timestamp"; an overlap is the reading that loses no alert of the range).
 */
export function knownAlerts(
  availability: OrganizationAvailability,
  query: Query,
  nowMs: number,
  seed: number,
): { open: SimAlert[]; resolved: SimAlert[] } {
  const tsStart = optionalTime(query, "tsStart");
  const tsEnd = optionalTime(query, "tsEnd");
  if (tsStart !== undefined && tsEnd !== undefined && tsEnd < tsStart) {
    throw badRequest("'tsEnd' must not be before 'tsStart'");
  }
  const overlaps = (alert: SimAlert) =>
    (tsEnd === undefined || alert.startedAtMs < tsEnd) &&
    (tsStart === undefined || alert.resolvedAtMs === null || alert.resolvedAtMs >= tsStart);
  const from = Math.max(nowMs - RESOLVED_RETENTION_MS, tsStart ?? Number.NEGATIVE_INFINITY);
  return {
    open: availability
      .openEpisodesAt(nowMs)
      .map((e) => alertOf(e, seed))
      .filter(overlaps),
    resolved: availability
      .episodesEndedIn(from, nowMs + 1)
      .map((e) => alertOf(e, seed))
      .filter(overlaps),
  };
}

/** Whether a boolean query parameter is set, with its default; anything but true/false is a 400. */
export function booleanParameter(query: Query, name: string, fallback: boolean): boolean {
  const raw = single(query, name);
  if (raw === undefined) return fallback;
  if (raw !== "true" && raw !== "false") throw badRequest(`'${name}' must be true or false`);
  return raw === "true";
}
