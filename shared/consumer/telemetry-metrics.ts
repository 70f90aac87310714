import type { AnyKindMetric, ValueSummary } from "../kinds/kind.js";
import type { ConsumedKind } from "../kinds/registry.js";
import { roundTo3 } from "../kinds/series.js";
import { type EmfMetric, emfLine } from "../observability/emf.js";
import { CONSUMER_DIMENSIONS, SERVICE_DIMENSION, UNASSIGNED_NETWORK } from "../observability/names.js";
import type { EnvelopeBase } from "../schemas/envelope.js";
import type { MetricDimensionMode } from "./settings.js";

type Dimensions = Record<string, string>;

// CloudWatch ignores EMF timestamps more than 14 days old or 2 hours ahead.
const MAX_PAST_MS = 14 * 24 * 3600_000;
const MAX_FUTURE_MS = 2 * 3600_000;

interface Accumulator {
  metric: AnyKindMetric;
  sum: number;
  count: number;
  min: number;
  max: number;
  members: Set<string> | undefined;
}

interface Group {
  /** The names of the per-network set, and in device mode of the per-device set as well. */
  dimensionSets: string[][];
  /** The values of every name in the sets but `service`. */
  dimensions: Dimensions;
  /** Names for people reading the EMF document in Logs Insights; not dimensions (no cardinality cost). */
  metadata: Dimensions;
  /** When the telemetry happened: its window's start, or for a snapshot the time it was taken. */
  at: string;
  values: Map<string, Accumulator>;
}

/**
 * Aggregates a batch's telemetry into a bounded number of EMF documents, never one per record: the
 * kinds' metric declarations (shared/kinds/) say what each record contributes and under which
 * dimensions, and records with the same window, network and dimension values share one document
 * per batch. In device mode the groups are per device and each document carries two dimension
 * sets, the device one and the network one, so network-level metrics exist in both modes (read
 * counts with the Sum statistic: a network's value then arrives in several documents, and a sweep
 * can span several batches).
 */
export class TelemetryMetrics {
  readonly #mode: MetricDimensionMode;
  /** Every group, in order of creation: the order of the documents. */
  readonly #groups: Group[] = [];
  /**
   * Groups by dimension names, time, network, device (or "") and dimension values: finding a
   * record's group makes no key string (one per record and declaration was a tenth of a batch).
   */
  readonly #index = new Map<string, Map<string, Map<string, Map<string, Map<string, Group>>>>>();
  /** add()'s group per dimensions declaration of the record's kind, reused from record to record. */
  readonly #scratch: Array<Group | undefined> = [];

  constructor(mode: MetricDimensionMode) {
    this.#mode = mode;
  }

  add(kind: ConsumedKind, envelope: EnvelopeBase, summary: unknown): void {
    const networkId = envelope.source.networkId ?? UNASSIGNED_NETWORK;
    const serial = this.#mode === "device" ? envelope.source.serial : null;
    const at = kind.window.semantics === "snapshot" ? envelope.window.end : envelope.window.start;
    // Metrics of a kind usually share one dimensions declaration: evaluate each one once per record.
    const plan = planOf(kind.consumer.metrics);
    const groups = this.#scratch;
    groups.fill(undefined, 0, plan.declarations.length);
    for (let index = 0; index < plan.metrics.length; index++) {
      const metric = plan.metrics[index]!;
      const contribution = metric.observe(envelope, summary);
      if (contribution === null) continue;
      const declaration = plan.declarationOf[index]!;
      let group = groups[declaration];
      if (group === undefined) {
        group = this.#group(envelope, networkId, serial, at, plan.declarations[declaration]!);
        groups[declaration] = group;
      }
      accumulate(group, metric, contribution);
    }
  }

  /**
   * One EMF document per group, as log lines (all made before any is written, so a batch that
   * fails here publishes none of them). Every dimension set also carries `service`, as those of
   * the function's Powertools documents do; `now` decides which timestamps CloudWatch keeps.
   */
  documents(now: Date, names: { namespace: string; serviceName: string }): string[] {
    const nowMs = now.getTime();
    const lines: string[] = [];
    for (const group of this.#groups) {
      const at = Date.parse(group.at);
      // Outside CloudWatch's window (a replayed backlog) the data is still counted, at processing time.
      const timestamp = at >= nowMs - MAX_PAST_MS && at <= nowMs + MAX_FUTURE_MS ? at : nowMs;
      const metrics: EmfMetric[] = [];
      for (const accumulator of group.values.values()) {
        const { name, unit } = accumulator.metric;
        metrics.push({ name, unit, value: aggregated(accumulator) });
      }
      lines.push(
        emfLine({
          namespace: names.namespace,
          timestamp,
          dimensionSets: group.dimensionSets,
          dimensions: { [SERVICE_DIMENSION]: names.serviceName, ...group.dimensions },
          metadata: group.metadata,
          metrics,
        }),
      );
    }
    return lines;
  }

