import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import middy from "@middy/core";
import secretsManager from "@middy/secrets-manager";
import { clearCache } from "@middy/util";
import type { Context } from "aws-lambda";
import type { SweepFunctionSettings } from "../config/sweep-settings.js";
import { KafkaAuthenticationError, KafkaDeliveryError } from "../kafka/errors.js";
import { ProducerCache } from "../kafka/producer-cache.js";
import { LocalBudget, policiesFrom, type RequestBudget } from "../meraki/budget.js";
import { abortableSleep, type MerakiLogger } from "../meraki/http.js";
import { MerakiAuthError, MerakiClient, type MerakiClientStats } from "../meraki/index.js";
import { SharedBudget } from "../meraki/shared-budget.js";
import { METRIC_NAMESPACE, SWEEP_METRICS, sweepServiceName } from "../observability/names.js";
import { SweepDeadline } from "../sweeps/deadline.js";
import { type OrganizationFailure, SweepFailedError, SweepIncompleteError } from "../sweeps/errors.js";
import { InventoryCache } from "../sweeps/inventory.js";
import { runSweep, type SweepSummary } from "../sweeps/run-sweep.js";
import { type CredentialsContext, resolveCredentials } from "./credentials.js";
import { parseSweepEvent } from "./sweep-event.js";

export interface SweepHandlerOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Secrets Manager client settings (region, endpoint); the SDK's defaults otherwise. */
  secretsManagerClientOptions?: Record<string, unknown>;
  /** DynamoDB client settings for the shared Meraki budget (region, endpoint); the SDK's defaults otherwise. */
  dynamoDbClientOptions?: DynamoDBClientConfig;
  now?: () => Date;
}

export type SweepHandler = ((event: unknown, context: Context) => Promise<SweepSummary>) & {
  /** Disconnects the cached Kafka producer; for the local runner and tests. */
  close(): Promise<void>;
};

let handlerInstances = 0;

/** Between the end of Meraki work and the delivery timeout: enqueueing what was built, and flushing. */
const PRODUCE_MARGIN_MS = 2_000;

/**
 * Builds a sweep Lambda handler: secrets through @middy/secrets-manager (cached), structured logs
 * and EMF metrics through Powertools, then one runSweep. Everything that is worth keeping across
 * warm invocations (producer, inventory, Meraki client) lives in this closure.
 */
export function createSweepHandler(
  settings: SweepFunctionSettings,
  options: SweepHandlerOptions = {},
): SweepHandler {
  const { kind } = settings;
  const serviceName = sweepServiceName(kind.id);
  const logger = options.logger ?? new Logger({ serviceName });
  const metrics = options.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName });
  const inventory = new InventoryCache({ ttlMs: settings.inventoryTtlSeconds * 1000 });
  const producers = new ProducerCache();
  const secretsCacheKey = `semaphore-secrets-${kind.id}-${++handlerInstances}`;
  // A rejected credential may be fixed (rotated) before the next attempt: read the secrets again
  // then instead of reusing the cached value for the rest of the cache lifetime.
  const forgetSecrets = () => clearCache([secretsCacheKey]);
  let meraki: { apiKey: string; client: MerakiClient } | undefined;
  const merakiLogger = {
    debug: (message: string, attributes: Record<string, unknown>) => logger.debug(message, { ...attributes }),
    warn: (message: string, attributes: Record<string, unknown>) => logger.warn(message, { ...attributes }),
  };
  // Outlives key rotations and warm invocations: it is the organisation's budget, not the client's.
  const budget = merakiBudget(settings, merakiLogger, options.dynamoDbClientOptions);

  const merakiClientFor = (apiKey: string): MerakiClient => {
    if (meraki?.apiKey !== apiKey) {
      meraki = {
        apiKey,
        client: new MerakiClient({
          apiKey,
          baseUrl: settings.merakiBaseUrl,
          budget,
          timeoutMs: settings.merakiTimeoutMs,
          logger: merakiLogger,
        }),
      };
    }
    return meraki.client;
  };

  const sweepOnce = async (event: unknown, context: CredentialsContext): Promise<SweepSummary> => {
    // The remaining time is Lambda's own: what the middlewares spent (secrets) is already deducted.
    const deadline = new SweepDeadline({
      remainingMs: context.getRemainingTimeInMillis(),
      produceReserveMs: settings.kafka.deliveryTimeoutMs + PRODUCE_MARGIN_MS,
    });
    const credentials = context.credentials!;
    const trigger = parseSweepEvent(event, context.awsRequestId, options.now);
    logger.appendKeys({
      sweep: kind.id,
      sweepId: trigger.sweepId,
      ...(trigger.shard ? { shard: `${trigger.shard.index}/${trigger.shard.count}` } : {}),
    });
    const client = merakiClientFor(credentials.merakiApiKey);
    client.resetStats();
    const failures: OrganizationFailure[] = [];
    try {
      const producer = await producers.get({ ...settings.kafka, clientId: serviceName }, credentials.kafka);
      const summary = await runSweep({
        kind,
        settings,
        meraki: client,
        inventory,
        producer,
        scheduledTime: trigger.scheduledTime,
        sweepId: trigger.sweepId,
        ...(trigger.shard ? { shard: trigger.shard } : {}),
        deadline,
        ...(options.now ? { now: options.now } : {}),
        onOrganizationFailure: (failure) => {
          failures.push(failure);
          logger.error("organization sweep failed", {
            organizationId: failure.organizationId,
            organizationName: failure.organizationName,
            error: failure.error,
          });
        },
        onRefusedRecord: (refused) => logger.warn("record refused by its schema", { refused }),
      });
      recordSweepMetrics(metrics, summary);
      logger.info("sweep completed", { summary });
      return summary;
    } catch (error) {
      if (error instanceof MerakiAuthError || isKafkaLoginRefused(error)) forgetSecrets();
      metrics.addMetric(SWEEP_METRICS.errors, MetricUnit.Count, 1);
      if (error instanceof SweepIncompleteError) {
        // What it did deliver counts like any sweep's; the summary also says what it skipped.
        recordSweepMetrics(metrics, error.summary);
        metrics.addMetric(SWEEP_METRICS.incomplete, MetricUnit.Count, 1);
        logger.error("sweep incomplete", { summary: error.summary, error });
      } else {
        logger.error("sweep failed", { error: error as Error });
      }
      throw error;
    } finally {
      deadline.dispose();
      // With the inventory cached, a revoked key fails inside each organisation's sweep (all of them,
      // or only some while the key is half-rotated or lacks access there), not before it.
      if (failures.some((failure) => failure.error instanceof MerakiAuthError)) forgetSecrets();
      recordApiMetrics(metrics, client.stats());
    }
  };

  const handler = middy<unknown, SweepSummary, Error, CredentialsContext>(sweepOnce)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(
      secretsManager({
        fetchData: { merakiApiKey: settings.merakiSecretId, kafka: settings.kafkaSecretId },
        cacheKey: secretsCacheKey,
        cacheExpiry: settings.secretsCacheSeconds * 1000,
        ...(options.secretsManagerClientOptions
          ? { awsClientOptions: options.secretsManagerClientOptions }
          : {}),
      }),
    )
    .use(resolveCredentials(settings))
    .use({
      onError: async (request) => {
        // A secret that could not be read or has the wrong shape gets the same structured log as a
        // sweep error. (Bad settings never get here: sweepSettingsFromEnv fails at init.)
        if (!(request.error instanceof Error) || request.error instanceof SweepFailedError) return;
        if (request.context && !("credentials" in request.context)) {
          logger.error("sweep could not start", { error: request.error });
        }
      },
    });

  return Object.assign(
    (event: unknown, context: Context) => handler(event, context) as Promise<SweepSummary>,
    { close: () => producers.close() },
  );
}

