// The registry of telemetry kinds: the one list. Adding a kind is one module beside this file and
// one line below; everything else (sweep function, schedule, topic, consumer line and metrics,
// config validation, dashboard, alarms, saved queries, local runtime) follows from the declaration.

import type { z } from "zod";
import { deviceStatuses } from "./device-statuses.js";
import type { AnyTelemetryKind } from "./kind.js";
import { networkClients } from "./network-clients.js";
import { uplinkLossLatency } from "./uplink-loss-latency.js";

const REGISTERED = [uplinkLossLatency, networkClients, deviceStatuses] as const;

type Declared = (typeof REGISTERED)[number];

export type KindId = Declared["id"];

/** Any envelope a Semaphore producer writes, discriminated by its `schema` literal. */
export type TelemetryEnvelope = z.output<Declared["schema"]["envelope"]>;

/** A kind as the generic parts see it, with its id known to be one of the registry's. */
export type RegisteredKind = AnyTelemetryKind & { readonly id: KindId };

/** Every kind, in the order they are listed (dashboards, tables and banners keep it). */
export const KINDS: readonly RegisteredKind[] = REGISTERED;

export const KIND_IDS = REGISTERED.map((kind) => kind.id) as readonly KindId[];

const byId = new Map<string, RegisteredKind>(KINDS.map((kind) => [kind.id, kind]));
const bySchema = new Map<string, RegisteredKind>(KINDS.map((kind) => [kind.schema.id, kind]));

export function isKindId(value: string): value is KindId {
  return byId.has(value);
}

/** The kind with this id; callers validate user input with isKindId first, so an unknown id is a bug. */
export function kindById(id: string): RegisteredKind {
  const kind = byId.get(id);
  if (kind === undefined) throw new RangeError(`no telemetry kind "${id}" (known: ${KIND_IDS.join(", ")})`);
  return kind;
}

/** The kind whose envelope has this `schema` id, or undefined for a schema no kind declares. */
export function kindOfSchema(schemaId: string): RegisteredKind | undefined {
  return bySchema.get(schemaId);
}
