// One Meraki request budget per organisation, shared by every sweep function and invocation
// through one DynamoDB item per organisation. A function reserves consecutive slots, as many as it
// has requests waiting (up to a quarter of a second of the budget), with one atomic update of the
// item, then sends at those times; a 429 pauses and lowers the organisation's rate for everyone
// (budget-state.ts). When DynamoDB cannot be reached the function carries on with a conservative
// share of the budget in process for a minute, logged once, and tries the table again after that:
// the sweep never fails because the budget's table is away.

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { LocalBudget, type PolicyFor, type RequestBudget } from "./budget.js";
import {
  afterRateLimited,
  type BudgetPolicy,
  type BudgetState,
  currentRate,
  initialState,
  reserveSlots,
} from "./budget-state.js";
import type { MerakiLogger } from "./http.js";
import type { Sleep } from "./token-bucket.js";

export interface SharedBudgetOptions {
  client: DynamoDBClient;
  tableName: string;
  policyFor: PolicyFor;
  /**
   * While the table cannot be reached, this function takes rate / fallbackShare (the number of
   * sweep functions that may run at once), so that all of them together stay within the budget.
   */
  fallbackShare: number;
  now?: () => number;
  sleep: Sleep;
  logger?: MerakiLogger | undefined;
}

const FALLBACK_MS = 60_000;
/** How late a reserved slot may still be used: well under the 250 ms that 2 req/s of headroom absorbs. */
const STALE_SLOT_MS = 100;
/** Attempts at one exchange before the table counts as unusable (each failure is another writer). */
const WRITE_ATTEMPTS = 8;
const KEY_LEVEL = "key";

export class SharedBudget implements RequestBudget {
  readonly #options: SharedBudgetOptions;
  readonly #now: () => number;
  readonly #fallback: LocalBudget;
  readonly #slots = new Map<string, number[]>();
  /** The organisation's shared state as this function last saw it. */
  readonly #seen = new Map<string, BudgetState>();
  /** Requests waiting for a slot, per organisation: what the next lease reserves. */
  readonly #waiting = new Map<string, number>();
  /** One DynamoDB exchange at a time per organisation in this process. */
  readonly #busy = new Map<string, Promise<void>>();
  #fallbackUntil = 0;

