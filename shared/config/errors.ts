// Configuration problems: function settings, the stack config, schedules, overrides, and the
// secrets a user stores. Each message names every offending field or the secret, and what it
// accepts; never a secret's value.

import { SemaphoreError } from "../errors.js";

export abstract class ConfigError extends SemaphoreError {}

/** A function's environment variables are missing or malformed (names every one). */
export class InvalidSettingsError extends ConfigError {}

/** A secret is missing, unreadable or of the wrong shape; names the secret and the expected format. */
export class SecretError extends ConfigError {
  constructor(
    message: string,
    readonly secretId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
