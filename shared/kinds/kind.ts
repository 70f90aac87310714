// What a telemetry kind is: everything about it, declared once in its own module and listed once in
// registry.ts. The sweep engine, the consumer, the stack config, the CDK stack and its monitoring,
// the local runtime and the tests read these declarations; none of them lists kinds itself.

import type { MetricUnit } from "@aws-lambda-powertools/metrics";
import type * as z from "zod";
import type { MerakiOperation } from "../meraki/operation.js";
import type { EnvelopeBase } from "../schemas/envelope.js";
import type { OrganizationSweepContext, OrganizationSweepResult } from "../sweeps/sweep.js";
import type { WindowSpan } from "../sweeps/window-span.js";

export type MetricUnitName = (typeof MetricUnit)[keyof typeof MetricUnit];

/** Flat fields of one consumer "telemetry" line: every one a Logs Insights column, null when unknown. */
export type LineFields = Record<string, LineValue>;
export type LineValue = string | number | null;

/** Several values of one record folded into one contribution (e.g. one per minute of a window). */
export interface ValueSummary {
  sum: number;
  count: number;
  min: number;
  max: number;
}

/**
 * How the consumer folds a batch's records into one EMF value per metric and dimension set: the
 * sum, maximum, minimum or average of the records' contributions, or how many distinct members
 * (clients, devices) the records name, so a count never exceeds what exists.
 */
export type Aggregation = "sum" | "max" | "min" | "avg" | "count-distinct";

export interface KindMetric<Envelope, Summary> {
  /** CloudWatch metric name, unique across kinds (test/kinds checks). */
  name: string;
  unit: MetricUnitName;
  aggregation: Aggregation;
  description: string;
  /**
   * Dimensions besides NetworkId (and Serial in device mode), each with the record's value. Every
   * distinct combination is a billed custom metric: only bounded vocabularies belong here.
   */
  dimensions: Readonly<Record<string, (envelope: Envelope) => string>>;
  /**
   * The record's contribution: a number or a summary for sum/max/min/avg, the member's id for
   * count-distinct, or null when the record says nothing about this metric.
   */
  observe(envelope: Envelope, summary: Summary): number | ValueSummary | string | null;
}

export type WidgetStatistic = "SUM" | "AVG" | "MAX" | "MIN";

/** A dashboard graph of one of the kind's metrics (a Metrics Insights query over the consumer's metrics). */
export interface KindWidget {
  title: string;
  metric: string;
  statistic: WidgetStatistic;
  /** One of the metric's dimensions, or NetworkId. */
  groupBy: string;
  /** Only the `top` largest groups (e.g. the 10 worst networks). */
  top?: number;
}

/**
 * An alarm-worthy setting, configurable per kind in the stack config (`sweeps.<kind>.alarms.<name>`).
 * Without a default the alarm is off until the stack config sets the threshold (for alarms whose
 * right level depends on the site, or that would be noisy everywhere).
 */
export interface KindThreshold {
  default?: number;
  min: number;
  max: number;
  description: string;
}

/**
 * How the kind's topic is created (the local runtime and the topic tooling read it). Snapshot
 * kinds keep `compact,delete`: a new consumer can read the latest state of every subject from its
 * key, and old states still expire after the retention.
 */
export interface TopicSettings {
  partitions: number;
  retentionHours: number;
  cleanupPolicy: "delete" | "compact,delete";
}

export interface KindAlarm<Threshold extends string> {
  /** Unique within the kind; becomes part of the alarm's name. */
  id: string;
  description: (threshold: number) => string;
  metric: string;
  statistic: WidgetStatistic;
  threshold: Threshold;
  comparison: "above" | "below";
  evaluationPeriods: number;
  datapointsToAlarm: number;
}

/**
 * A saved Logs Insights query over the consumer's "telemetry" lines of this kind; the filter on the
 * message and the kind is added for it.
 */
export interface KindQuery {
  id: string;
  name: string;
  fields?: readonly string[];
  filter?: readonly string[];
  stats?: string;
  sort?: string;
  limit?: number;
}

export interface TelemetryKind<
  Id extends string,
  Envelope extends z.ZodType<EnvelopeBase>,
  Summary,
  Threshold extends string,
