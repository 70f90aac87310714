import { performance } from "node:perf_hooks";
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { CONSUMER_METRICS } from "../observability/names.js";
import { type LineOutput, stdoutLines } from "../observability/stdout-lines.js";
import type { ConsumerBatchSummary } from "./batch-tally.js";
import { type DeliveryLedger, DynamoDbDeliveryLedger } from "./deliveries.js";
import { BatchMetricsError } from "./errors.js";
import type { KafkaEventInput } from "./kafka-event.js";
import {
  decodeBatch,
  firstOfEachId,
  type ProcessedBatch,
  processBatch,
  writeBatch,
} from "./process-batch.js";
import { jsonLineLog, type RecordLog } from "./record-log.js";
import type { ConsumerSettings } from "./settings.js";

export interface ConsumerHandlerOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Where the per-record lines go; JSON lines on stdout by default. */
  recordLog?: RecordLog;
  /** Where the telemetry metrics' EMF documents go; stdout by default. */
  emfOutput?: LineOutput;
  now?: () => Date;
  /** The records already written across batches; by default the settings' DynamoDB table, if any. */
  deliveries?: DeliveryLedger;
  /** For the default ledger's client (the local runtime's endpoint). */
  dynamoDbClientOptions?: DynamoDBClientConfig;
}

export type ConsumerHandler = (event: KafkaEventInput, context: Context) => Promise<ConsumerBatchSummary>;

/**
 * Builds the consumer Lambda handler for the self-managed Kafka event source mapping: one line per
 * record, aggregated EMF metrics per batch, and a summary. A record id already written, by this
 * batch or (with the deliveries table) by an earlier one, is skipped: a retried sweep's repeats
 * are neither logged nor counted again. Bad records never fail the invocation (that would block
 * their partition forever); only errors a retry can help do, and then the mapping redelivers the
 * batch: lines written before the failure are written again (their recordId identifies them), its
 * metrics, never published by the failed attempt, once.
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
  const emfOutput = options.emfOutput ?? stdoutLines();
  const emfNames = { namespace: settings.metricNamespace, serviceName: settings.serviceName };
  const deliveries =
    options.deliveries ??
    (settings.deliveries
      ? new DynamoDbDeliveryLedger({
          ...settings.deliveries,
          ...(options.dynamoDbClientOptions ? { clientOptions: options.dynamoDbClientOptions } : {}),
        })
      : undefined);

  const consume = async (event: KafkaEventInput): Promise<ConsumerBatchSummary> => {
    const startedAt = performance.now();
    try {
      const options = { recordLog, metricDimensions: settings.metricDimensions };
      let processed: ProcessedBatch;
      if (deliveries) {
        const entries = decodeBatch(event);
        // Before anything is written: a record a retried sweep produced again is skipped like a
        // repeat within the batch, so neither its line nor its metrics appear twice.
        const repeats = new Set<string>();
        const claims = firstOfEachId(entries);
        const verdicts = await deliveries.claim(claims, now());
        for (const [index, verdict] of verdicts.entries()) {
          if (!verdict.first) repeats.add(claims[index]!.recordId);
        }
        processed = writeBatch(entries, { ...options, repeats });
      } else {
        // Nothing to ask before writing: each record is decoded as it is written (processBatch).
        processed = processBatch(event, options);
      }
      const { tally, telemetry } = processed;
      try {
        for (const line of telemetry.documents(now(), emfNames)) emfOutput.write(line);
        emfOutput.flush();
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
