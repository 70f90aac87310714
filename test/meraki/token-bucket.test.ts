import { describe, expect, it } from "vitest";
import {
  afterRateLimited,
  currentRate,
  defaultPolicy,
  initialState,
  reserveSlots,
} from "../../shared/meraki/budget-state.js";
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

const bucketOf = (time: ReturnType<typeof fakeTime>, ratePerSecond: number, burst: number) =>
  new TokenBucket({ policy: defaultPolicy(ratePerSecond, burst), now: time.now, sleep: time.sleep });

describe("TokenBucket", () => {
  it("lets a full burst through immediately, then spaces requests at the sustained rate", () => {
    const bucket = bucketOf(fakeTime(), 8, 8);
    const waits = Array.from({ length: 11 }, () => bucket.reserve());
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 125, 250, 375]);
  });

  it("refills at the sustained rate while idle, never beyond the burst", () => {
    const time = fakeTime();
    const bucket = bucketOf(time, 4, 2);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 250]);
    time.advance(10_000);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 250]);
  });

  it("take() sleeps for the reserved wait", async () => {
    const time = fakeTime();
    const bucket = bucketOf(time, 10, 1);
    await bucket.take();
    await bucket.take();
    await bucket.take();
    expect(time.sleeps).toEqual([100, 100]);
  });

  it("after a 429, resumes exactly at the end of Retry-After, at half the rate and without a burst", () => {
    const time = fakeTime();
    const bucket = bucketOf(time, 8, 8);
    bucket.rateLimited(2_000);
    expect(bucket.ratePerSecond).toBe(4);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([2_000, 2_250, 2_500]);
  });

  it("a pause that ends before already reserved slots does not pull them earlier", () => {
    const time = fakeTime();
    const bucket = bucketOf(time, 1, 1);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 1_000, 2_000]);
    bucket.rateLimited(500);
    expect(bucket.reserve()).toBe(3_000);
  });

  it("rejects a non-positive rate or a burst below one", () => {
    const time = fakeTime();
    expect(() => bucketOf(time, 0, 1)).toThrow(RangeError);
    expect(() => bucketOf(time, 5, 0)).toThrow(RangeError);
  });
});

describe("the budget's adaptive rate (additive increase, multiplicative decrease)", () => {
  const policy = defaultPolicy(8);
  const t0 = 1_000_000;

  it("halves the rate once for a burst of 429s within a second, however many are reported", () => {
    let state = afterRateLimited(initialState(policy), policy, t0, 1_000);
    state = afterRateLimited(state, policy, t0 + 200, 1_000);
    state = afterRateLimited(state, policy, t0 + 900, 1_000);
    expect(state).toMatchObject({ rate: 4, decreasedAt: t0 });
  });

  it("halves again for 429s that keep coming, down to the floor and no further", () => {
    let state = initialState(policy);
    for (let i = 0; i < 10; i++) state = afterRateLimited(state, policy, t0 + i * 1_000, 0);
    expect(state.rate).toBe(policy.floorPerSecond);
    expect(policy.floorPerSecond).toBe(1);
  });

  it("grows back by a fixed step per second up to the configured rate", () => {
    const state = afterRateLimited(initialState(policy), policy, t0, 0);
    expect(currentRate(state, policy, t0 + 30_000)).toBeCloseTo(4 + 30 * policy.recoveryPerSecond, 6);
    expect(currentRate(state, policy, t0 + 3_600_000)).toBe(8);
  });

  it("spaces reserved slots at the lowered rate while it recovers", () => {
    const noBurst = defaultPolicy(8, 1);
    const state = afterRateLimited(initialState(noBurst), noBurst, t0, 0);
    const { slots } = reserveSlots(state, noBurst, t0 + 1_000, 3);
    const rate = currentRate(state, noBurst, t0 + 1_000);
    expect(slots[1]! - slots[0]!).toBeCloseTo(1000 / rate, 6);
    expect(slots[2]! - slots[1]!).toBeCloseTo(1000 / rate, 6);
  });
});
