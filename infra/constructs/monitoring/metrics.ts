// The CloudWatch metrics the dashboard and the alarms read, built from the names the functions
// emit (shared/observability/names.ts) and from each kind's metric declarations (shared/kinds/).

import { Duration } from "aws-cdk-lib";
import * as cw from "aws-cdk-lib/aws-cloudwatch";
import type { AnyKindMetric, WidgetStatistic } from "../../../shared/kinds/kind.js";
import type { RegisteredKind } from "../../../shared/kinds/registry.js";
import {
  CONSUMER_DIMENSIONS,
  CONSUMER_SERVICE_NAME,
  METRIC_NAMESPACE,
  SERVICE_DIMENSION,
  sweepServiceName,
} from "../../../shared/observability/names.js";

export const FIVE_MINUTES = Duration.minutes(5);

/** A sweep function's own metric (dimension set [service]). */
export function sweepMetric(
  kindId: string,
  name: string,
  statistic: string,
  options: { period?: Duration; label?: string } = {},
): cw.Metric {
  return new cw.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: sweepServiceName(kindId) },
    statistic,
    period: options.period ?? FIVE_MINUTES,
    ...(options.label ? { label: options.label } : {}),
  });
}

/** A consumer metric of the dimension set [service]. */
export function consumerMetric(name: string, statistic: string, label: string): cw.Metric {
  return new cw.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: CONSUMER_SERVICE_NAME },
    statistic,
    period: FIVE_MINUTES,
    label,
  });
}

/** Metrics Insights over the consumer's metrics, whatever the per-network/per-device mode. */
export function insights(query: string, label: string, period = FIVE_MINUTES): cw.MathExpression {
  return new cw.MathExpression({ expression: query, label, period, usingMetrics: {} });
}

/**
 * SCHEMA(...) over exactly these dimensions and `service`: in device mode the same metric also has
 * a set with Serial, which an exact schema leaves out, so every query reads the per-network set.
 */
export function consumerSchema(...dimensions: string[]): string {
  return `SCHEMA("${METRIC_NAMESPACE}", ${[...dimensions, SERVICE_DIMENSION].sort().join(", ")})`;
}

export const WHERE_CONSUMER = `WHERE service = '${CONSUMER_SERVICE_NAME}'`;

/** The kind's metric of this name; a widget or alarm naming an undeclared one is a bug in the kind. */
export function kindMetric(kind: RegisteredKind, name: string): AnyKindMetric {
  const metric = kind.consumer.metrics.find((m) => m.name === name);
  if (metric === undefined) throw new Error(`kind ${kind.id} declares no metric ${name}`);
  return metric;
}

/**
 * One statistic of a kind's telemetry metric over the per-network set, optionally grouped (and
 * then optionally only the `top` largest groups).
 */
export function kindMetricQuery(
  kind: RegisteredKind,
  metricName: string,
  statistic: WidgetStatistic,
  options: { groupBy?: string; top?: number } = {},
): string {
  const metric = kindMetric(kind, metricName);
  const dimensions = [CONSUMER_DIMENSIONS.network, ...Object.keys(metric.dimensions)];
  if (options.groupBy !== undefined && !dimensions.includes(options.groupBy)) {
    throw new Error(`kind ${kind.id}: metric ${metricName} has no dimension ${options.groupBy}`);
  }
  const group = options.groupBy === undefined ? "" : ` GROUP BY ${options.groupBy}`;
  const top = options.top === undefined ? "" : ` ORDER BY ${statistic}() DESC LIMIT ${options.top}`;
  return `SELECT ${statistic}(${metric.name}) FROM ${consumerSchema(...dimensions)} ${WHERE_CONSUMER}${group}${top}`;
}

/**
 * Lambda's OffsetLag (namespace AWS/Lambda) of one event source mapping: "for self-managed Apache
 * Kafka and Amazon MSK event sources, the difference in offset between the last record written to
 * a topic and the last record that your function's consumer group processed", measured at the
 * topic level; published per function (FunctionName) and per mapping (EventSourceMappingUUID)
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics,
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-view.html). The consumer has
 * one mapping per topic, so the function-level value mixes every topic; a Metrics Insights query
 * on the mapping's UUID reads that one topic's lag whatever other dimensions its series carry.
 */
export function offsetLagQuery(mappingId: string): string {
  return `SELECT MAX(OffsetLag) FROM "AWS/Lambda" WHERE EventSourceMappingUUID = '${mappingId}'`;
}
