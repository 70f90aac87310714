// The Meraki budget shared through DynamoDB (moto's, on loopback): several functions taking from
// one organisation's budget at once, a 429 seen by one pausing all, and the fallback when the
// table cannot be reached. Sends are not timed: each taker records when its slot said to send.
import { randomUUID } from "node:crypto";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, inject, it } from "vitest";
import { createBudgetTable, localDynamoDbClient } from "../../infra/local/dynamodb/budget-table.js";
import { policiesFrom } from "../../shared/meraki/budget.js";
import { SharedBudget } from "../../shared/meraki/shared-budget.js";

const moto = () => inject("secretsManager");

async function freshTable(): Promise<string> {
  const name = `semaphore-test-budget-${randomUUID().slice(0, 8)}`;
  await createBudgetTable(localDynamoDbClient(moto().endpoint, moto().region), name);
  return name;
}

/**
 * A taker that does not really sleep: it notes the time its slot allowed the request (for a slot
 * already due when it was handed out, the time the taker asked, which is earlier). Given a clock
 * that stands still, every slot is still to come or due exactly now, so what it notes is the slot.
 */
function taker(
  tableName: string,
  ratePerSecond: number,
  options: { endpoint?: string; now?: () => number } = {},
) {
  const now = options.now ?? Date.now;
  const sends: number[] = [];
  const warnings: Array<Record<string, unknown>> = [];
  let pendingUntil = 0;
  const budget = new SharedBudget({
    client: localDynamoDbClient(options.endpoint ?? moto().endpoint, moto().region),
    tableName,
    policyFor: policiesFrom(ratePerSecond, {}, 1),
    fallbackShare: 4,
    now,
    sleep: async (ms) => {
      pendingUntil = now() + ms;
    },
    logger: { debug: () => undefined, warn: (_message, attributes) => warnings.push(attributes) },
  });
  const take = async (organizationId: string, signal?: AbortSignal) => {
    pendingUntil = now();
    await budget.take(organizationId, signal);
    sends.push(pendingUntil);
  };
  return { budget, sends, warnings, take };
}

async function budgetItem(table: string, organizationId: string) {
  const client = localDynamoDbClient(moto().endpoint, moto().region);
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: table,
      Key: { pk: { S: `meraki-budget#${organizationId}` } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

describe("the shared Meraki budget", () => {
  it("spaces the requests of four functions taking at once as one budget", async () => {
    const table = await freshTable();
    // The clock stands still, so the slots are noted exactly however long moto takes to answer
    // (on a loaded machine a write can outlast a 50 ms slot, which would then be noted as the
    // time its taker asked). The four race for the organisation's item from its first write on.
    const startedAt = Date.now();
    const now = () => startedAt;
    const takers = [1, 2, 3, 4].map(() => taker(table, 20, { now }));
    await Promise.all(
      takers.map(async (t) => {
        for (let i = 0; i < 10; i++) await t.take("111");
      }),
    );
    const sends = takers.flatMap((t) => t.sends).sort((a, b) => a - b);
    // 20 requests/s, no burst: one slot every 50 ms from the first, whichever function took it.
    expect(sends).toEqual(Array.from({ length: 40 }, (_, i) => startedAt + i * 50));
    expect(takers.every((t) => t.warnings.length === 0)).toBe(true);
  });

  it("keeps organisations apart: one's traffic does not slow another's", async () => {
    const table = await freshTable();
    const a = taker(table, 10);
    await Promise.all([a.take("111"), a.take("222"), a.take("333")]);
    expect(Math.max(...a.sends) - Math.min(...a.sends)).toBeLessThan(50);
  });

  it("pauses every function for Retry-After and halves the organisation's rate after a 429", async () => {
    const table = await freshTable();
    const [seenBy, other] = [taker(table, 8), taker(table, 8)];
    await seenBy.take("111");
    const limitedAt = Date.now();
    seenBy.budget.rateLimited("111", 2_000);
    await seenBy.take("111"); // waits for the shared write, then takes its slot after the pause
    await other.take("111");
    expect(other.sends[0]! - limitedAt).toBeGreaterThanOrEqual(2_000);
    expect(Number((await budgetItem(table, "111"))?.rate?.N)).toBe(4);
  });

  it("reserves one slot for a function sending one request after another", async () => {
    const table = await freshTable();
    const t = taker(table, 8);
    await t.take("111");
    const reservedUntil = Number((await budgetItem(table, "111"))?.tat?.N);
    // One slot of 125 ms: had the lease reserved two, the second would go unused while the
    // response took longer than 125 ms, and the organisation would lose it.
    expect(reservedUntil - t.sends[0]!).toBeGreaterThanOrEqual(125);
    expect(reservedUntil - t.sends[0]!).toBeLessThan(250);
  });

  it("reserves one slot for each request waiting at once, as one lease", async () => {
    const table = await freshTable();
    const t = taker(table, 8);
    await Promise.all([t.take("111"), t.take("111")]);
    expect(Number((await budgetItem(table, "111"))?.writes?.N)).toBe(1);
    // Nothing was left over: the next request needs a lease of its own.
    await t.take("111");
    expect(Number((await budgetItem(table, "111"))?.writes?.N)).toBe(2);
  });

  it("gives up a reserved slot left unused past its time instead of sending it late", async () => {
    const table = await freshTable();
    const t = taker(table, 8);
    const abandoned = new AbortController();
    // Two requests wait, so one lease reserves two slots; the second request is called off while
    // the lease is being written, and its slot is left over.
    const leftOver = t.take("111", abandoned.signal);
    const sent = t.take("111");
    abandoned.abort();
    await expect(leftOver).rejects.toThrow();
    await sent;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const beforeSecond = Date.now();
    await t.take("111");
    // A second lease was written, and its slot is now, not the one that fell 275 ms in the past.
    expect(Number((await budgetItem(table, "111"))?.writes?.N)).toBe(2);
    expect(t.sends[1]!).toBeGreaterThanOrEqual(beforeSecond);
  });

  it("falls back to a conservative local share when DynamoDB cannot be reached, and says so once", async () => {
    const t = taker("no-such-table", 8, { endpoint: "http://127.0.0.1:9" });
    for (let i = 0; i < 3; i++) await t.take("111");
    expect(t.budget.degraded).toBe(true);
    expect(t.warnings).toEqual([
      { table: "no-such-table", reason: expect.stringMatching(/ECONNREFUSED|connect/), fallbackShare: 4 },
    ]);
    // A quarter of 8 requests/s: 500 ms apart.
    expect(t.sends[2]! - t.sends[1]!).toBeGreaterThanOrEqual(499);
  });

  it("falls back, too, when the table does not exist (a stack without it, a wrong name)", async () => {
    const t = taker("semaphore-missing-table", 8);
    await t.take("111");
    expect(t.budget.degraded).toBe(true);
    expect(t.warnings[0]?.reason).toMatch(/ResourceNotFoundException/);
  });
});
