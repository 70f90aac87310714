// One organisation's request budget held in this process: the budget-state arithmetic over an
// in-memory state. Each caller reserves the next free slot synchronously and then sleeps until it,
// which keeps callers FIFO without a queue or timers of its own.

import {
  afterRateLimited,
  type BudgetPolicy,
  type BudgetState,
  checkPolicy,
  currentRate,
  initialState,
  reserveSlots,
} from "./budget-state.js";

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface TokenBucketOptions {
  policy: BudgetPolicy;
  now: () => number;
  sleep: Sleep;
}

export class TokenBucket {
  readonly #policy: BudgetPolicy;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  #state: BudgetState;

  constructor(options: TokenBucketOptions) {
    checkPolicy(options.policy);
    this.#policy = options.policy;
    this.#now = options.now;
    this.#sleep = options.sleep;
    this.#state = initialState(options.policy);
  }

  /** The sustained rate now (lower than configured for a while after a 429). */
  get ratePerSecond(): number {
    return currentRate(this.#state, this.#policy, this.#now());
  }

  /** Reserves the next slot and returns how long the caller must wait before using it (ms, >= 0). */
  reserve(): number {
    const now = this.#now();
    const { slots, next } = reserveSlots(this.#state, this.#policy, now, 1);
    this.#state = next;
    return Math.max(0, slots[0]! - now);
  }

  /** Waits for a slot. A slot reserved by a caller that is then aborted is simply lost. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.#sleep(wait, signal);
  }

  /** Meraki answered 429: pause every later reservation and lower the rate (budget-state.ts). */
  rateLimited(retryAfterMs: number): void {
    this.#state = afterRateLimited(this.#state, this.#policy, this.#now(), retryAfterMs);
  }
}
