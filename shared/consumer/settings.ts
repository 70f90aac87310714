import { z } from "zod";
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
}

// The Powertools variable names, so the settings mean what a Powertools user expects them to mean.
const envSchema = z.object({
  CONSUMER_METRIC_DIMENSIONS: z.enum(["network", "device"]).default("network"),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default(CONSUMER_SERVICE_NAME),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default(METRIC_NAMESPACE),
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
  };
}
