// Where a Meraki request's permission to go out comes from: a budget per organisation. The HTTP
// layer asks it before every request and tells it about every 429; whether the budget lives in
// this process (LocalBudget) or is shared by every sweep function through DynamoDB
// (shared-budget.ts) is the budget's business.

import { type BudgetPolicy, defaultPolicy } from "./budget-state.js";
import { type Sleep, TokenBucket } from "./token-bucket.js";

export interface RequestBudget {
  /** Waits until one more request of this organisation may go out; rejects with the signal's reason. */
  take(organizationId: string | undefined, signal?: AbortSignal): Promise<void>;
  /** Meraki answered 429: every later request of the organisation waits, and the rate drops. */
  rateLimited(organizationId: string | undefined, retryAfterMs: number): void;
}

/** Budget settings of one organisation; `organizationId` undefined = the key-level calls (GET /organizations). */
export type PolicyFor = (organizationId: string | undefined) => BudgetPolicy;

export function policiesFrom(
  ratePerSecond: number,
  byOrganization: Readonly<Record<string, number>> = {},
  burst?: number,
): PolicyFor {
  return (organizationId) => {
    const rate = (organizationId === undefined ? undefined : byOrganization[organizationId]) ?? ratePerSecond;
    return defaultPolicy(rate, burst ?? Math.max(1, Math.floor(rate)));
  };
}

export interface LocalBudgetOptions {
  policyFor: PolicyFor;
  now: () => number;
  sleep: Sleep;
}

/** A bucket per organisation in this process: what one function alone may ask of Meraki. */
export class LocalBudget implements RequestBudget {
  readonly #options: LocalBudgetOptions;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(options: LocalBudgetOptions) {
    this.#options = options;
  }

  take(organizationId: string | undefined, signal?: AbortSignal): Promise<void> {
    return this.#bucket(organizationId).take(signal);
  }

  rateLimited(organizationId: string | undefined, retryAfterMs: number): void {
    this.#bucket(organizationId).rateLimited(retryAfterMs);
  }

  /** The organisation's sustained rate now, for logs and tests. */
  ratePerSecond(organizationId: string | undefined): number {
    return this.#bucket(organizationId).ratePerSecond;
  }

  #bucket(organizationId: string | undefined): TokenBucket {
    const key = organizationId ?? "";
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket({
        policy: this.#options.policyFor(organizationId),
        now: this.#options.now,
        sleep: this.#options.sleep,
      });
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }
}
