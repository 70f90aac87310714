import { formatRequestsPerSecondByOrganization } from "../../shared/config/sweep-settings.js";
import type { KindId } from "../../shared/kinds/registry.js";
import { CONSUMER_SERVICE_NAME, METRIC_NAMESPACE } from "../../shared/observability/names.js";
import { budgetShares } from "./budget.js";
import type { StackConfig } from "./stack-config.js";

/** Where the functions' secrets are: names locally, the secrets' ARNs in AWS. */
export interface SecretIds {
  meraki: string;
  kafka: string;
}

/**
 * The environment of one sweep function, derived from the stack config. CDK puts it on the Lambda
 * and the local runner hands it to the same handler, so both run with identical settings.
 * Secret ids only: the values are read from Secrets Manager at run time. `budgetTable` is the
 * DynamoDB table of the shared Meraki budget (the stack's, or the local runtime's on moto); without
 * it each function keeps its own budget.
 */
export function sweepFunctionEnvironment(
  config: StackConfig,
  kind: KindId,
  secretIds: SecretIds = { meraki: config.meraki.secretName, kafka: config.kafka.secretName },
  budgetTable?: string,
): Record<string, string> {
  const sweep = config.sweeps[kind];
  const rates = formatRequestsPerSecondByOrganization(config.meraki.requestsPerSecondByOrganization);
  return {
    SWEEP_KIND: kind,
    SWEEP_TOPIC: sweep.topic,
    SWEEP_PERIOD_SECONDS: String(sweep.windowSeconds),
    MERAKI_BASE_URL: config.meraki.baseUrl,
    MERAKI_ORGANIZATION_IDS: config.meraki.organizationIds.join(","),
    MERAKI_REQUESTS_PER_SECOND: String(config.meraki.requestsPerSecond),
    ...(rates === "" ? {} : { MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION: rates }),
    ...(budgetTable === undefined ? {} : { MERAKI_BUDGET_TABLE: budgetTable }),
    MERAKI_BUDGET_SHARES: String(budgetShares(config)),
    MERAKI_SECRET_ID: secretIds.meraki,
    KAFKA_BOOTSTRAP_SERVERS: config.kafka.bootstrapServers,
    KAFKA_SECRET_ID: secretIds.kafka,
  };
}

/**
 * The environment of the consumer function (read by shared/consumer/settings.ts). It reads no
 * secret: the event source mapping authenticates to Kafka and hands it the records.
 * `deliveriesTable` is the DynamoDB table of the records already written (the stack's, or the
 * local runtime's on moto); without it only repeats within one batch are dropped.
 */
export function consumerFunctionEnvironment(
  config: StackConfig,
  deliveriesTable?: string,
): Record<string, string> {
  return {
    CONSUMER_METRIC_DIMENSIONS: config.consumer.metricDimensions,
    POWERTOOLS_SERVICE_NAME: CONSUMER_SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
    ...(deliveriesTable === undefined
      ? {}
      : {
          CONSUMER_DELIVERIES_TABLE: deliveriesTable,
          CONSUMER_REMEMBER_DELIVERIES_DAYS: String(config.consumer.rememberDeliveriesDays),
        }),
  };
}
