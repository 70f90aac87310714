// The Dashboard API's per-organisation limit: a token bucket refilled at `ratePerSecond` holding
// `burst` tokens. With burst = rate = 10 this admits 20 calls in the first second and 30 in the
// first two, which is what Meraki documents. Time comes from a monotonic clock, not the simulated
// "now", so a test that freezes the API clock does not freeze the limiter.

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  readonly #ratePerSecond: number;
  readonly #burst: number;
  readonly #nowMs: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(ratePerSecond: number, burst: number, nowMs: () => number = () => performance.now()) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError("rateLimitPerSecond must be a positive number");
    }
    if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError("rateLimitBurst must be >= 1");
    this.#ratePerSecond = ratePerSecond;
    this.#burst = burst;
    this.#nowMs = nowMs;
  }

  take(key: string): RateDecision {
    const now = this.#nowMs();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updatedMs: now };
    bucket.tokens = Math.min(
      this.#burst,
      bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.#ratePerSecond,
    );
    bucket.updatedMs = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const waitSeconds = (1 - bucket.tokens) / this.#ratePerSecond;
    // Meraki sends whole seconds and never 0: a client sleeping 0 s would just hammer again.
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }
}
