import * as z from "zod";
import {
  isKindId,
  isRetiredKindId,
  KIND_IDS,
  kindById,
  type RegisteredKind,
  retiredKindById,
} from "../kinds/registry.js";
import { DEFAULT_BASE_URL } from "../meraki/http.js";
import { InvalidSettingsError } from "./errors.js";
import {
  INSECURE_KAFKA_TRANSPORTS,
  insecureTransportProblem,
  type KafkaTransport,
} from "./kafka-transport.js";

/**
 * What one sweep function needs at run time. CDK sets these as environment variables from the
 * stack config (infra/config/function-env.ts) and the local runner sets the same ones, so the
 * handler code is identical in both. Secrets are never here: only the ids of the Secrets Manager
 * secrets that hold them.
 */
export interface SweepFunctionSettings {
  /** Which telemetry kind this function sweeps (SWEEP_KIND). */
  kind: RegisteredKind;
  topic: string;
  periodSeconds: number;
  organizationIds: string[];
  organizationConcurrency: number;
  merakiSecretId: string;
  kafkaSecretId: string;
  merakiBaseUrl: string;
  merakiRequestsPerSecond: number;
  /** Organisations whose budget differs from merakiRequestsPerSecond (other applications use them too). */
  merakiRequestsPerSecondByOrganization: Record<string, number>;
  /**
   * The DynamoDB table holding the budget every sweep function shares; without it each function
   * keeps its own (local runs without DynamoDB, tests).
   */
  merakiBudget?: { tableName: string; fallbackShare: number };
  merakiTimeoutMs: number;
  inventoryTtlSeconds: number;
  /** How long fetched secrets are reused before Secrets Manager is asked again. */
  secretsCacheSeconds: number;
  kafka: {
    bootstrapServers: string;
    /** verified-tls unless KAFKA_INSECURE_TRANSPORT asks otherwise for a local broker. */
    transport: KafkaTransport;
    caLocation?: string;
    deliveryTimeoutMs: number;
    connectTimeoutMs: number;
  };
}

/** Meraki's limit per organisation, shared by every application that calls it. */
export const MERAKI_MAX_REQUESTS_PER_SECOND = 10;

/**
 * MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION as the stack writes it and the schema below reads it:
 * `<organizationId>=<requests per second>` pairs, comma-separated.
 */
export function formatRequestsPerSecondByOrganization(rates: Readonly<Record<string, number>>): string {
  return Object.entries(rates)
    .map(([organizationId, rate]) => `${organizationId}=${rate}`)
    .join(",");
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const idList = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
  );

