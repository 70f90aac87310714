import * as z from "zod";
import { InvalidSettingsError } from "../config/errors.js";
import { CONSUMER_SERVICE_NAME, METRIC_NAMESPACE } from "../observability/names.js";

/**
 * CloudWatch metric dimensions. Every distinct dimension combination is a billed custom metric, so
 * per-network is the default; per-device adds a device-level set beside the network one.
 */
export type MetricDimensionMode = "network" | "device";

/**
 * What the consumer function needs at run time. CDK sets these from the stack config
 * (`consumer.metricDimensions`) and the local runner sets the same ones.
 */
export interface ConsumerSettings {
  /** `service` of every log line and the Powertools metrics `service` dimension. */
  serviceName: string;
  metricNamespace: string;
  metricDimensions: MetricDimensionMode;
  /**
   * The DynamoDB table of the records already written (shared/consumer/deliveries.ts) and how many
   * days an id is remembered. Without it only repeats within one batch are dropped (tests, a
   * local run without DynamoDB).
   */
  deliveries?: { tableName: string; rememberDays: number };
}

/**
 * How long the consumer remembers a record id after writing it, unless the stack config says
 * otherwise (`consumer.rememberDeliveriesDays`): CloudWatch accepts a metric only up to 14 days
 * after its timestamp, so a repeat arriving later cannot land on the datapoint of its window.
 */
export const DEFAULT_REMEMBER_DELIVERIES_DAYS = 14;

// The Powertools variable names, so the settings mean what a Powertools user expects them to mean.
const envSchema = z.object({
  CONSUMER_METRIC_DIMENSIONS: z.enum(["network", "device"]).default("network"),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default(CONSUMER_SERVICE_NAME),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default(METRIC_NAMESPACE),
  CONSUMER_DELIVERIES_TABLE: z.string().min(1).optional(),
  CONSUMER_REMEMBER_DELIVERIES_DAYS: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_REMEMBER_DELIVERIES_DAYS),
});

/** Reads the consumer function's settings, naming every bad variable in one error. */
export function consumerSettingsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ConsumerSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    throw new InvalidSettingsError(`the consumer function is misconfigured: ${problems}`);
  }
  return {
    serviceName: parsed.data.POWERTOOLS_SERVICE_NAME,
    metricNamespace: parsed.data.POWERTOOLS_METRICS_NAMESPACE,
    metricDimensions: parsed.data.CONSUMER_METRIC_DIMENSIONS,
    ...(parsed.data.CONSUMER_DELIVERIES_TABLE
      ? {
          deliveries: {
            tableName: parsed.data.CONSUMER_DELIVERIES_TABLE,
            rememberDays: parsed.data.CONSUMER_REMEMBER_DELIVERIES_DAYS,
          },
        }
      : {}),
  };
}
