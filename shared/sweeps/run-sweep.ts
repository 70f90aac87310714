import { KafkaDeliveryError } from "../kafka/errors.js";
import type { ProduceResult, RecordProducer } from "../kafka/producer.js";
import type { AnyTelemetryKind } from "../kinds/kind.js";
import { type MerakiReader, readerWithSignal } from "../meraki/client.js";
import type { Organization } from "../meraki/inventory.js";
import { checkRecords, type RefusedRecord } from "../schemas/check-records.js";
import { isDeadlineStop, type SweepDeadline } from "./deadline.js";
import {
  InvalidSweepEventError,
  type OrganizationFailure,
  OrganizationNotVisibleError,
  SweepFailedError,
  SweepIncompleteError,
} from "./errors.js";
import type { InventoryCache } from "./inventory.js";
import type { Shard } from "./shard.js";
import { countDrop, mergeDropped } from "./sweep.js";
import { type SweepWindow, sweepWindow } from "./window.js";

export interface SweepRunSettings {
  topic: string;
  /** The schedule's period: the window length. */
  periodSeconds: number;
  /** Empty = every organisation the API key can see. */
  organizationIds: string[];
  /** Organisations swept at once; each has its own rate limit, so they do not slow each other. */
  organizationConcurrency: number;
}

export interface SweepRunInput {
  kind: AnyTelemetryKind;
  settings: SweepRunSettings;
  meraki: MerakiReader;
  inventory: InventoryCache;
  producer: RecordProducer;
  scheduledTime: Date;
  sweepId: string;
  /** When Meraki work must stop; without one the sweep runs to completion. */
  deadline?: SweepDeadline;
  /** One shard of a per-network kind; without it every network is swept. */
  shard?: Shard;
  now?: () => Date;
  /** Told about each organisation that could not be swept, as it happens. */
  onOrganizationFailure?: (failure: OrganizationFailure) => void;
  /** Told about each record its kind's schema refused (not produced, counted in `dropped`). */
  onRefusedRecord?: (refused: RefusedRecord) => void;
}

export interface SweepSummary {
  /** The kind's id. */
  sweep: string;
  sweepId: string;
  window: SweepWindow;
  topic: string;
  /** The shard swept, when the invocation covered only one. */
  shard?: Shard;
  organizations: {
    swept: number;
    failed: Array<{ organizationId: string; error: string }>;
    /** Not swept, or not completely, because the deadline came first. */
    skipped: string[];
  };
  records: { produced: number; bytes: number; dropped: Record<string, number> };
  /** What the deadline left undone, by unit (organizations, networks, ...); empty when complete. */
  skipped: Record<string, number>;
  durationMs: number;
}

/**
 * One sweep: list the organisations and sweep each (a failing one does not stop the others),
 * producing each organisation's records as soon as it is done and awaiting every delivery report.
 * Fails when no organisation could be swept, when any record is undelivered, or when the deadline
 * left work undone (SweepIncompleteError, after what was built has been delivered), so the
 * invocation is retried for the same window and the same record ids.
 */
