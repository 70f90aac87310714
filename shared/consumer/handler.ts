import { performance } from "node:perf_hooks";
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { CONSUMER_METRICS } from "../observability/names.js";
import type { ConsumerBatchSummary } from "./batch-tally.js";
import { BatchMetricsError } from "./errors.js";
import type { KafkaEventInput } from "./kafka-event.js";
import { processBatch } from "./process-batch.js";
import { jsonLineLog, type RecordLog } from "./record-log.js";
import type { ConsumerSettings } from "./settings.js";

export interface ConsumerHandlerOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Where the per-record lines go; JSON lines on stdout by default. */
  recordLog?: RecordLog;
  now?: () => Date;
}

export type ConsumerHandler = (event: KafkaEventInput, context: Context) => Promise<ConsumerBatchSummary>;

/**
 * Builds the consumer Lambda handler for the self-managed Kafka event source mapping: one line per
 * record, aggregated EMF metrics per batch, and a summary. Bad records never fail the invocation
 * (that would block their partition forever); only errors a retry can help do, and then the
 * mapping redelivers the batch, so records before the failing one may be written twice; their
 * recordId identifies the repeats.
 */
export function createConsumerHandler(
  settings: ConsumerSettings,
  options: ConsumerHandlerOptions = {},
): ConsumerHandler {
  const logger = options.logger ?? new Logger({ serviceName: settings.serviceName });
  const metrics =
    options.metrics ??
    new Metrics({ namespace: settings.metricNamespace, serviceName: settings.serviceName });
  const now = options.now ?? (() => new Date());
  const recordLog = options.recordLog ?? jsonLineLog({ serviceName: settings.serviceName, now });

  const consume = async (event: KafkaEventInput): Promise<ConsumerBatchSummary> => {
    const startedAt = performance.now();
    try {
      const { tally, telemetry } = processBatch(event, {
        recordLog,
        metricDimensions: settings.metricDimensions,
      });
      try {
        telemetry.publish(metrics, now());
        tally.publish(metrics);
      } catch (error) {
        throw new BatchMetricsError(tally.describeRanges(), error);
      }
      const summary = tally.summary();
      // Left stored for logMetrics to flush after the handler, with the function's other metrics.
      metrics.addMetric(CONSUMER_METRICS.batchRecords, MetricUnit.Count, summary.records);
      logger.info("batch processed", {
        summary,
        offsets: tally.describeRanges(),
        durationMs: Math.round(performance.now() - startedAt),
      });
      return summary;
    } catch (error) {
      metrics.addMetric(CONSUMER_METRICS.errors, MetricUnit.Count, 1);
      logger.error("batch failed", { error: error as Error });
      throw error;
    }
  };

  const handler = middy<KafkaEventInput, ConsumerBatchSummary, Error, Context>(consume)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));

  return (event, context) => handler(event, context);
}