  constructor(options: SharedBudgetOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const share = Math.max(1, options.fallbackShare);
    this.#fallback = new LocalBudget({
      policyFor: (organizationId) => {
        const policy = options.policyFor(organizationId);
        const rate = policy.ratePerSecond / share;
        return {
          ...policy,
          ratePerSecond: rate,
          burst: 1,
          floorPerSecond: Math.min(policy.floorPerSecond, rate),
        };
      },
      now: this.#now,
      sleep: options.sleep,
    });
  }

  /** True while this function is on its local fallback share. */
  get degraded(): boolean {
    return this.#now() < this.#fallbackUntil;
  }

  async take(organizationId: string | undefined, signal?: AbortSignal): Promise<void> {
    const key = organizationId ?? KEY_LEVEL;
    let justLeased = false;
    for (;;) {
      signal?.throwIfAborted();
      if (this.degraded) return this.#fallback.take(organizationId, signal);
      const slots = this.#slots.get(key) ?? [];
      // A slot not used by its time is gone, like a token bucket's unused capacity: sent late, it
      // would go out together with the slots the other functions hold for that later moment. The
      // slots of a lease just made are exempt, since the write itself may have taken that long.
      while (!justLeased && slots.length > 0 && slots[0]! < this.#now() - STALE_SLOT_MS) slots.shift();
      const slot = slots.shift();
      if (slot !== undefined) {
        const wait = slot - this.#now();
        if (wait > 0) await this.#options.sleep(wait, signal);
        return;
      }
      this.#waiting.set(key, (this.#waiting.get(key) ?? 0) + 1);
      try {
        await this.#exclusive(key, () => this.#lease(key, organizationId));
      } finally {
        const left = (this.#waiting.get(key) ?? 1) - 1;
        if (left > 0) this.#waiting.set(key, left);
        else this.#waiting.delete(key);
      }
      justLeased = true;
    }
  }

  rateLimited(organizationId: string | undefined, retryAfterMs: number): void {
    const key = organizationId ?? KEY_LEVEL;
    this.#fallback.rateLimited(organizationId, retryAfterMs);
    // Slots reserved before the 429 fall inside the pause: give them up.
    this.#slots.delete(key);
    void this.#exclusive(key, () => this.#shared(() => this.#pause(key, organizationId, retryAfterMs)));
  }

  async #lease(key: string, organizationId: string | undefined): Promise<void> {
    if ((this.#slots.get(key)?.length ?? 0) > 0) return;
    const policy = this.#policy(organizationId);
    // Only what is waiting: a sweep sending one request after another would leave the rest of a
    // larger lease unused whenever a response takes longer than the gap between slots, and a slot
    // unused is a slot the organisation loses (every other function reserved around it).
    const most = Math.max(1, Math.round(policy.ratePerSecond / 4));
    const count = Math.min(most, Math.max(1, this.#waiting.get(key) ?? 1));
    await this.#shared(async () => {
      const slots = await this.#reserve(key, policy, count);
      this.#slots.set(key, [...(this.#slots.get(key) ?? []), ...slots]);
    });
  }

  /**
   * Reserves `count` slots with one atomic write that cannot lose a race: while the organisation
   * is busy (its next slot is due now or later) the item's `tat` is moved on by the lease's span
   * and the slots are the span just taken; when it is idle, `tat` is set from now. Only the switch
   * between the two can meet a condition failure, which the next attempt resolves. The span is at
   * the rate this function last saw; a decrease written by another function since applies from
   * its next lease.
   */
  async #reserve(key: string, policy: BudgetPolicy, count: number): Promise<number[]> {
    for (let attempt = 1; ; attempt++) {
      const seen = this.#seen.get(key) ?? initialState(policy);
      const now = this.#now();
      const intervalMs = 1000 / currentRate(seen, policy, now);
      const spanMs = count * intervalMs;
      try {
        const busy = await this.#update(key, "SET tat = tat + :span", "tat >= :now", {
          ":span": spanMs,
          ":now": now,
        });
        const item = this.#remember(key, busy, policy);
        return reserveSlots({ ...seen, tat: item.tat - spanMs }, policy, now, count).slots;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= WRITE_ATTEMPTS) throw error;
      }
      const { slots, next } = reserveSlots({ ...seen, tat: 0 }, policy, now, count);
      try {
        const idle = await this.#update(
          key,
          "SET tat = :tat, rate = if_not_exists(rate, :rate), decreasedAt = if_not_exists(decreasedAt, :never)",
          "attribute_not_exists(tat) OR tat < :now",
          { ":tat": next.tat, ":rate": policy.ratePerSecond, ":never": 0, ":now": now },
        );
        this.#remember(key, idle, policy);
        return slots;
      } catch (error) {
        // Another function made the organisation busy in between: take the busy path again.
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= WRITE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * A 429: nothing goes out before the pause ends (`tat` only ever moves later), and the rate is
   * halved unless another function halved it within the cooldown (one burst of 429s seen by
   * several functions halves it once). The decrease is conditional on the last one this function
   * saw, so two functions never halve from the same rate twice.
   */
  async #pause(key: string, organizationId: string | undefined, retryAfterMs: number): Promise<void> {
    const { client, tableName } = this.#options;
    const policy = this.#policy(organizationId);
    let seen = this.#seen.get(key) ?? initialState(policy);
    const now = this.#now();
    const paused = afterRateLimited(seen, policy, now, retryAfterMs);
    try {
      await this.#update(key, "SET tat = :tat", "attribute_not_exists(tat) OR tat < :tat", {
        ":tat": paused.tat,
      });
    } catch (error) {
      // The organisation is already paused for longer.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const next = afterRateLimited(seen, policy, now, retryAfterMs);
      if (next.decreasedAt !== now) return; // within the cooldown of the last decrease
      try {
        const written = await this.#update(
          key,
          "SET rate = :rate, decreasedAt = :now",
          "attribute_not_exists(decreasedAt) OR decreasedAt = :seen",
          { ":rate": next.rate, ":now": now, ":seen": seen.decreasedAt },
        );
        this.#remember(key, written, policy);
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Another function decreased first: decide again from the item as it is now.
        const { Item } = await client.send(
          new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk(key) } }, ConsistentRead: true }),
        );
        seen = this.#remember(key, Item, policy);
      }
    }
  }

  /**
   * One conditional update of the organisation's item, counted in its `writes`; the item as it is
   * after it. Throws ConditionalCheckFailedException when `condition` does not hold.
   */
  async #update(
    key: string,
    set: string,
    condition: string,
    values: Record<string, number>,
  ): Promise<Record<string, AttributeValue> | undefined> {
    const attributes: Record<string, AttributeValue> = { ":one": num(1) };
    for (const [name, value] of Object.entries(values)) attributes[name] = num(value);
    const { Attributes } = await this.#options.client.send(
      new UpdateItemCommand({
        TableName: this.#options.tableName,
        Key: { pk: { S: pk(key) } },
        UpdateExpression: `${set} ADD writes :one`,
        ConditionExpression: condition,
        ExpressionAttributeValues: attributes,
        ReturnValues: "ALL_NEW",
      }),
    );
    return Attributes;
  }

  /** Keeps the shared state an answer carried: the rate in force comes from it. */
  #remember(
    key: string,
    item: Record<string, AttributeValue> | undefined,
    policy: BudgetPolicy,
  ): BudgetState {
    const state = item ? fromItem(item, policy) : initialState(policy);
    this.#seen.set(key, state);
    return state;
  }

  /** Runs an exchange with the table; any failure of it puts this function on its fallback. */
  async #shared(exchange: () => Promise<void>): Promise<void> {
    try {
      await exchange();
    } catch (error) {
      this.#degrade(error);
    }
  }

  #degrade(error: unknown): void {
    const wasDegraded = this.degraded;
    this.#fallbackUntil = this.#now() + FALLBACK_MS;
    this.#seen.clear();
    this.#slots.clear();
    if (wasDegraded) return;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.#options.logger?.warn("shared Meraki budget unavailable, using a local share for a minute", {
      table: this.#options.tableName,
      reason,
      fallbackShare: this.#options.fallbackShare,
    });
  }

  #policy(organizationId: string | undefined): BudgetPolicy {
    return this.#options.policyFor(organizationId);
  }

  async #exclusive(key: string, work: () => Promise<void>): Promise<void> {
    const before = this.#busy.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    this.#busy.set(key, mine);
    try {
      await mine;
    } finally {
      if (this.#busy.get(key) === mine) this.#busy.delete(key);
    }
  }
}

function pk(key: string): string {
  return `meraki-budget#${key}`;
}

function num(value: number): AttributeValue.NMember {
  return { N: String(value) };
}

function fromItem(item: Record<string, AttributeValue>, policy: BudgetPolicy): BudgetState {
  const read = (name: string, fallback: number): number => {
    const value = item[name]?.N;
    return value === undefined ? fallback : Number(value);
  };
  return {
    tat: read("tat", 0),
    rate: read("rate", policy.ratePerSecond),
    decreasedAt: read("decreasedAt", 0),
  };
}