  #group(
    envelope: EnvelopeBase,
    networkId: string,
    serial: string | null,
    at: string,
    declaration: DimensionsDeclaration,
  ): Group {
    const entries = declaration.entries;
    let valuesKey = "";
    if (entries.length === 1) valuesKey = entries[0]![1](envelope);
    else if (entries.length > 1) {
      for (const index of declaration.sorted) valuesKey += `${entries[index]![1](envelope)}\u0000`;
    }
    const byValues = child(child(child(child(this.#index, declaration.names), at), networkId), serial ?? "");
    let group = byValues.get(valuesKey);
    if (group === undefined) {
      const values = entries.map(([, of]) => of(envelope));
      const dimensions: Dimensions = { [CONSUMER_DIMENSIONS.network]: networkId };
      const extra: string[] = [];
      for (const [index, [name]] of entries.entries()) {
        // A dimension without a value is left out of the sets: CloudWatch would refuse the document.
        if (!values[index]) continue;
        dimensions[name] = values[index];
        extra.push(name);
      }
      const source = envelope.source;
      const metadata: Dimensions = { organizationId: source.organizationId };
      if (source.networkName) metadata.networkName = source.networkName;
      const dimensionSets = [[SERVICE_DIMENSION, CONSUMER_DIMENSIONS.network, ...extra]];
      if (serial !== null) {
        if (source.deviceName) metadata.deviceName = source.deviceName;
        dimensions[CONSUMER_DIMENSIONS.serial] = serial;
        dimensionSets.push([
          SERVICE_DIMENSION,
          CONSUMER_DIMENSIONS.network,
          CONSUMER_DIMENSIONS.serial,
          ...extra,
        ]);
      }
      group = { dimensionSets, dimensions, metadata, at, values: new Map() };
      byValues.set(valuesKey, group);
      this.#groups.push(group);
    }
    return group;
  }
}

function child<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let next = map.get(key);
  if (next === undefined) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}

/** A `dimensions` declaration of a kind's metrics, taken apart once rather than for every record. */
interface DimensionsDeclaration {
  entries: ReadonlyArray<readonly [string, (envelope: EnvelopeBase) => string]>;
  /** Indexes into `entries` in the order of the names, sorted: the order of the group's values key. */
  sorted: readonly number[];
  /** The names, sorted: declarations of the same names (of any kind) share groups. */
  names: string;
}

/** A kind's metrics with the distinct dimensions declarations they use, in order of first use. */
interface MetricsPlan {
  metrics: readonly AnyKindMetric[];
  declarations: readonly DimensionsDeclaration[];
  /** For each metric, the index of its declaration. */
  declarationOf: readonly number[];
}

const plans = new WeakMap<readonly AnyKindMetric[], MetricsPlan>();

function planOf(metrics: readonly AnyKindMetric[]): MetricsPlan {
  let plan = plans.get(metrics);
  if (plan === undefined) {
    const declarations: DimensionsDeclaration[] = [];
    const indexes = new Map<object, number>();
    const declarationOf = metrics.map((metric) => {
      let index = indexes.get(metric.dimensions);
      if (index === undefined) {
        index = declarations.length;
        indexes.set(metric.dimensions, index);
        const entries = Object.entries(metric.dimensions) as Array<
          [string, (envelope: EnvelopeBase) => string]
        >;
        const names = entries.map(([name]) => name);
        const sortedNames = [...names].sort();
        const sorted = sortedNames.map((name) => names.indexOf(name));
        declarations.push({ entries, sorted, names: sortedNames.join("\u0000") });
      }
      return index;
    });
    plan = { metrics, declarations, declarationOf };
    plans.set(metrics, plan);
  }
  return plan;
}

function accumulate(group: Group, metric: AnyKindMetric, contribution: number | ValueSummary | string): void {
  let accumulator = group.values.get(metric.name);
  if (accumulator === undefined) {
    accumulator = {
      metric,
      sum: 0,
      count: 0,
      min: Number.POSITIVE_INFINITY,
      max: Number.NEGATIVE_INFINITY,
      members: metric.aggregation === "count-distinct" ? new Set() : undefined,
    };
    group.values.set(metric.name, accumulator);
  }
  if (accumulator.members !== undefined) {
    if (typeof contribution !== "string") {
      throw new TypeError(`metric ${metric.name} counts distinct members: observe() must return an id`);
    }
    accumulator.members.add(contribution);
    return;
  }
  if (typeof contribution === "string") {
    throw new TypeError(`metric ${metric.name} (${metric.aggregation}) got a member id instead of a number`);
  }
  if (typeof contribution === "number") {
    accumulator.sum += contribution;
    accumulator.count += 1;
    accumulator.min = Math.min(accumulator.min, contribution);
    accumulator.max = Math.max(accumulator.max, contribution);
    return;
  }
  accumulator.sum += contribution.sum;
  accumulator.count += contribution.count;
  accumulator.min = Math.min(accumulator.min, contribution.min);
  accumulator.max = Math.max(accumulator.max, contribution.max);
}

function aggregated(accumulator: Accumulator): number {
  switch (accumulator.metric.aggregation) {
    case "count-distinct":
      return accumulator.members?.size ?? 0;
    case "sum":
      return accumulator.sum;
    case "max":
      return accumulator.max;
    case "min":
      return accumulator.min;
    case "avg":
      return roundTo3(accumulator.sum / accumulator.count);
  }
}
