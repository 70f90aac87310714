// One Meraki request budget per organisation, shared by every sweep function and invocation
// through one DynamoDB item per organisation. A function reserves a few consecutive slots at a
// time (about a quarter of a second of the budget) with a conditional write on the item's version,
// then sends at those times; a 429 pauses and lowers the organisation's rate for everyone
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

interface Known {
  state: BudgetState;
  /** 0 = the item does not exist yet. */
  version: number;
}

const FALLBACK_MS = 60_000;
/** How late a reserved slot may still be used: well under the 250 ms that 2 req/s of headroom absorbs. */
const STALE_SLOT_MS = 100;
const WRITE_ATTEMPTS = 8;
const KEY_LEVEL = "key";

export class SharedBudget implements RequestBudget {
  readonly #options: SharedBudgetOptions;
  readonly #now: () => number;
  readonly #fallback: LocalBudget;
  readonly #slots = new Map<string, number[]>();
  readonly #known = new Map<string, Known>();
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
      await this.#exclusive(key, () => this.#lease(key, organizationId));
      justLeased = true;
    }
  }

  rateLimited(organizationId: string | undefined, retryAfterMs: number): void {
    const key = organizationId ?? KEY_LEVEL;
    this.#fallback.rateLimited(organizationId, retryAfterMs);
    // Slots reserved before the 429 fall inside the pause: give them up.
    this.#slots.delete(key);
    void this.#exclusive(key, () =>
      this.#write(key, organizationId, (known) => ({
        next: afterRateLimited(known.state, this.#policy(organizationId), this.#now(), retryAfterMs),
        slots: [],
      })),
    );
  }

  async #lease(key: string, organizationId: string | undefined): Promise<void> {
    if ((this.#slots.get(key)?.length ?? 0) > 0) return;
    const policy = this.#policy(organizationId);
    const count = Math.max(1, Math.round(policy.ratePerSecond / 4));
    await this.#write(key, organizationId, (known) => reserveSlots(known.state, policy, this.#now(), count));
  }

  /** Applies `change` to the shared state with optimistic concurrency; the slots it yields are ours. */
  async #write(
    key: string,
    organizationId: string | undefined,
    change: (known: Known) => { next: BudgetState; slots: number[] },
  ): Promise<void> {
    const { client, tableName } = this.#options;
    try {
      let known = this.#known.get(key) ?? (await this.#read(key, organizationId));
      for (let attempt = 1; ; attempt++) {
        const { next, slots } = change(known);
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: { pk: { S: pk(key) } },
              UpdateExpression: "SET tat = :tat, rate = :rate, decreasedAt = :decreasedAt, version = :next",
              ConditionExpression: known.version === 0 ? "attribute_not_exists(pk)" : "version = :version",
              ExpressionAttributeValues: {
                ":tat": num(next.tat),
                ":rate": num(next.rate),
                ":decreasedAt": num(next.decreasedAt),
                ":next": num(known.version + 1),
                ...(known.version === 0 ? {} : { ":version": num(known.version) }),
              },
              ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            }),
          );
          this.#known.set(key, { state: next, version: known.version + 1 });
          if (slots.length > 0) this.#slots.set(key, [...(this.#slots.get(key) ?? []), ...slots]);
          return;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException) || attempt >= WRITE_ATTEMPTS) throw error;
          // Another function wrote first: start again from what it wrote.
          known = error.Item
            ? fromItem(error.Item, this.#policy(organizationId))
            : await this.#read(key, organizationId);
        }
      }
    } catch (error) {
      this.#degrade(error);
    }
  }

  async #read(key: string, organizationId: string | undefined): Promise<Known> {
    const { Item } = await this.#options.client.send(
      new GetItemCommand({
        TableName: this.#options.tableName,
        Key: { pk: { S: pk(key) } },
        ConsistentRead: true,
      }),
    );
    return Item
      ? fromItem(Item, this.#policy(organizationId))
      : { state: initialState(this.#policy(organizationId)), version: 0 };
  }

  #degrade(error: unknown): void {
    const wasDegraded = this.degraded;
    this.#fallbackUntil = this.#now() + FALLBACK_MS;
    this.#known.clear();
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

function fromItem(item: Record<string, AttributeValue>, policy: BudgetPolicy): Known {
  const read = (name: string, fallback: number): number => {
    const value = item[name]?.N;
    return value === undefined ? fallback : Number(value);
  };
  return {
    state: {
      tat: read("tat", 0),
      rate: read("rate", policy.ratePerSecond),
      decreasedAt: read("decreasedAt", 0),
    },
    version: read("version", 0),
  };
}
