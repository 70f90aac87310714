import { recordId, type TelemetryRecord } from "../kafka/record.js";
import type { MerakiReader } from "../meraki/client.js";
import type { Organization } from "../meraki/inventory.js";
import { isDeadlineStop } from "./deadline.js";
import type { InventoryCache } from "./inventory.js";
import type { Shard } from "./shard.js";
import type { SweepWindow } from "./window.js";

/** Everything one organisation's sweep needs; the same for every kind. */
export interface OrganizationSweepContext {
  meraki: MerakiReader;
  inventory: InventoryCache;
  organization: Organization;
  window: SweepWindow;
  sweepId: string;
  observedAt: string;
  topic: string;
  /**
   * The shard this invocation covers, for a per-network kind split into shards: its sweep takes
   * only the networks of this shard (networksOfShard). Undefined = every network.
   */
  shard?: Shard;
}

/** Records to produce plus, by reason, the API rows that were not turned into records. */
export interface OrganizationSweepResult {
  records: TelemetryRecord[];
  dropped: Record<string, number>;
  /** What the deadline left undone, by unit ("networks": 12); the records cover the rest. */
  skipped?: Record<string, number>;
}

/**
 * Runs `work` for each item in turn until the sweep's deadline stops Meraki calls, and returns how
 * many items it did not finish (0 when all were done). Work already done is kept: for a kind that
 * makes one call per network, the networks swept before the deadline still get their records.
 */
export async function eachUntilDeadline<T>(
  items: readonly T[],
  work: (item: T) => Promise<void>,
): Promise<number> {
  for (const [index, item] of items.entries()) {
    try {
      await work(item);
    } catch (error) {
      if (isDeadlineStop(error)) return items.length - index;
      throw error;
    }
  }
  return 0;
}

/** What a kind's pure mapping needs besides the API rows: the context without the clients. */
export type MappingInput = Omit<OrganizationSweepContext, "meraki" | "inventory">;

export function countDrop(dropped: Record<string, number>, reason: string): void {
  dropped[reason] = (dropped[reason] ?? 0) + 1;
}

export function mergeDropped(into: Record<string, number>, from: Record<string, number>): void {
  for (const [reason, count] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + count;
}

/** The fields every envelope starts with; the id is derived from (schema, org, subject, window start). */
export function envelopeHead<Schema extends string>(
  schema: Schema,
  organizationId: string,
  subject: string,
  input: { window: SweepWindow; sweepId: string; observedAt: string },
) {
  return {
    schema,
    id: recordId(schema, organizationId, subject, input.window.start),
    sweepId: input.sweepId,
    observedAt: input.observedAt,
    window: input.window,
  };
}
