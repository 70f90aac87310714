import type { ProduceResult, RecordProducer } from "../kafka/producer.js";
import type { TelemetryRecord } from "../kafka/record.js";
import type { AnyTelemetryKind } from "../kinds/kind.js";
import type { MerakiReader } from "../meraki/client.js";
import type { Organization } from "../meraki/inventory.js";
import { type OrganizationFailure, OrganizationNotVisibleError, SweepFailedError } from "./errors.js";
import type { InventoryCache } from "./inventory.js";
import { mergeDropped } from "./sweep.js";
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
  now?: () => Date;
  /** Told about each organisation that could not be swept, as it happens. */
  onOrganizationFailure?: (failure: OrganizationFailure) => void;
}

export interface SweepSummary {
  /** The kind's id. */
  sweep: string;
  sweepId: string;
  window: SweepWindow;
  topic: string;
  organizations: { swept: number; failed: Array<{ organizationId: string; error: string }> };
  records: { produced: number; bytes: number; dropped: Record<string, number> };
  durationMs: number;
}

/**
 * One sweep: list the organisations, sweep each (a failing one does not stop the others), then
 * produce every record in one batch and await every delivery report. Fails when no organisation
 * could be swept or when any record is undelivered, so the scheduler retries.
 */
export async function runSweep(input: SweepRunInput): Promise<SweepSummary> {
  const now = input.now ?? (() => new Date());
  const startedAt = now().getTime();
  const window = sweepWindow(input.scheduledTime, {
    periodSeconds: input.settings.periodSeconds,
    dataDelaySeconds: input.kind.window.dataDelaySeconds,
  });
  const observedAt = now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  const visible = await input.inventory.organizations(input.meraki);
  const targets = selectOrganizations(visible, input.settings.organizationIds);

  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const failures: OrganizationFailure[] = [];
  await forEachLimited(targets, input.settings.organizationConcurrency, async (target) => {
    if (target instanceof OrganizationNotVisibleError) {
      failures.push({ organizationId: target.organizationId, organizationName: null, error: target });
      input.onOrganizationFailure?.(failures.at(-1)!);
      return;
    }
    try {
      const result = await input.kind.sweepOrganization({
        meraki: input.meraki,
        inventory: input.inventory,
        organization: target,
        window,
        sweepId: input.sweepId,
        observedAt,
        topic: input.settings.topic,
      });
      records.push(...result.records);
      mergeDropped(dropped, result.dropped);
    } catch (error) {
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
  const produced: ProduceResult = await input.producer.produce(records);
  return {
    sweep: input.kind.id,
    sweepId: input.sweepId,
    window,
    topic: input.settings.topic,
    organizations: {
      swept: targets.length - failures.length,
      failed: failures.map((f) => ({ organizationId: f.organizationId, error: f.error.message })),
    },
    records: { produced: produced.delivered, bytes: produced.bytes, dropped },
    durationMs: now().getTime() - startedAt,
  };
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
