// Client-side rate limiting per Meraki organisation. Meraki enforces 10 requests/s per organisation
// across every application using it, so we stay below that by default and let the config lower it
// further. Written as GCRA (the "virtual scheduling" form of a token bucket): each caller reserves
// the next free slot synchronously and then sleeps until it, which keeps callers FIFO without a
// queue or timers of its own, and makes the timing a pure function of an injectable clock.

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface TokenBucketOptions {
  /** Sustained rate. */
  ratePerSecond: number;
  /** Requests that may go out back to back after an idle period (>= 1). */
  burst: number;
  now: () => number;
  sleep: Sleep;
}

export class TokenBucket {
  readonly #intervalMs: number;
  readonly #toleranceMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  /** Theoretical arrival time: when the bucket would be full-rate "caught up". */
  #tat = Number.NEGATIVE_INFINITY;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${options.ratePerSecond}`);
    }
    if (!(options.burst >= 1) || !Number.isFinite(options.burst)) {
      throw new RangeError(`burst must be at least 1, got ${options.burst}`);
    }
    this.#intervalMs = 1000 / options.ratePerSecond;
    this.#toleranceMs = (Math.floor(options.burst) - 1) * this.#intervalMs;
    this.#now = options.now;
    this.#sleep = options.sleep;
  }

  /** Reserves the next slot and returns how long the caller must wait before using it (ms, >= 0). */
  reserve(): number {
    const now = this.#now();
    const tat = Math.max(this.#tat, now);
    const allowedAt = tat - this.#toleranceMs;
    this.#tat = tat + this.#intervalMs;
    return Math.max(0, allowedAt - now);
  }

  /** Waits for a slot. A slot reserved by a caller that is then aborted is simply lost. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.#sleep(wait, signal);
  }

  /**
   * Holds every later reservation until `untilMs` and then resumes at the sustained rate without a
   * burst: after a 429 the server-side bucket is empty, and firing a burst would only earn more 429s.
   */
  pauseUntil(untilMs: number): void {
    this.#tat = Math.max(this.#tat, untilMs + this.#toleranceMs);
  }
}
