import * as z from "zod";
import { ConfigError } from "../../shared/config/errors.js";
import { MERAKI_MAX_REQUESTS_PER_SECOND } from "../../shared/config/sweep-settings.js";
import { DEFAULT_REMEMBER_DELIVERIES_DAYS } from "../../shared/consumer/settings.js";
import {
  isRetiredKindId,
  KIND_IDS,
  KINDS,
  type KindId,
  RETIRED_KINDS,
  type RegisteredKind,
  type RegisteredRetiredKind,
  type RetiredKindId,
  retiredKindById,
} from "../../shared/kinds/registry.js";
import { windowSpanProblem } from "../../shared/sweeps/window-span.js";
import { isScheduleExpression, ratePeriodSeconds, shardTurnsProblem } from "./schedule.js";

/**
 * The single source of truth for what gets deployed and what runs locally: schedules, topics,
 * organisations, Kafka and Meraki endpoints, secret names, consumer batching, log retention, alarm
 * thresholds. CDK reads it at synth time and turns it into schedules, functions, the event source
 * mapping, alarms and the dashboard; `npm start` reads the same file.
 *
 * Every object is strict: a misspelt field is an error naming it, not a silently ignored value.
 * `sweeps` has one entry per telemetry kind of the registry (shared/kinds/registry.ts), each
 * defaulting to the kind's own schedule, topic, size and alarm thresholds.
 */