export async function runSweep(input: SweepRunInput): Promise<SweepSummary> {
  if (input.shard !== undefined && !input.kind.perNetwork) {
    // Its calls cover the whole organisation: every "shard" would sweep, and produce, all of it.
    throw new InvalidSweepEventError(
      `${input.kind.id} makes organisation-wide calls and is not split into shards: invoke it without ` +
        '"shard" and "shards"',
    );
  }
  const now = input.now ?? (() => new Date());
  const startedAt = now().getTime();
  const window = sweepWindow(input.scheduledTime, {
    periodSeconds: input.settings.periodSeconds,
    dataDelaySeconds: input.kind.window.dataDelaySeconds,
  });
  const observedAt = now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  const meraki = input.deadline ? readerWithSignal(input.meraki, input.deadline.signal) : input.meraki;
  const visible = await input.inventory.organizations(meraki);
  const targets = selectOrganizations(visible, input.settings.organizationIds);

  const deliveries: Array<Promise<ProduceResult>> = [];
  const dropped: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const skippedOrganizations: string[] = [];
  const failures: OrganizationFailure[] = [];
  await forEachLimited(targets, input.settings.organizationConcurrency, async (target) => {
    if (target instanceof OrganizationNotVisibleError) {
      failures.push({ organizationId: target.organizationId, organizationName: null, error: target });
      input.onOrganizationFailure?.(failures.at(-1)!);
      return;
    }
    if (input.deadline?.reached) {
      skippedOrganizations.push(target.id);
      count(skipped, "organizations", 1);
      return;
    }
    try {
      const result = await input.kind.sweepOrganization({
        meraki,
        inventory: input.inventory,
        organization: target,
        window,
        sweepId: input.sweepId,
        observedAt,
        topic: input.settings.topic,
        ...(input.shard ? { shard: input.shard } : {}),
      });
      // What the consumer would reject never reaches Kafka: the same envelope schema, both sides.
      const checked = checkRecords(input.kind.schema.envelope, result.records);
      for (const refused of checked.refused) {
        countDrop(dropped, refused.violation);
        input.onRefusedRecord?.(refused);
      }
      deliveries.push(input.producer.produce(checked.valid));
      mergeDropped(dropped, result.dropped);
      if (result.skipped !== undefined && Object.keys(result.skipped).length > 0) {
        skippedOrganizations.push(target.id);
        mergeDropped(skipped, result.skipped);
      }
    } catch (error) {
      if (isDeadlineStop(error)) {
        skippedOrganizations.push(target.id);
        count(skipped, "organizations", 1);
        return;
      }
      const failure = {
        organizationId: target.id,
        organizationName: target.name ?? null,
        error: error instanceof Error ? error : new Error(String(error)),
      };
      failures.push(failure);
      input.onOrganizationFailure?.(failure);
    }
  });

  if (targets.length > 0 && failures.length === targets.length) {
    throw new SweepFailedError(
      `${input.kind.id} sweep failed for every organization (${failures.length}): ${failures[0]!.error.message}`,
      failures,
    );
  }
  const produced = await allDelivered(deliveries);
  const summary: SweepSummary = {
    sweep: input.kind.id,
    sweepId: input.sweepId,
    window,
    topic: input.settings.topic,
    ...(input.shard ? { shard: input.shard } : {}),
    organizations: {
      swept: targets.length - failures.length - skippedOrganizations.length,
      failed: failures.map((f) => ({ organizationId: f.organizationId, error: f.error.message })),
      skipped: skippedOrganizations,
    },
    records: { produced: produced.delivered, bytes: produced.bytes, dropped },
    skipped,
    durationMs: now().getTime() - startedAt,
  };
  if (Object.keys(skipped).length > 0) throw new SweepIncompleteError(summary);
  return summary;
}

/** Waits for every organisation's delivery; one error counts every undelivered record of them all. */
async function allDelivered(deliveries: Array<Promise<ProduceResult>>): Promise<ProduceResult> {
  const outcomes = await Promise.allSettled(deliveries);
  const total: ProduceResult = { delivered: 0, bytes: 0 };
  const undelivered: KafkaDeliveryError[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === "fulfilled") {
      total.delivered += outcome.value.delivered;
      total.bytes += outcome.value.bytes;
    } else if (outcome.reason instanceof KafkaDeliveryError) {
      undelivered.push(outcome.reason);
      total.delivered += outcome.reason.attempted - outcome.reason.undelivered;
    } else {
      // Not about some records (a refused login, a fatal client): the same for every batch.
      throw outcome.reason;
    }
  }
  if (undelivered.length === 1) throw undelivered[0];
  if (undelivered.length > 1) throw KafkaDeliveryError.combine(undelivered);
  return total;
}

function count(into: Record<string, number>, what: string, n: number): void {
  into[what] = (into[what] ?? 0) + n;
}

function selectOrganizations(
  visible: Organization[],
  allowlist: string[],
): Array<Organization | OrganizationNotVisibleError> {
  if (allowlist.length === 0) return visible;
  const byId = new Map(visible.map((org) => [org.id, org]));
  return allowlist.map((id) => byId.get(id) ?? new OrganizationNotVisibleError(id));
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(workers);
}