> {
  /** The sweep's name everywhere: function, schedule, logs, metrics `service`, consumer `kind`. */
  id: Id;
  title: string;
  /** One record per what, in words (README, banner). */
  recordPer: string;
  /** What the Kafka record key is, in words. */
  recordKey: string;
  schema: {
    /** `semaphore.<name>.v<version>`, the envelope's `schema` field and header. */
    id: string;
    version: number;
    envelope: Envelope;
  };
  defaultTopic: string;
  topicSettings: TopicSettings;
  /**
   * "window": the data describes the window (samples in it, clients seen since its start).
   * "snapshot": the data is the state when the sweep ran; the window still names the slot (ids).
   * `dataDelaySeconds`: how far behind real time the API's data is; the window ends that much
   * before the scheduled time. `span`: the window lengths the kind's calls accept (the API's least
   * or longest timespan, its data interval); the stack config refuses other schedules.
   */
  window: { semantics: "window" | "snapshot"; dataDelaySeconds: number; span?: WindowSpan };
  /** Stack config defaults; every one can be overridden in `sweeps.<kind>`. */
  deployment: { schedule: string; memoryMb: number; timeoutSeconds: number };
  /** Every Dashboard API operation the sweep calls, the shared inventory included. */
  operations: readonly MerakiOperation[];
  /**
   * True when the sweep makes its calls network by network (one or more per network), so that its
   * time grows with the organisation's network count. Only such a kind can be split into shards
   * (`sweeps.<kind>.shards`): its `sweepOrganization` sweeps only the networks of `context.shard`
   * (shared/sweeps/shard.ts). Kinds with organisation-wide calls leave it out.
   */
  perNetwork?: true;
  /** One organisation's records for the window. */
  sweepOrganization(context: OrganizationSweepContext): Promise<OrganizationSweepResult>;
  /** Only a RetiredKind (below) is retired; a kind that is swept never is. */
  retired?: undefined;
  consumer: {
    /** Computed once per record and handed to every field and metric. */
    summarise(envelope: z.output<Envelope>): Summary;
    /** The kind's own line fields, after the common ones, in this order; every line has all of them. */
    fields: Readonly<Record<string, (envelope: z.output<Envelope>, summary: Summary) => LineValue>>;
    metrics: readonly KindMetric<z.output<Envelope>, Summary>[];
  };
  monitoring: {
    thresholds: Readonly<Record<Threshold, KindThreshold>>;
    alarms: readonly KindAlarm<Threshold>[];
    widgets: readonly KindWidget[];
    /** A threshold left unset (no default, none in the stack config) is undefined here. */
    queries(thresholds: Readonly<Record<Threshold, number | undefined>>): readonly KindQuery[];
  };
}

/** Why a kind is no longer swept, and which kind took over its subjects. */
export interface KindRetirement {
  /** The id of the kind that now sweeps what this one did. */
  replacedBy: string;
  reason: string;
}

/** What the consumer reads of a kind (its schema, topic, line and metrics): all a retired kind keeps. */
export type ConsumedKindFields =
  | "id"
  | "title"
  | "recordPer"
  | "recordKey"
  | "schema"
  | "defaultTopic"
  | "topicSettings"
  | "window"
  | "consumer";

/**
 * A kind that is no longer swept (its operation deprecated, its subjects swept by `replacedBy`),
 * listed in registry.ts's RETIRED, not its REGISTERED. It has no sweep function, schedule,
 * monitoring or topic creation: nothing new is produced under it. The consumer still decodes and
 * writes its schema exactly as before, so records left in its topic (or delivered again) are read
 * while the stack config's `sweeps.<kind>.drain` keeps an event source mapping on that topic.
 */
export interface RetiredKind<Id extends string, Envelope extends z.ZodType<EnvelopeBase>, Summary>
  extends Pick<TelemetryKind<Id, Envelope, Summary, never>, ConsumedKindFields> {
  retired: KindRetirement;
}

/**
 * A kind as the generic parts see it. Its consumer functions are declared with method syntax, whose
 * parameters TypeScript checks bivariantly: each kind's functions take its own envelope type, and the
 * registry hands them only envelopes its own schema has parsed.
 */
export interface AnyTelemetryKind
  extends Omit<TelemetryKind<string, z.ZodType<EnvelopeBase>, unknown, string>, "consumer" | "monitoring"> {
  consumer: {
    summarise(envelope: EnvelopeBase): unknown;
    fields: Readonly<Record<string, FieldOf>>;
    metrics: readonly AnyKindMetric[];
  };
  monitoring: {
    thresholds: Readonly<Record<string, KindThreshold>>;
    alarms: readonly KindAlarm<string>[];
    widgets: readonly KindWidget[];
    queries(thresholds: Readonly<Record<string, number | undefined>>): readonly KindQuery[];
  };
}

/** Any kind whose records the consumer reads: a swept one, or a retired one still being drained. */
export type AnyConsumedKind = Pick<AnyTelemetryKind, ConsumedKindFields> & { retired?: KindRetirement };

export interface AnyKindMetric extends Omit<KindMetric<EnvelopeBase, unknown>, "dimensions" | "observe"> {
  dimensions: Readonly<Record<string, DimensionOf>>;
  observe(envelope: EnvelopeBase, summary: unknown): number | ValueSummary | string | null;
}

// Function types taken from method declarations keep the methods' bivariant parameter check.
type DimensionOf = { value(envelope: EnvelopeBase): string }["value"];
type FieldOf = { value(envelope: EnvelopeBase, summary: unknown): LineValue }["value"];

/** Checks a kind module's declaration and keeps its precise types (ids, envelope, thresholds). */
export function defineKind<
  const Id extends string,
  Envelope extends z.ZodType<EnvelopeBase>,
  Summary,
  const Threshold extends string = never,
>(kind: TelemetryKind<Id, Envelope, Summary, Threshold>): TelemetryKind<Id, Envelope, Summary, Threshold> {
  return kind;
}

/** Checks a retired kind's declaration and keeps its precise types (id, envelope). */
export function defineRetiredKind<const Id extends string, Envelope extends z.ZodType<EnvelopeBase>, Summary>(
  kind: RetiredKind<Id, Envelope, Summary>,
): RetiredKind<Id, Envelope, Summary> {
  return kind;
}
