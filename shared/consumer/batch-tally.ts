import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { ConsumedKindId } from "../kinds/registry.js";
import { CONSUMER_DIMENSIONS, CONSUMER_METRICS } from "../observability/names.js";
import type { RecordLocation } from "./errors.js";
import type { RejectionReason } from "./rejection.js";

/** Rejected records whose schema the consumer does not know have no kind. */
export type TallyKind = ConsumedKindId | "unknown";

export interface KindCounts {
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** What the handler returns and logs for each batch. */
export interface ConsumerBatchSummary {
  records: number;
  /** Written as telemetry lines: valid, and the first of their record id in the batch. */
  accepted: number;
  /**
   * Valid records whose id was already written: earlier in the batch, or by an earlier batch (the
   * deliveries table): a retried sweep's repeats.
   */
  duplicates: number;
  rejected: number;
  rejectedByReason: Partial<Record<RejectionReason, number>>;
  kinds: Partial<Record<TallyKind, KindCounts>>;
}

interface OffsetRange {
  first: number;
  last: number;
}

/** Counts a batch's records by outcome, kind and reason, and remembers which offsets it covered. */
export class BatchTally {
  readonly #summary: ConsumerBatchSummary = {
    records: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    rejectedByReason: {},
    kinds: {},
  };
  readonly #ranges = new Map<string, OffsetRange>();
  #current: { topic: string; partition: number; range: OffsetRange } | undefined;

  seen(location: RecordLocation): void {
    this.#summary.records += 1;
    // Records arrive grouped by topic-partition: most of the time it is the same range as before.
    const current = this.#current;
    if (current && current.topic === location.topic && current.partition === location.partition) {
      current.range.last = location.offset;
      return;
    }
    const key = `${location.topic}-${location.partition}`;
    let range = this.#ranges.get(key);
    if (range) range.last = location.offset;
    else {
      range = { first: location.offset, last: location.offset };
      this.#ranges.set(key, range);
    }
    this.#current = { topic: location.topic, partition: location.partition, range };
  }

  accepted(kind: ConsumedKindId): void {
    this.#summary.accepted += 1;
    this.#kind(kind).accepted += 1;
  }

  duplicate(kind: ConsumedKindId): void {
    this.#summary.duplicates += 1;
    this.#kind(kind).duplicates += 1;
  }

  rejected(reason: RejectionReason, kind: ConsumedKindId | null): void {
    this.#summary.rejected += 1;
    this.#summary.rejectedByReason[reason] = (this.#summary.rejectedByReason[reason] ?? 0) + 1;
    this.#kind(kind ?? "unknown").rejected += 1;
  }

  summary(): ConsumerBatchSummary {
    return structuredClone(this.#summary);
  }

  /** "meraki.devices.statuses-0@12..40, meraki.network.clients-2@7..7": for errors about the whole batch. */
  describeRanges(): string {
    return (
      [...this.#ranges].map(([key, { first, last }]) => `${key}@${first}..${last}`).join(", ") || "no records"
    );
  }

  /** One EMF document per kind and one per rejection reason, both bounded sets. */
  publish(metrics: Metrics): void {
    for (const [kind, counts] of Object.entries(this.#summary.kinds)) {
      metrics.addDimensions({ [CONSUMER_DIMENSIONS.kind]: kind });
      metrics.addMetric(CONSUMER_METRICS.accepted, MetricUnit.Count, counts.accepted);
      metrics.addMetric(CONSUMER_METRICS.duplicates, MetricUnit.Count, counts.duplicates);
      metrics.addMetric(CONSUMER_METRICS.rejected, MetricUnit.Count, counts.rejected);
      metrics.publishStoredMetrics();
    }
    for (const [reason, count] of Object.entries(this.#summary.rejectedByReason)) {
      metrics.addDimensions({ [CONSUMER_DIMENSIONS.reason]: reason });
      metrics.addMetric(CONSUMER_METRICS.rejected, MetricUnit.Count, count);
      metrics.publishStoredMetrics();
    }
  }

  #kind(kind: TallyKind): KindCounts {
    let counts = this.#summary.kinds[kind];
    if (!counts) {
      counts = { accepted: 0, duplicates: 0, rejected: 0 };
      this.#summary.kinds[kind] = counts;
    }
    return counts;
  }
}
