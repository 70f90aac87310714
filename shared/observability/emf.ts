// CloudWatch Embedded Metric Format documents written as log lines, for the consumer's telemetry
// metrics: thousands of documents per batch (one per window, network and dimension values). The
// functions' own metrics, one document per invocation, stay with Powertools Metrics. Powertools is
// built around that one stored document: each publish is a console write and re-reads its settings,
// and since 2.36.0 it warns once per shared key whenever two dimension sets of a document share a
// name, which every device-mode document does by design (NetworkId in both sets): on a
// 10,000-record batch that was 63,000 warning lines. The format itself is small and specified:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html

import type { MetricUnitName } from "../kinds/kind.js";

/** The specification's limits on one metric directive. */
const MAX_DIMENSIONS_PER_SET = 30;
const MAX_METRICS = 100;

export interface EmfMetric {
  name: string;
  unit: MetricUnitName;
  value: number;
}

export interface EmfDocument {
  namespace: string;
  /** Epoch milliseconds: when the values happened. */
  timestamp: number;
  /** The names of each dimension set, all with a value in `dimensions`. */
  dimensionSets: ReadonlyArray<readonly string[]>;
  dimensions: Readonly<Record<string, string>>;
  /** Properties for people reading the document in Logs Insights, not dimensions (no metric cost). */
  metadata: Readonly<Record<string, string>>;
  metrics: readonly EmfMetric[];
}

/**
 * One EMF document as one line of JSON, with the key order Powertools Metrics writes (directive,
 * metadata, dimensions, values), so a query reads the consumer's documents of both origins alike.
 * Throws RangeError for a document CloudWatch would refuse or misread: more dimensions or metrics
 * than the specification allows, a dimension without a value, or a metric named like a property.
 *
 * @example
 * emfLine({
 *   namespace: "Semaphore",
 *   timestamp: Date.parse("2026-11-22T10:00:00Z"),
 *   dimensionSets: [["service", "NetworkId"]],
 *   dimensions: { service: "semaphore-consumer", NetworkId: "L_1" },
 *   metadata: { networkName: "Main Office" },
 *   metrics: [{ name: "ClientsSeen", unit: "Count", value: 12 }],
 * });
 */
export function emfLine(document: EmfDocument): string {
  const { dimensionSets, dimensions, metadata, metrics } = document;
  if (metrics.length > MAX_METRICS) {
    throw new RangeError(`an EMF document holds at most ${MAX_METRICS} metrics, this one ${metrics.length}`);
  }
  for (const set of dimensionSets) {
    if (set.length > MAX_DIMENSIONS_PER_SET) {
      throw new RangeError(
        `an EMF dimension set holds at most ${MAX_DIMENSIONS_PER_SET} names: ${set.join(", ")}`,
      );
    }
    for (const name of set) {
      if (!dimensions[name]) throw new RangeError(`EMF dimension ${name} has no value`);
    }
  }
  const body: Record<string, unknown> = {
    _aws: {
      Timestamp: document.timestamp,
      CloudWatchMetrics: [
        {
          Namespace: document.namespace,
          Dimensions: dimensionSets,
          Metrics: metrics.map(({ name, unit }) => ({ Name: name, Unit: unit })),
        },
      ],
    },
  };
  Object.assign(body, metadata, dimensions);
  for (const { name, value } of metrics) {
    if (Object.hasOwn(body, name))
      throw new RangeError(`EMF metric ${name} is named like a dimension or property`);
    body[name] = value;
  }
  return JSON.stringify(body);
}
