import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import secretsManager from "@middy/secrets-manager";
import { clearCache } from "@middy/util";
import type { Context } from "aws-lambda";
import type { SweepFunctionSettings } from "../config/sweep-settings.js";
import { KafkaAuthenticationError } from "../kafka/errors.js";
import { ProducerCache } from "../kafka/producer-cache.js";
import { MerakiAuthError, MerakiClient, type MerakiClientStats } from "../meraki/index.js";
import { InventoryCache } from "../sweeps/inventory.js";
import { runSweep, type SweepSummary } from "../sweeps/run-sweep.js";
import type { SweepDefinition } from "../sweeps/sweep.js";
import { type CredentialsContext, resolveCredentials } from "./credentials.js";
import { parseSweepEvent } from "./sweep-event.js";

export interface SweepHandlerOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Secrets Manager client settings (region, endpoint); the SDK's defaults otherwise. */
  secretsManagerClientOptions?: Record<string, unknown>;
  now?: () => Date;
}

export type SweepHandler = ((event: unknown, context: Context) => Promise<SweepSummary>) & {
  /** Disconnects the cached Kafka producer; for the local runner and tests. */
  close(): Promise<void>;
};

let handlerInstances = 0;

/**
 * Builds a sweep Lambda handler: secrets through @middy/secrets-manager (cached), structured logs
 * and EMF metrics through Powertools, then one runSweep. Everything that is worth keeping across
 * warm invocations (producer, inventory, Meraki client) lives in this closure.
 */
export function createSweepHandler(
  sweep: SweepDefinition,
  settings: SweepFunctionSettings,
  options: SweepHandlerOptions = {},
): SweepHandler {
  const logger = options.logger ?? new Logger({ serviceName: `semaphore-sweep-${sweep.kind}` });
  const metrics =
    options.metrics ?? new Metrics({ namespace: "Semaphore", serviceName: `semaphore-sweep-${sweep.kind}` });
  const inventory = new InventoryCache({ ttlMs: settings.inventoryTtlSeconds * 1000 });
  const producers = new ProducerCache();
  const secretsCacheKey = `semaphore-secrets-${sweep.kind}-${++handlerInstances}`;
  let meraki: { apiKey: string; client: MerakiClient } | undefined;

  const merakiClientFor = (apiKey: string): MerakiClient => {
    if (meraki?.apiKey !== apiKey) {
      meraki = {
        apiKey,
        client: new MerakiClient({
          apiKey,
          baseUrl: settings.merakiBaseUrl,
          requestsPerSecond: settings.merakiRequestsPerSecond,
          burst: Math.max(1, Math.floor(settings.merakiRequestsPerSecond)),
          timeoutMs: settings.merakiTimeoutMs,
          logger: {
            debug: (message, attributes) => logger.debug(message, { ...attributes }),
            warn: (message, attributes) => logger.warn(message, { ...attributes }),
          },
        }),
      };
    }
    return meraki.client;
  };

  const sweepOnce = async (event: unknown, context: CredentialsContext): Promise<SweepSummary> => {
    const credentials = context.credentials!;
    const trigger = parseSweepEvent(event, context.awsRequestId, options.now);
    logger.appendKeys({ sweep: sweep.kind, sweepId: trigger.sweepId });
    const client = merakiClientFor(credentials.merakiApiKey);
    client.resetStats();
    try {
      const producer = await producers.get(
        { ...settings.kafka, clientId: `semaphore-sweep-${sweep.kind}` },
        credentials.kafka,
      );
      const summary = await runSweep({
        sweep,
        settings,
        meraki: client,
        inventory,
        producer,
        scheduledTime: trigger.scheduledTime,
        sweepId: trigger.sweepId,
        ...(options.now ? { now: options.now } : {}),
        onOrganizationFailure: (failure) =>
          logger.error("organization sweep failed", {
            organizationId: failure.organizationId,
            organizationName: failure.organizationName,
            error: failure.error,
          }),
      });
      recordSweepMetrics(metrics, summary);
      logger.info("sweep completed", { summary });
      return summary;
    } catch (error) {
      if (error instanceof MerakiAuthError || error instanceof KafkaAuthenticationError) {
        // The secret may be fixed before the retry: read it again next time instead of reusing it.
        clearCache([secretsCacheKey]);
      }
      metrics.addMetric("SweepErrors", MetricUnit.Count, 1);
      logger.error("sweep failed", { error: error as Error });
      throw error;
    } finally {
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
        // Errors from the middlewares (secrets, bad settings) get the same structured log as sweep errors.
        if (!(request.error instanceof Error) || request.error.name === "SweepFailedError") return;
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

function recordSweepMetrics(metrics: Metrics, summary: SweepSummary): void {
  metrics.addMetric("SweepDuration", MetricUnit.Milliseconds, summary.durationMs);
  metrics.addMetric("RecordsProduced", MetricUnit.Count, summary.records.produced);
  const dropped = Object.values(summary.records.dropped).reduce((sum, n) => sum + n, 0);
  metrics.addMetric("RecordsDropped", MetricUnit.Count, dropped);
  metrics.addMetric("FailedOrganizations", MetricUnit.Count, summary.organizations.failed.length);
}

function recordApiMetrics(metrics: Metrics, stats: MerakiClientStats): void {
  metrics.addMetric("ApiCalls", MetricUnit.Count, stats.total.apiCalls);
  metrics.addMetric("ApiRateLimited", MetricUnit.Count, stats.total.rateLimited);
  metrics.addMetric("ApiRetries", MetricUnit.Count, stats.total.retries);
}