/** CloudWatch Logs retention periods (days) the service accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A complete Secrets Manager ARN: ...:secret:<name>-<6 random characters>. */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:(.+)-[A-Za-z0-9]{6}$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const BOOTSTRAP_SERVER = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const GROUP_ID = /^[a-zA-Z0-9\-/*:_+=.@]+$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const ORGANIZATION_ID = /^\d+$/;

/**
 * How late, at most, EventBridge Scheduler may invoke a sweep after its scheduled time unless
 * `sweeps.<kind>.flexibleWindowMinutes` says otherwise: enough to spread the kinds that share a
 * period over two minutes instead of one second. Less when the period leaves less room after the
 * function's timeout (see sweepSchema), 0 (off) when it leaves none.
 */
export const DEFAULT_FLEXIBLE_WINDOW_MINUTES = 2;

/** The most shards one kind may be split into (each is a schedule and a reserved concurrent execution). */
export const MAX_SHARDS = 100;

const PER_NETWORK_KINDS = KINDS.filter((kind) => kind.perNetwork).map((kind) => kind.id);

function isTimeZone(zone: string): boolean {
  try {
    // Throws RangeError for a zone the ICU database (Node's full-icu build) does not know.
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The secret name inside a complete ARN, or undefined when the ARN is partial or not an ARN. */
export function secretNameOfCompleteArn(arn: string): string | undefined {
  return SECRET_ARN.exec(arn)?.[2];
}

/**
 * A secret is always known by name (the local runtime stores it under that name); in AWS it can be
 * an existing secret given by its complete ARN, or, without an ARN, one the stack creates.
 */
const secretFields = {
  secretName: z
    .string()
    .regex(SECRET_NAME, "must be a Secrets Manager secret name: 1-512 of A-Z a-z 0-9 / _ + = . @ -"),
  /**
   * Complete ARN of an existing secret (ends in -XXXXXX). A partial ARN (without the suffix) makes
   * the event source mapping fail at deploy time, so it is rejected here.
   */
  secretArn: z
    .string()
    .refine((arn) => SECRET_ARN.test(arn), {
      message:
        "must be a COMPLETE secret ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters> " +
        "(copy it from `aws secretsmanager describe-secret --secret-id <name> --query ARN`); a partial ARN " +
        "breaks the Kafka event source mapping",
    })
    .optional(),
};

function checkSecretArnMatchesName(
  value: { secretName: string; secretArn?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (!value.secretArn) return;
  const name = secretNameOfCompleteArn(value.secretArn);
  if (name !== undefined && name !== value.secretName) {
    ctx.addIssue({
      code: "custom",
      path: ["secretArn"],
      message: `names the secret "${name}" but secretName is "${value.secretName}": both must name the same secret`,
    });
  }
}

/** Each of the kind's alarm thresholds, with the range and default its module declares. */
function thresholdsSchema(kind: RegisteredKind) {
  const shape: Record<string, z.ZodOptional<z.ZodNumber> | z.ZodDefault<z.ZodNumber>> = {};
  for (const [name, threshold] of Object.entries(kind.monitoring.thresholds)) {
    const value = z.number().min(threshold.min).max(threshold.max);
    shape[name] = threshold.default === undefined ? value.optional() : value.default(threshold.default);
  }
  return z.strictObject(shape).prefault({});
}

/** Why a setting that only a per-network kind has is refused for another kind. */
function notPerNetwork(kind: RegisteredKind, field: string): string {
  return (
    `${kind.id} makes organisation-wide calls, not one per network, so ${field} does not apply to it ` +
    `(the per-network kinds: ${PER_NETWORK_KINDS.join(", ")})`
  );
}

function sweepSchema(kind: RegisteredKind) {
  return z
    .strictObject({
      enabled: z.boolean().default(true),
      /** EventBridge Scheduler expression: rate(5 minutes), cron(0/5 * * * ? *), ... */
      schedule: z
        .string()
        .refine(isScheduleExpression, {
          message:
            'must be an EventBridge Scheduler expression such as "rate(5 minutes)" or "cron(0/5 * * * ? *)"',
        })
        .default(kind.deployment.schedule),
      /** IANA time zone the cron expression is evaluated in. */
      timeZone: z
        .string()
        .refine(isTimeZone, { message: 'must be an IANA time zone such as "UTC" or "Europe/Berlin"' })
        .default("UTC"),
      /** Window length; required for cron(), derived from rate(). Whole minutes. */
      windowSeconds: z
        .number()
        .int()
        .positive()
        .multipleOf(60, "must be whole minutes (a multiple of 60)")
        .optional(),
      topic: z
        .string()
        .regex(TOPIC, "must be a Kafka topic name: 1-249 of A-Z a-z 0-9 . _ -")
        .default(kind.defaultTopic),
      /** Lambda memory (MB): 128-10240. */
      memoryMb: z.number().int().min(128).max(10_240).default(kind.deployment.memoryMb),
      /** Lambda timeout (seconds): 1-900. Sweeps of many networks need minutes at 8 req/s. */
      timeoutSeconds: z.number().int().min(1).max(900).default(kind.deployment.timeoutSeconds),
      /** The kind's alarm thresholds (its module declares which). */
      alarms: thresholdsSchema(kind),
      /**
       * EventBridge Scheduler's flexible time window: each firing happens at a random moment up to
       * this many minutes after the scheduled time, so kinds of the same period do not all call
       * Meraki in the same second. 0 = off (exactly on time). Default: see
       * DEFAULT_FLEXIBLE_WINDOW_MINUTES.
       */
      flexibleWindowMinutes: z.number().int().min(0).max(1440).optional(),
      /**
       * A per-network kind split into this many shards: one schedule each, each sweeping the
       * networks whose hash falls in its shard (shared/sweeps/shard.ts).
       */
      shards: z.number().int().min(1).max(MAX_SHARDS).default(1),
      /**
       * How many networks the largest organisation has, as the operator knows it: synth then warns
       * when one shard's calls cannot be made within the timeout at its share of the budget.
       */
      expectedNetworks: z.number().int().positive().optional(),
    })
    .prefault({})
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
      const spanProblem = windowSpanProblem(windowSeconds, kind.window.span);
      if (spanProblem !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [sweep.windowSeconds === undefined ? "schedule" : "windowSeconds"],
          message: `${spanProblem}: choose another schedule for ${kind.id}`,
        });
        return z.NEVER;
      }
      if (sweep.timeoutSeconds > windowSeconds) {
        ctx.addIssue({
          code: "custom",
          path: ["timeoutSeconds"],
          message: `${sweep.timeoutSeconds} s is longer than the schedule period (${windowSeconds} s): with one sweep at a time, the next firing would be throttled`,
        });
        return z.NEVER;
      }
      // A firing up to W minutes late that runs for its whole timeout must be done before the next
      // firing on time: W * 60 + timeout <= period. The default takes what room there is.
      const roomMinutes = Math.floor((windowSeconds - sweep.timeoutSeconds) / 60);
      const flexibleWindowMinutes =
        sweep.flexibleWindowMinutes ?? Math.min(DEFAULT_FLEXIBLE_WINDOW_MINUTES, roomMinutes);
      if (flexibleWindowMinutes > roomMinutes) {
        ctx.addIssue({
          code: "custom",
          path: ["flexibleWindowMinutes"],
          message:
            `${flexibleWindowMinutes} min late plus the ${sweep.timeoutSeconds} s timeout exceed the schedule period ` +
            `(${windowSeconds} s): a late sweep could still run when the next one starts; at most ${roomMinutes}`,
        });
        return z.NEVER;
      }
      if (!kind.perNetwork) {
        if (sweep.shards !== 1)
          ctx.addIssue({ code: "custom", path: ["shards"], message: notPerNetwork(kind, "shards") });
        if (sweep.expectedNetworks !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["expectedNetworks"],
            message: notPerNetwork(kind, "expectedNetworks"),
          });
        }
        if (sweep.shards !== 1 || sweep.expectedNetworks !== undefined) return z.NEVER;
      }
      const turnsProblem = shardTurnsProblem(sweep.schedule, sweep.shards);
      if (turnsProblem !== undefined) {
        ctx.addIssue({ code: "custom", path: ["shards"], message: turnsProblem });
        return z.NEVER;
      }
      return { ...sweep, windowSeconds, flexibleWindowMinutes };
    });
}

