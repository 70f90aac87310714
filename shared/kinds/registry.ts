// The registry of telemetry kinds: the one list. Adding a kind is one module beside this file and
// one line below; everything else (sweep function, schedule, topic, consumer line and metrics,
// config validation, dashboard, alarms, saved queries, local runtime) follows from the declaration.

import type * as z from "zod";
import { apiRequests } from "./api-requests.js";
import { applianceUplinkStatuses } from "./appliance-uplink-statuses.js";
import { applianceUplinksUsage } from "./appliance-uplinks-usage.js";
import { applianceVpnStatuses } from "./appliance-vpn-statuses.js";
import { assuranceAlerts } from "./assurance-alerts.js";
import { cellularUplinkStatuses } from "./cellular-uplink-statuses.js";
import { deviceAvailability } from "./device-availability.js";
import { deviceAvailabilityChanges } from "./device-availability-changes.js";
import { deviceStatuses } from "./device-statuses.js";
import type { AnyConsumedKind, AnyTelemetryKind, KindRetirement } from "./kind.js";
import { networkClients } from "./network-clients.js";
import { sensorReadings } from "./sensor-readings.js";
import { switchPortStatuses } from "./switch-port-statuses.js";
import { uplinkLossLatency } from "./uplink-loss-latency.js";
import { wirelessChannelUtilization } from "./wireless-channel-utilization.js";
import { wirelessClientsOverview } from "./wireless-clients-overview.js";
import { wirelessPacketLoss } from "./wireless-packet-loss.js";

const REGISTERED = [
  uplinkLossLatency,
  networkClients,
  deviceAvailability,
  deviceAvailabilityChanges,
  applianceUplinkStatuses,
  cellularUplinkStatuses,
  assuranceAlerts,
  wirelessChannelUtilization,
  wirelessPacketLoss,
  wirelessClientsOverview,
  switchPortStatuses,
  sensorReadings,
  applianceVpnStatuses,
  applianceUplinksUsage,
  apiRequests,
] as const;

/**
 * Kinds no longer swept whose records the consumer still reads (kind.ts, RetiredKind): a retired
 * kind leaves REGISTERED, so nothing schedules, deploys or monitors it, and is listed here so that
 * its schema stays known while its topic is drained.
 */
const RETIRED = [deviceStatuses] as const;

type Declared = (typeof REGISTERED)[number];
type Retired = (typeof RETIRED)[number];

export type KindId = Declared["id"];
export type RetiredKindId = Retired["id"];
/** Every kind whose records the consumer reads: the swept ones and the retired ones. */
export type ConsumedKindId = KindId | RetiredKindId;

/** Any envelope a Semaphore producer writes or wrote, discriminated by its `schema` literal. */
export type TelemetryEnvelope = z.output<(Declared | Retired)["schema"]["envelope"]>;

/** A kind as the generic parts see it, with its id known to be one of the registry's. */
export type RegisteredKind = AnyTelemetryKind & { readonly id: KindId };

/** A retired kind as the consumer and the stack see it. */
export type RegisteredRetiredKind = AnyConsumedKind & {
  readonly id: RetiredKindId;
  readonly retired: KindRetirement;
};

/** A kind as the consumer sees it: swept or retired, it decodes, writes and measures the same way. */
export type ConsumedKind = AnyConsumedKind & { readonly id: ConsumedKindId };

/** Every kind, in the order they are listed (dashboards, tables and banners keep it). */
export const KINDS: readonly RegisteredKind[] = REGISTERED;

export const KIND_IDS = REGISTERED.map((kind) => kind.id) as readonly KindId[];

export const RETIRED_KINDS: readonly RegisteredRetiredKind[] = RETIRED;

export const RETIRED_KIND_IDS = RETIRED.map((kind) => kind.id) as readonly RetiredKindId[];

/** Every kind whose schema the consumer knows, the swept ones first. */
export const CONSUMED_KINDS: readonly ConsumedKind[] = [...KINDS, ...RETIRED_KINDS];

const byId = new Map<string, RegisteredKind>(KINDS.map((kind) => [kind.id, kind]));
const retiredById = new Map<string, RegisteredRetiredKind>(RETIRED_KINDS.map((kind) => [kind.id, kind]));
const bySchema = new Map<string, ConsumedKind>(CONSUMED_KINDS.map((kind) => [kind.schema.id, kind]));

export function isKindId(value: string): value is KindId {
  return byId.has(value);
}

/** The kind with this id; callers validate user input with isKindId first, so an unknown id is a bug. */
export function kindById(id: string): RegisteredKind {
  const kind = byId.get(id);
  if (kind === undefined) throw new RangeError(`no telemetry kind "${id}" (known: ${KIND_IDS.join(", ")})`);
  return kind;
}

export function isRetiredKindId(value: string): value is RetiredKindId {
  return retiredById.has(value);
}

/** The retired kind with this id; an unknown id is a bug, as in kindById. */
export function retiredKindById(id: string): RegisteredRetiredKind {
  const kind = retiredById.get(id);
  if (kind === undefined) {
    throw new RangeError(`no retired telemetry kind "${id}" (known: ${RETIRED_KIND_IDS.join(", ")})`);
  }
  return kind;
}

/**
 * The kind, swept or retired, whose envelope has this `schema` id, or undefined for a schema no
 * kind declares.
 */
export function kindOfSchema(schemaId: string): ConsumedKind | undefined {
  return bySchema.get(schemaId);
}