/**
 * The budget every sweep function shares through DynamoDB when the stack gave a table, otherwise
 * this function's own buckets (a local run without DynamoDB).
 */
function merakiBudget(
  settings: SweepFunctionSettings,
  logger: MerakiLogger,
  dynamoDbClientOptions: DynamoDBClientConfig | undefined,
): RequestBudget {
  const policyFor = policiesFrom(
    settings.merakiRequestsPerSecond,
    settings.merakiRequestsPerSecondByOrganization,
  );
  const sleep = (ms: number, signal?: AbortSignal) => abortableSleep(ms, signal);
  if (settings.merakiBudget === undefined) return new LocalBudget({ policyFor, now: Date.now, sleep });
  return new SharedBudget({
    // Short timeouts and one retry: a slow table must not hold the sweep, the local share takes over.
    client: new DynamoDBClient({
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
      ...dynamoDbClientOptions,
    }),
    tableName: settings.merakiBudget.tableName,
    policyFor,
    fallbackShare: settings.merakiBudget.fallbackShare,
    sleep,
    logger,
  });
}

/** At connect, or while records were on their way (then the delivery error counts them). */
function isKafkaLoginRefused(error: unknown): boolean {
  return (
    error instanceof KafkaAuthenticationError ||
    (error instanceof KafkaDeliveryError && error.cause instanceof KafkaAuthenticationError)
  );
}

function recordSweepMetrics(metrics: Metrics, summary: SweepSummary): void {
  metrics.addMetric(SWEEP_METRICS.duration, MetricUnit.Milliseconds, summary.durationMs);
  metrics.addMetric(SWEEP_METRICS.recordsProduced, MetricUnit.Count, summary.records.produced);
  const dropped = Object.values(summary.records.dropped).reduce((sum, n) => sum + n, 0);
  metrics.addMetric(SWEEP_METRICS.recordsDropped, MetricUnit.Count, dropped);
  metrics.addMetric(SWEEP_METRICS.failedOrganizations, MetricUnit.Count, summary.organizations.failed.length);
}

function recordApiMetrics(metrics: Metrics, stats: MerakiClientStats): void {
  metrics.addMetric(SWEEP_METRICS.apiCalls, MetricUnit.Count, stats.total.apiCalls);
  metrics.addMetric(SWEEP_METRICS.apiRateLimited, MetricUnit.Count, stats.total.rateLimited);
  metrics.addMetric(SWEEP_METRICS.apiRetries, MetricUnit.Count, stats.total.retries);
}