type SweepSchema = ReturnType<typeof sweepSchema>;

/**
 * A retired kind (registry.ts, RETIRED) is not swept any more; what remains configurable is its
 * old topic's backlog. `drain` keeps the consumer's event source mapping on that topic, with the
 * same consumer group (so it goes on from the committed offsets) and the same construct id (so
 * `cdk deploy` leaves the mapping untouched), until the operator has seen the backlog read and
 * sets it to false. Default true: a deployment upgraded from a version that swept the kind loses
 * no record unless it says so. A deployment that never had the kind sets false (its mapping would
 * read a topic that does not exist).
 */
function retiredSchema(kind: RegisteredRetiredKind) {
  return z
    .strictObject({
      drain: z.boolean().default(true),
      /** The topic the kind produced to (`sweeps.<kind>.topic` of the version that swept it). */
      topic: z
        .string()
        .regex(TOPIC, "must be a Kafka topic name: 1-249 of A-Z a-z 0-9 . _ -")
        .default(kind.defaultTopic),
    })
    .prefault({});
}

type RetiredSchema = ReturnType<typeof retiredSchema>;

/**
 * One entry per kind of the registry, swept or retired; a key that names no kind is an error
 * listing the kinds.
 */
const sweepsSchema = z
  .strictObject({
    ...(Object.fromEntries(KINDS.map((kind) => [kind.id, sweepSchema(kind)])) as Record<KindId, SweepSchema>),
    ...(Object.fromEntries(RETIRED_KINDS.map((kind) => [kind.id, retiredSchema(kind)])) as Record<
      RetiredKindId,
      RetiredSchema
    >),
  })
  .prefault({});

