// How long to wait before retrying, as pure functions of the attempt number, the response headers,
// the clock and a random source, so every bound can be tested without a server or real time.

export interface BackoffOptions {
  /** Ceiling of the first retry's wait. */
  baseDelayMs: number;
  /** Ceiling of any single wait. */
  maxDelayMs: number;
  /** Returns a number in [0, 1). */
  random: () => number;
}

/**
 * Exponential backoff with "equal jitter": the ceiling doubles per retry up to maxDelayMs, and the
 * wait is uniform in [ceiling/2, ceiling). Jitter spreads concurrent Lambdas that failed together;
 * the fixed half keeps a retry from firing instantly at a server that has just failed.
 * `retry` counts from 1 (the first retry).
 */
export function backoffDelayMs(retry: number, options: BackoffOptions): number {
  const exponent = Math.max(0, retry - 1);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  return Math.floor(ceiling / 2 + options.random() * (ceiling / 2));
}

/**
 * Parses Retry-After (RFC 9110 section 10.2.3): either delay-seconds or an HTTP-date. Returns the
 * delay in milliseconds (a date in the past gives 0), or undefined when absent or unparsable.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  // The RFC says integer seconds; a fractional value is accepted because it is unambiguous.
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // Only HTTP-dates (which always name a weekday, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"), so that
  // junk such as "-1" or "soon" is not turned into a date by Date.parse's lenient fallbacks.
  if (!/^[A-Za-z]{3,9},?\s/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export interface RateLimitDelayOptions extends BackoffOptions {
  /** Upper bound on any wait after a 429, whatever Retry-After asks for. */
  maxRetryAfterMs: number;
}

/**
 * Wait after a 429. Retry-After is honoured (clamped to maxRetryAfterMs) plus up to 10% jitter so
 * that every request told "1" does not come back in the same millisecond. Without Retry-After the
 * exponential backoff applies, bounded by the same maximum.
 */
export function rateLimitDelayMs(
  retryAfterMs: number | undefined,
  retry: number,
  options: RateLimitDelayOptions,
): { delayMs: number; source: "retry-after" | "fallback" } {
  if (retryAfterMs !== undefined) {
    const jitter = Math.floor(options.random() * retryAfterMs * 0.1);
    return { delayMs: Math.min(options.maxRetryAfterMs, retryAfterMs + jitter), source: "retry-after" };
  }
  const fallback = backoffDelayMs(retry, {
    ...options,
    maxDelayMs: Math.min(options.maxDelayMs, options.maxRetryAfterMs),
  });
  return { delayMs: fallback, source: "fallback" };
}
