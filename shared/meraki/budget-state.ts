// The arithmetic of an organisation's request budget, as pure functions of a small state and the
// clock, so the in-process bucket and the one shared through DynamoDB by every sweep function
// compute the same slots. GCRA (the "virtual scheduling" form of a token bucket): `tat` is the
// theoretical arrival time of the next request at the sustained rate; a request may go `tolerance`
// early, which is the burst. On a 429 the rate is halved (not more than once per second, so one
// burst of 429s seen by several functions halves it once) and then grows back by a fixed step per
// second up to the configured rate: additive increase, multiplicative decrease, with a floor.

export interface BudgetPolicy {
  /** The configured rate, and the ceiling recovery returns to. */
  ratePerSecond: number;
  /** Requests that may go out back to back after an idle period (>= 1). */
  burst: number;
  /** The rate never drops below this after 429s. */
  floorPerSecond: number;
  /** Requests per second regained per second after a decrease. */
  recoveryPerSecond: number;
}

export interface BudgetState {
  /** Epoch ms: when the next request is due at the sustained rate. */
  tat: number;
  /** The rate set by the last decrease (recovery is computed from it, never stored). */
  rate: number;
  /** Epoch ms of the last decrease; 0 = never. */
  decreasedAt: number;
}

const DECREASE_FACTOR = 0.5;
const DECREASE_COOLDOWN_MS = 1_000;

export function defaultPolicy(
  ratePerSecond: number,
  burst = Math.max(1, Math.floor(ratePerSecond)),
): BudgetPolicy {
  return {
    ratePerSecond,
    burst,
    floorPerSecond: Math.min(ratePerSecond, Math.max(0.5, ratePerSecond / 8)),
    recoveryPerSecond: Math.max(0.05, ratePerSecond / 60),
  };
}

export function checkPolicy(policy: BudgetPolicy): void {
  if (!(policy.ratePerSecond > 0) || !Number.isFinite(policy.ratePerSecond)) {
    throw new RangeError(`ratePerSecond must be a positive number, got ${policy.ratePerSecond}`);
  }
  if (!(policy.burst >= 1) || !Number.isFinite(policy.burst)) {
    throw new RangeError(`burst must be at least 1, got ${policy.burst}`);
  }
}

export function initialState(policy: BudgetPolicy): BudgetState {
  // 0 rather than -Infinity: the state is also stored as DynamoDB numbers.
  return { tat: 0, rate: policy.ratePerSecond, decreasedAt: 0 };
}

/** The rate in force at `now`: the last decrease plus what recovery has regained since, capped. */
export function currentRate(state: BudgetState, policy: BudgetPolicy, now: number): number {
  if (state.decreasedAt === 0) return policy.ratePerSecond;
  const recovered = state.rate + (Math.max(0, now - state.decreasedAt) / 1000) * policy.recoveryPerSecond;
  return Math.min(policy.ratePerSecond, Math.max(policy.floorPerSecond, recovered));
}

function toleranceMs(policy: BudgetPolicy, intervalMs: number): number {
  return (Math.floor(policy.burst) - 1) * intervalMs;
}

/** Reserves `count` consecutive slots: the epoch ms at which each request may be sent, in order. */
export function reserveSlots(
  state: BudgetState,
  policy: BudgetPolicy,
  now: number,
  count: number,
): { slots: number[]; next: BudgetState } {
  const intervalMs = 1000 / currentRate(state, policy, now);
  const tolerance = toleranceMs(policy, intervalMs);
  let tat = state.tat;
  const slots: number[] = [];
  for (let i = 0; i < count; i++) {
    const due = Math.max(tat, now);
    slots.push(Math.max(now, due - tolerance));
    tat = due + intervalMs;
  }
  return { slots, next: { ...state, tat } };
}

/**
 * Meraki answered 429: nothing goes out before `now + retryAfterMs`, and then at the (lowered)
 * sustained rate without a burst, because the server-side bucket is empty and a burst would only
 * earn more 429s. Slots already reserved later than that stay where they are.
 */
export function afterRateLimited(
  state: BudgetState,
  policy: BudgetPolicy,
  now: number,
  retryAfterMs: number,
): BudgetState {
  const decrease = now - state.decreasedAt >= DECREASE_COOLDOWN_MS;
  const rate = decrease
    ? Math.max(policy.floorPerSecond, currentRate(state, policy, now) * DECREASE_FACTOR)
    : state.rate;
  const intervalMs = 1000 / (decrease ? rate : currentRate(state, policy, now));
  return {
    rate,
    decreasedAt: decrease ? now : state.decreasedAt,
    tat: Math.max(state.tat, now + retryAfterMs + toleranceMs(policy, intervalMs)),
  };
}
