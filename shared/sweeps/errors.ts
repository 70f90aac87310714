// Why a sweep could not run or complete. Meraki and Kafka failures keep their own types (they say
// what to fix there); these say which organisations, which event, which scheduled time.

import { SemaphoreError } from "../errors.js";
import type { SweepSummary } from "./run-sweep.js";

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

/**
 * The deadline came before the sweep was done. Everything it built was produced (the summary says
 * how much); the invocation fails so that the same window is tried again, and the summary says
 * what was left undone.
 */
export class SweepIncompleteError extends SweepError {
  constructor(readonly summary: SweepSummary) {
    const undone = Object.entries(summary.skipped)
      .map(([what, n]) => `${n} ${what}`)
      .join(", ");
    super(
      `${summary.sweep} sweep ran out of time: ${undone} not swept (${summary.records.produced} records were ` +
        "delivered). Raise the function's timeoutSeconds or shard the kind; the retry sweeps the same window.",
    );
  }
}

/** The test event is none of the shapes a sweep accepts. */
export class InvalidSweepEventError extends SweepError {}

export class InvalidScheduledTimeError extends SweepError {}