export const stackConfigSchema = z
  .strictObject({
    stack: z
      .strictObject({
        /** CloudFormation stack name. */
        name: z
          .string()
          .regex(STACK_NAME, "must start with a letter; letters, digits and - only; at most 128")
          .default("Semaphore"),
      })
      .prefault({}),
    meraki: z
      .strictObject({
        baseUrl: z.url().default("https://api.meraki.com/api/v1"),
        /** Empty = every organisation the API key can see. */
        organizationIds: z
          .array(z.string().regex(ORGANIZATION_ID, "Meraki organization ids are numeric"))
          .default([]),
        /** The budget of every organisation, shared by every sweep (Meraki allows 10/s per organisation). */
        requestsPerSecond: z.number().positive().max(MERAKI_MAX_REQUESTS_PER_SECOND).default(8),
        /**
         * Organisations whose budget differs, by id: less where other applications use the
         * organisation too, up to Meraki's 10 where Semaphore is alone.
         */
        requestsPerSecondByOrganization: z
          .record(z.string(), z.number())
          .default({})
          .superRefine((rates, ctx) => {
            for (const [organizationId, rate] of Object.entries(rates)) {
              if (!ORGANIZATION_ID.test(organizationId)) {
                ctx.addIssue({
                  code: "custom",
                  path: [organizationId],
                  message: `"${organizationId}" is not a Meraki organization id (they are numeric)`,
                });
              } else if (!(rate > 0 && rate <= MERAKI_MAX_REQUESTS_PER_SECOND)) {
                ctx.addIssue({
                  code: "custom",
                  path: [organizationId],
                  message: `organisation ${organizationId}: ${rate} requests per second is not above 0 and at most ${MERAKI_MAX_REQUESTS_PER_SECOND} (Meraki's limit per organisation)`,
                });
              }
            }
          }),
        ...secretFields,
      })
      .superRefine(checkSecretArnMatchesName),
    kafka: z
      .strictObject({
        /** Comma-separated host:port list (Confluent Cloud: one bootstrap endpoint on port 9092). */
        bootstrapServers: z
          .string()
          .refine((value) => value.split(",").every((server) => BOOTSTRAP_SERVER.test(server.trim())), {
            message:
              'must be a comma-separated list of host:port, e.g. "pkc-xxxxx.us-east-1.aws.confluent.cloud:9092"',
          }),
        /**
         * How the sweeps and the event source mappings reach the cluster: always SASL_SSL with the
         * brokers' certificates verified. The field exists to say so when asked for another one.
         */
        transport: z
          .enum(["verified-tls", "unverified-tls", "plaintext"])
          .default("verified-tls")
          .refine((transport) => transport === "verified-tls", {
            message:
              "a deployed stack reaches Kafka only with SASL_SSL and verifies the brokers' certificates (so do its " +
              "event source mappings, which send SASL/PLAIN credentials only over TLS): plaintext and unverified TLS " +
              'are for a broker on your own machine, asked for with KAFKA_INSECURE_TRANSPORT (README, "Transport security")',
          }),
        ...secretFields,
      })
      .superRefine(checkSecretArnMatchesName),
    consumer: z
      .strictObject({
        /** Records per invocation, at most (event source mapping BatchSize; self-managed Kafka: 1-10000). */
        batchSize: z.number().int().min(1).max(10_000).default(500),
        /** Seconds the mapping gathers records before invoking (MaximumBatchingWindowInSeconds: 0-300). */
        batchingWindowSeconds: z.number().int().min(0).max(300).default(5),
        /** Where a new consumer group starts: TRIM_HORIZON (earliest) or LATEST. */
        startingPosition: z.enum(["TRIM_HORIZON", "LATEST"]).default("TRIM_HORIZON"),
        /**
         * Consumer group id. Lambda needs a group id unique to each event source mapping, and a
         * mapping reads one topic, so in AWS the group of sweep kind K is `<groupId>-<K>`
         * (see kafkaConsumerGroupId).
         */
        groupId: z
          .string()
          .max(150)
          .regex(GROUP_ID, "must match [a-zA-Z0-9-/*:_+=.@]+")
          .default("semaphore-consumer"),
        /** CloudWatch metric dimensions: per network (default, bounded cost) or per device. */
        metricDimensions: z.enum(["network", "device"]).default("network"),
        memoryMb: z.number().int().min(128).max(10_240).default(512),
        timeoutSeconds: z.number().int().min(1).max(900).default(60),
        /**
         * How many days the consumer remembers a record id it wrote (the deliveries table's TTL), so
         * that a retried sweep's repeats are not written or counted again (shared/consumer/deliveries.ts).
         */
        rememberDeliveriesDays: z.number().int().min(1).max(365).default(DEFAULT_REMEMBER_DELIVERIES_DAYS),
      })
      .prefault({}),
    sweeps: sweepsSchema,
    /** EventBridge Scheduler's retry policy for every schedule; failed invocations then go to the DLQ. */
    /**
     * Scheduler's retries of a firing it could not hand to Lambda (throttled, not permitted). It
     * invokes the function asynchronously, so a sweep that fails once running is Lambda's to retry
     * (sweepRetries below), not Scheduler's.
     */
    scheduler: z
      .strictObject({
        /** 0-185 retries of an invocation Scheduler could not make (same payload: same window and ids). */
        maximumRetryAttempts: z.number().int().min(0).max(185).default(3),
        /** 60-86400 s: how long Scheduler keeps retrying one firing. */
        maximumEventAgeSeconds: z.number().int().min(60).max(86_400).default(3600),
      })
      .prefault({}),
    /**
     * Lambda's retries of a sweep that failed or timed out (its asynchronous invocation config):
     * the same event, so the same window and record ids. After the last one the event goes to the
     * sweep dead-letter queue.
     */
    sweepRetries: z
      .strictObject({
        /** 0-2 (Lambda's limit for asynchronous invocations). */
        retryAttempts: z.number().int().min(0).max(2).default(2),
        /** 60-21600 s: how long Lambda keeps a failed event for its retries. */
        maximumEventAgeSeconds: z.number().int().min(60).max(21_600).default(3600),
      })
      .prefault({}),
    observability: z
      .strictObject({
        logRetentionDays: z
          .number()
          .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
            message: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
          })
          .default(30),
        /** Addresses subscribed to the alarm topic (each must confirm the subscription e-mail). */
        alarmEmails: z.array(z.email()).default([]),
        alarms: z
          .strictObject({
            /** Alarm when a sweep produced no record for this many consecutive schedule periods. */
            noRecordsPeriods: z.number().int().min(1).max(100).default(3),
            /** Failed sweep invocations (after which Lambda retries) per 5 minutes. */
            sweepErrors: z.number().int().min(1).default(1),
            /** Organisations a sweep could not read, per sweep. */
            failedOrganizations: z.number().int().min(1).default(1),
            /** Failed consumer invocations per 5 minutes. */
            consumerErrors: z.number().int().min(1).default(1),
            /** Messages waiting in a dead-letter queue (the sweeps' and the consumer's failure queue). */
            deadLetterMessages: z.number().int().min(1).default(1),
            /**
             * Records an event source mapping may be behind its topic (Lambda's OffsetLag, the worst
             * minute of each 5) for three 5-minute periods in a row before the consumer counts as
             * falling behind: a sweep's burst is read within minutes, a growing backlog is not.
             */
            consumerOffsetLag: z.number().int().min(1).default(10_000),
          })
          .prefault({}),
      })
      .prefault({}),
    /** The Lambda layer with the linux-arm64-glibc Kafka client (infra/native-layer/build.ts makes it). */
    nativeLayer: z
      .strictObject({
        /** Relative to the repository root, or absolute. */
        directory: z.string().min(1).default("infra/native-layer/build/layer"),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    for (const kind of KIND_IDS) {
      const sweep = config.sweeps[kind];
      if (!sweep.enabled) continue;
      const span = sweep.windowSeconds * config.observability.alarms.noRecordsPeriods;
      if (span > 86_400) {
        ctx.addIssue({
          code: "custom",
          path: ["observability", "alarms", "noRecordsPeriods"],
          message: `${config.observability.alarms.noRecordsPeriods} periods of the ${kind} sweep (${sweep.windowSeconds} s each) exceed one day, the longest a CloudWatch alarm can look back`,
        });
      }
    }
  });

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;

