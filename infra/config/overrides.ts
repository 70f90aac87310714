import { ConfigError } from "../../shared/config/errors.js";
import type { StackConfigInput } from "./stack-config.js";

/**
 * CI/CD overrides of the stack config without editing infra/config/default.ts: one cdk context
 * key, `semaphore.config`, holding a JSON object that is deep-merged over the defaults.
 *
 *   npx cdk deploy -c semaphore.config='{"kafka":{"bootstrapServers":"pkc-abc.eu-west-1.aws.confluent.cloud:9092"}}'
 *
 * Objects merge key by key, arrays and scalars replace, and null removes a key (so its default
 * applies again, e.g. {"kafka":{"secretArn":null}}). In cdk.json or cdk.context.json the value may
 * be the object itself instead of a JSON string. The merged result is validated like the defaults.
 */
export const CONFIG_CONTEXT_KEY = "semaphore.config";

export class InvalidConfigOverrideError extends ConfigError {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else merged[key] = key in base ? deepMerge(base[key], value) : value;
  }
  return merged;
}

/** Parses the context value (JSON text or an object) and merges it over `base`. */
export function applyConfigOverride(base: StackConfigInput, contextValue: unknown): unknown {
  if (contextValue === undefined) return base;
  let override: Json | unknown = contextValue;
  if (typeof contextValue === "string") {
    try {
      override = JSON.parse(contextValue) as Json;
    } catch (error) {
      throw new InvalidConfigOverrideError(
        `cdk context ${CONFIG_CONTEXT_KEY} is not valid JSON (${(error as Error).message}); ` +
          `pass an object such as -c ${CONFIG_CONTEXT_KEY}='{"kafka":{"bootstrapServers":"host:9092"}}'`,
      );
    }
  }
  if (!isPlainObject(override)) {
    throw new InvalidConfigOverrideError(`cdk context ${CONFIG_CONTEXT_KEY} must be a JSON object`);
  }
  return deepMerge(base, override);
}
