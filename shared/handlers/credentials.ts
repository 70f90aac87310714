import type { MiddlewareObj } from "@middy/core";
import { getInternal } from "@middy/util";
import type { Context } from "aws-lambda";
import * as z from "zod";
import { SecretError } from "../config/errors.js";
import type { KafkaCredentials } from "../kafka/producer.js";

/** What the sweep functions read from Secrets Manager (through @middy/secrets-manager). */
export interface SweepCredentials {
  merakiApiKey: string;
  kafka: KafkaCredentials;
}

/**
 * One token of visible ASCII, as every Meraki key is (40 hex digits): a key with a space or a line
 * break in it cannot go into an Authorization header (and fetch's error would quote it), and one
 * starting with "{", "[" or '"' is JSON that did not parse (@middy/util passes it on as text).
 */
const merakiApiKey = z
  .string()
  .trim()
  .regex(/^[\x21-\x7e]+$/)
  .refine((key) => !/^[{["]/.test(key));
const merakiSecretSchema = z.union([merakiApiKey, z.object({ apiKey: merakiApiKey })]);
/** The Kafka secret: what the sweeps and the event source mapping read, and the tools accept as a file. */
export const kafkaSecretSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

export type CredentialsContext = Context & { credentials?: SweepCredentials };

export interface CredentialSecretIds {
  merakiSecretId: string;
  kafkaSecretId: string;
}

/**
 * Resolves the values @middy/secrets-manager fetched into request.internal, validates their shape
 * and turns Secrets Manager failures into errors that name the secret and the fix, never its value.
 */
export function resolveCredentials(
  ids: CredentialSecretIds,
): MiddlewareObj<unknown, unknown, Error, CredentialsContext> {
  return {
    before: async (request) => {
      // Both fetches are already running: awaited one after the other, a Kafka secret that fails
      // while the Meraki one is still on its way was an unhandled rejection. A failed Meraki
      // secret is still the one reported when both fail.
      const [merakiSecret, kafkaSecret] = await Promise.allSettled([
        resolveSecret(request, "merakiApiKey", ids.merakiSecretId),
        resolveSecret(request, "kafka", ids.kafkaSecretId),
      ]);
      if (merakiSecret.status === "rejected") throw merakiSecret.reason;
      if (kafkaSecret.status === "rejected") throw kafkaSecret.reason;
      const [meraki, kafka] = [merakiSecret.value, kafkaSecret.value];
      const merakiParsed = merakiSecretSchema.safeParse(meraki);
      if (!merakiParsed.success) {
        throw new SecretError(
          `secret "${ids.merakiSecretId}" does not hold a Meraki API key: store the key as plain text ` +
            '(one line, no spaces) or as the JSON {"apiKey": "<key>"}',
          ids.merakiSecretId,
        );
      }
      const kafkaParsed = kafkaSecretSchema.safeParse(kafka);
      if (!kafkaParsed.success) {
        const fields = kafkaParsed.error.issues.map((issue) => issue.path.join(".") || "(root)").join(", ");
        throw new SecretError(
          `secret "${ids.kafkaSecretId}" is not a Kafka credential (bad fields: ${fields}): it must be JSON ` +
            '{"username": "<API key>", "password": "<API secret>"}, the format the event source mapping uses too',
          ids.kafkaSecretId,
        );
      }
      request.context.credentials = {
        merakiApiKey: typeof merakiParsed.data === "string" ? merakiParsed.data : merakiParsed.data.apiKey,
        kafka: kafkaParsed.data,
      };
    },
  };
}

async function resolveSecret(
  request: Parameters<typeof getInternal>[1],
  internalKey: string,
  secretId: string,
): Promise<unknown> {
  try {
    const values: Record<string, unknown> = await getInternal([internalKey], request);
    return values[internalKey];
  } catch (error) {
    throw describeSecretFailure(secretId, firstCause(error));
  }
}

/** @middy/util wraps every rejection in "Failed to resolve internal values" with the errors in cause.data. */
function firstCause(error: unknown): unknown {
  if (error instanceof Error && isRecord(error.cause) && Array.isArray(error.cause.data)) {
    return error.cause.data[0] ?? error;
  }
  return error;
}

export function describeSecretFailure(secretId: string, cause: unknown): SecretError {
  const name = cause instanceof Error ? cause.name : "Error";
  const detail = cause instanceof Error ? cause.message : String(cause);
  switch (name) {
    case "ResourceNotFoundException":
      return new SecretError(
        `Secrets Manager secret "${secretId}" was not found: create it (README, "Deploy") or fix the secret ` +
          "name/ARN in the stack config",
        secretId,
        { cause },
      );
    case "AccessDeniedException":
      return new SecretError(
        `not allowed to read Secrets Manager secret "${secretId}": the function's role needs ` +
          "secretsmanager:GetSecretValue on it (and kms:Decrypt for a customer-managed key)",
        secretId,
        { cause },
      );
    case "DecryptionFailure":
      return new SecretError(
        `Secrets Manager could not decrypt secret "${secretId}" with its KMS key: check the key policy`,
        secretId,
        { cause },
      );
    default:
      return new SecretError(
        `could not read Secrets Manager secret "${secretId}": ${name}: ${detail}`,
        secretId,
        {
          cause,
        },
      );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