export type SweepConfig = StackConfig["sweeps"][KindId];

/** What the stack config says of a retired kind: whether its old topic is still drained, and which. */
export type RetiredKindConfig = StackConfig["sweeps"][RetiredKindId];

export class InvalidStackConfigError extends ConfigError {}

export function parseStackConfig(input: unknown): StackConfig {
  const parsed = stackConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => {
        const where = issue.path.join(".") || "(top level)";
        return `  - ${where}: ${issue.message}${explanation(issue)}`;
      })
      .join("\n");
    throw new InvalidStackConfigError(`the stack config is invalid:\n${problems}`);
  }
  return parsed.data;
}

/** What an unknown key means where kinds are configured: the kinds there are, or a retired kind's. */
function explanation(issue: z.core.$ZodIssue): string {
  if (issue.code !== "unrecognized_keys" || issue.path[0] !== "sweeps") return "";
  if (issue.path.length === 1) return ` (the kinds are: ${KIND_IDS.join(", ")})`;
  const kind = String(issue.path[1]);
  if (issue.path.length !== 2 || !isRetiredKindId(kind)) return "";
  const { replacedBy } = retiredKindById(kind).retired;
  return ` (${kind} is retired and no longer swept, replaced by ${replacedBy}: only drain and topic apply; configure ${replacedBy} instead)`;
}

/** The retired kinds whose old topic the consumer still reads (`sweeps.<kind>.drain`). */
export function drainedKinds(config: StackConfig): RetiredKindId[] {
  return RETIRED_KINDS.map((kind) => kind.id).filter((kind) => config.sweeps[kind].drain);
}

/** The consumer group of one sweep kind's event source mapping (unique per mapping, as Lambda requires). */
export function kafkaConsumerGroupId(config: StackConfig, kind: string): string {
  return `${config.consumer.groupId}-${kind}`;
}
