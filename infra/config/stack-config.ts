import { z } from "zod";
import { isScheduleExpression, ratePeriodSeconds } from "./schedule.js";

/**
 * The single source of truth for what gets deployed and what runs locally: schedules, topics,
 * organisations, Kafka and Meraki endpoints, secret names. CDK reads it at synth time and turns it
 * into schedules and function environments; `npm start` reads the same file.
 */
const sweepSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** EventBridge Scheduler expression: rate(5 minutes), cron(0/5 * * * ? *), ... */
    schedule: z.string().refine(isScheduleExpression, {
      message:
        'must be an EventBridge Scheduler expression such as "rate(5 minutes)" or "cron(0/5 * * * ? *)"',
    }),
    /** IANA time zone the cron expression is evaluated in. */
    timeZone: z.string().default("UTC"),
    /** Window length; required for cron(), derived from rate(). */
    windowSeconds: z.number().int().positive().optional(),
    topic: z.string().min(1),
  })
  .transform((sweep, ctx) => {
    let period: number | undefined;
    try {
      period = ratePeriodSeconds(sweep.schedule);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message, path: ["schedule"] });
      return z.NEVER;
    }
    const windowSeconds = sweep.windowSeconds ?? period;
    if (windowSeconds === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "a cron() schedule needs windowSeconds (the time between two firings)",
        path: ["windowSeconds"],
      });
      return z.NEVER;
    }
    return { ...sweep, windowSeconds };
  });

export const stackConfigSchema = z.object({
  meraki: z.object({
    baseUrl: z.url().default("https://api.meraki.com/api/v1"),
    /** Empty = every organisation the API key can see. */
    organizationIds: z.array(z.string().regex(/^\d+$/, "Meraki organization ids are numeric")).default([]),
    requestsPerSecond: z.number().positive().max(10).default(8),
    secretName: z.string().min(1),
  }),
  kafka: z.object({
    bootstrapServers: z.string().min(1),
    secretName: z.string().min(1),
  }),
  consumer: z.object({
    /** Records per invocation, at most (event source mapping BatchSize; self-managed Kafka: 1-10000). */
    batchSize: z.number().int().min(1).max(10_000).default(500),
    /** Seconds the mapping gathers records before invoking (MaximumBatchingWindowInSeconds: 0-300). */
    batchingWindowSeconds: z.number().int().min(0).max(300).default(5),
    /** Where a new consumer group starts: TRIM_HORIZON (earliest) or LATEST. */
    startingPosition: z.enum(["TRIM_HORIZON", "LATEST"]).default("TRIM_HORIZON"),
    groupId: z.string().min(1).default("semaphore-consumer"),
    /** CloudWatch metric dimensions: per network (default, bounded cost) or per device. */
    metricDimensions: z.enum(["network", "device"]).default("network"),
  }),
  sweeps: z.object({
    "uplink-loss-latency": sweepSchema,
    "network-clients": sweepSchema,
    "device-statuses": sweepSchema,
  }),
});

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;

export class InvalidStackConfigError extends Error {
  override readonly name = "InvalidStackConfigError";
}

export function parseStackConfig(input: unknown): StackConfig {
  const parsed = stackConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new InvalidStackConfigError(`the stack config is invalid:\n${problems}`);
  }
  return parsed.data;
}
