import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../shared/meraki/token-bucket.js";

/** A clock that only moves when a caller sleeps, so timings are exact. */
function fakeTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe("TokenBucket", () => {
  it("lets a full burst through immediately, then spaces requests at the sustained rate", () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 8, burst: 8, now: time.now, sleep: time.sleep });
    const waits = Array.from({ length: 11 }, () => bucket.reserve());
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 125, 250, 375]);
  });

  it("refills at the sustained rate while idle, never beyond the burst", () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 4, burst: 2, now: time.now, sleep: time.sleep });
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 250]);
    time.advance(10_000);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 250]);
  });

  it("take() sleeps for the reserved wait", async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1, now: time.now, sleep: time.sleep });
    await bucket.take();
    await bucket.take();
    await bucket.take();
    expect(time.sleeps).toEqual([100, 100]);
  });

  it("after pauseUntil, resumes exactly at the pause end and at the sustained rate without a burst", () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 8, burst: 8, now: time.now, sleep: time.sleep });
    bucket.pauseUntil(time.now() + 2_000);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([2_000, 2_125, 2_250]);
  });

  it("a pause that ends before already reserved slots does not pull them earlier", () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, now: time.now, sleep: time.sleep });
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 1_000, 2_000]);
    bucket.pauseUntil(time.now() + 500);
    expect(bucket.reserve()).toBe(3_000);
  });

  it("rejects a non-positive rate or a burst below one", () => {
    const time = fakeTime();
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1, now: time.now, sleep: time.sleep })).toThrow(
      RangeError,
    );
    expect(() => new TokenBucket({ ratePerSecond: 5, burst: 0, now: time.now, sleep: time.sleep })).toThrow(
      RangeError,
    );
  });
});
