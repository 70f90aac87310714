// Why a sweep could not run or complete. Meraki and Kafka failures keep their own types (they say
// what to fix there); these say which organisations, which event, which scheduled time.

import { SemaphoreError } from "../errors.js";

export abstract class SweepError extends SemaphoreError {}

export interface OrganizationFailure {
  organizationId: string;
  organizationName: string | null;
  error: Error;
}

/** No organisation could be swept; `failures` holds each organisation's error. */
export class SweepFailedError extends SweepError {
  constructor(
    message: string,
    readonly failures: OrganizationFailure[],
  ) {
    super(message, { cause: failures[0]?.error });
  }
}

export class OrganizationNotVisibleError extends SweepError {
  constructor(readonly organizationId: string) {
    super(
      `organization ${organizationId} is in the allowlist but the Meraki API key cannot see it: ` +
        "check the organization id in the stack config, or grant the key's admin access to it",
    );
  }
}

/** The test event is none of the shapes a sweep accepts. */
export class InvalidSweepEventError extends SweepError {}

export class InvalidScheduledTimeError extends SweepError {}
