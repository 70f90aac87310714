import { describe, expect, it } from "vitest";
import { backoffDelayMs, parseRetryAfterMs, rateLimitDelayMs } from "../../shared/meraki/retry-policy.js";

const now = Date.parse("2026-11-22T10:00:00Z");

describe("parseRetryAfterMs", () => {
  it("reads delay-seconds", () => {
    expect(parseRetryAfterMs("2", now)).toBe(2_000);
    expect(parseRetryAfterMs(" 0 ", now)).toBe(0);
  });

  it("accepts fractional seconds", () => {
    expect(parseRetryAfterMs("1.5", now)).toBe(1_500);
  });

  it("reads an HTTP-date as the time until that date", () => {
    expect(parseRetryAfterMs("Sun, 22 Nov 2026 10:00:07 GMT", now)).toBe(7_000);
  });

  it("turns an HTTP-date in the past into no wait", () => {
    expect(parseRetryAfterMs("Sun, 22 Nov 2026 09:59:00 GMT", now)).toBe(0);
  });

  it("returns undefined when absent or unparsable", () => {
    for (const value of [
      null,
      undefined,
      "",
      "soon",
      "-1",
      "1e3",
      "2026-11-22T10:00:07Z",
      "Mon, 99 Foo 2026",
    ]) {
      expect(parseRetryAfterMs(value, now), String(value)).toBeUndefined();
    }
  });
});

describe("backoffDelayMs", () => {
  const options = { baseDelayMs: 500, maxDelayMs: 8_000 };

  it("doubles the ceiling per retry and waits at least half of it", () => {
    const low = [1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, { ...options, random: () => 0 }));
    const high = [1, 2, 3, 4, 5].map((retry) =>
      backoffDelayMs(retry, { ...options, random: () => 0.999999 }),
    );
    expect(low).toEqual([250, 500, 1_000, 2_000, 4_000]);
    expect(high).toEqual([499, 999, 1_999, 3_999, 7_999]);
  });

  it("never exceeds maxDelayMs however many retries", () => {
    expect(backoffDelayMs(60, { ...options, random: () => 0.999999 })).toBeLessThan(8_000);
    expect(backoffDelayMs(60, { ...options, random: () => 0 })).toBe(4_000);
  });
});

describe("rateLimitDelayMs", () => {
  const options = { baseDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 30_000 };

  it("honours Retry-After with at most 10% jitter on top", () => {
    expect(rateLimitDelayMs(2_000, 1, { ...options, random: () => 0 })).toEqual({
      delayMs: 2_000,
      source: "retry-after",
    });
    expect(rateLimitDelayMs(2_000, 1, { ...options, random: () => 0.999999 }).delayMs).toBe(2_199);
  });

  it("clamps a long Retry-After to maxRetryAfterMs", () => {
    expect(rateLimitDelayMs(120_000, 1, { ...options, random: () => 0.5 }).delayMs).toBe(30_000);
  });

  it("without Retry-After falls back to exponential backoff from the fallback base", () => {
    const delays = [1, 2, 3].map((retry) =>
      rateLimitDelayMs(undefined, retry, { ...options, random: () => 0 }),
    );
    expect(delays).toEqual([
      { delayMs: 500, source: "fallback" },
      { delayMs: 1_000, source: "fallback" },
      { delayMs: 2_000, source: "fallback" },
    ]);
  });

  it("bounds the fallback by maxRetryAfterMs too", () => {
    const delay = rateLimitDelayMs(undefined, 30, {
      ...options,
      maxRetryAfterMs: 5_000,
      random: () => 0.999999,
    });
    expect(delay.delayMs).toBeLessThan(5_000);
    expect(delay.delayMs).toBeGreaterThanOrEqual(2_500);
  });
});