const envSchema = z
  .object({
    SWEEP_KIND: z.string().superRefine((kind, ctx) => {
      if (isKindId(kind)) return;
      // A function left over from a version that swept a kind since retired: say what replaced it.
      const retired = isRetiredKindId(kind)
        ? `${kind} is retired and no longer swept (replaced by ${retiredKindById(kind).retired.replacedBy}); `
        : "";
      ctx.addIssue({ code: "custom", message: `${retired}must be one of ${KIND_IDS.join(", ")}` });
    }),
    KAFKA_BOOTSTRAP_SERVERS: z.string().min(1),
    KAFKA_SECRET_ID: z.string().min(1),
    MERAKI_SECRET_ID: z.string().min(1),
    SWEEP_TOPIC: z.string().min(1).optional(),
    SWEEP_PERIOD_SECONDS: positiveInt(300),
    MERAKI_ORGANIZATION_IDS: idList,
    MERAKI_BASE_URL: z.url().default(DEFAULT_BASE_URL),
    MERAKI_REQUESTS_PER_SECOND: z.coerce.number().positive().max(MERAKI_MAX_REQUESTS_PER_SECOND).default(8),
    MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION: z
      .string()
      .default("")
      .transform((value, ctx) => {
        const rates: Record<string, number> = {};
        for (const pair of value.split(",").filter((p) => p.trim() !== "")) {
          const [id, rate] = pair.split("=").map((part) => part.trim());
          const number = Number(rate);
          if (!id || !(number > 0 && number <= MERAKI_MAX_REQUESTS_PER_SECOND)) {
            ctx.addIssue({
              code: "custom",
              message: `"${pair}" is not <organizationId>=<requests per second, 0-${MERAKI_MAX_REQUESTS_PER_SECOND}>`,
            });
            return z.NEVER;
          }
          rates[id] = number;
        }
        return rates;
      }),
    MERAKI_BUDGET_TABLE: z.string().min(1).optional(),
    /**
     * How many sweep invocations may call one organisation at once (the stack's schedules: one per
     * kind, one per shard; infra/config/budget.ts): each one's fallback share of the budget.
     */
    MERAKI_BUDGET_SHARES: positiveInt(1),
    MERAKI_TIMEOUT_MS: positiveInt(10_000),
    ORGANIZATION_CONCURRENCY: positiveInt(4),
    INVENTORY_TTL_SECONDS: positiveInt(3600),
    SECRETS_CACHE_SECONDS: positiveInt(900),
    /**
     * Unset: SASL_SSL with certificate verification, always the case in AWS (the stack never sets
     * it). A broker on this machine only may be reached with `unverified-tls` or `plaintext`.
     */
    KAFKA_INSECURE_TRANSPORT: z.enum(INSECURE_KAFKA_TRANSPORTS).optional(),
    KAFKA_SSL_CA_LOCATION: z.string().min(1).optional(),
    KAFKA_DELIVERY_TIMEOUT_MS: positiveInt(30_000),
    KAFKA_CONNECT_TIMEOUT_MS: positiveInt(15_000),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_INSECURE_TRANSPORT === undefined || typeof env.KAFKA_BOOTSTRAP_SERVERS !== "string") return;
    const problem = insecureTransportProblem(env.KAFKA_INSECURE_TRANSPORT, env.KAFKA_BOOTSTRAP_SERVERS);
    if (problem !== undefined)
      ctx.addIssue({ code: "custom", path: ["KAFKA_INSECURE_TRANSPORT"], message: problem });
  });

/** Reads a sweep function's settings, naming every bad or missing variable in one error. */
export function sweepSettingsFromEnv(
  env: Record<string, string | undefined> = process.env,
): SweepFunctionSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    const which = env.SWEEP_KIND ? `the ${env.SWEEP_KIND} sweep function` : "the sweep function";
    throw new InvalidSettingsError(`${which} is misconfigured: ${problems}`);
  }
  const e = parsed.data;
  const kind = kindById(e.SWEEP_KIND);
  return {
    kind,
    topic: e.SWEEP_TOPIC ?? kind.defaultTopic,
    periodSeconds: e.SWEEP_PERIOD_SECONDS,
    organizationIds: e.MERAKI_ORGANIZATION_IDS,
    organizationConcurrency: e.ORGANIZATION_CONCURRENCY,
    merakiSecretId: e.MERAKI_SECRET_ID,
    kafkaSecretId: e.KAFKA_SECRET_ID,
    merakiBaseUrl: e.MERAKI_BASE_URL,
    merakiRequestsPerSecond: e.MERAKI_REQUESTS_PER_SECOND,
    merakiRequestsPerSecondByOrganization: e.MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION,
    ...(e.MERAKI_BUDGET_TABLE
      ? { merakiBudget: { tableName: e.MERAKI_BUDGET_TABLE, fallbackShare: e.MERAKI_BUDGET_SHARES } }
      : {}),
    merakiTimeoutMs: e.MERAKI_TIMEOUT_MS,
    inventoryTtlSeconds: e.INVENTORY_TTL_SECONDS,
    secretsCacheSeconds: e.SECRETS_CACHE_SECONDS,
    kafka: {
      bootstrapServers: e.KAFKA_BOOTSTRAP_SERVERS,
      transport: e.KAFKA_INSECURE_TRANSPORT ?? "verified-tls",
      ...(e.KAFKA_SSL_CA_LOCATION ? { caLocation: e.KAFKA_SSL_CA_LOCATION } : {}),
      deliveryTimeoutMs: e.KAFKA_DELIVERY_TIMEOUT_MS,
      connectTimeoutMs: e.KAFKA_CONNECT_TIMEOUT_MS,
    },
  };
}
