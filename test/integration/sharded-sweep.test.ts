// The clients sweep split into shards, run by the real handler against the simulator, drawing
// from the shared budget on moto's DynamoDB and producing to the broker: the shards of one slot,
// run side by side as their schedules invoke them, call every network exactly once between them,
// and produce exactly the records (ids and keys) one unsharded sweep of the slot produces.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  budgetItems,
  createBudgetTable,
  localDynamoDbClient,
} from "../../infra/local/dynamodb/budget-table.js";
import { lambdaContext } from "../../infra/local/lambda-context.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { shardEventFields } from "../../shared/handlers/sweep-event.js";
import { createSweepHandler, type SweepHandler } from "../../shared/handlers/sweep-handler.js";
import type { SweepSummary } from "../../shared/sweeps/run-sweep.js";
import { shardOfNetwork } from "../../shared/sweeps/shard.js";
import { type ReadRecord, readRecords } from "../support/kafka-read.js";
import { type SweepFixture, sweepFixture } from "../support/sweep-fixture.js";

const NETWORKS = 40;
const SHARDS = 3;

let simulator: RunningSimulator;
const handlers: SweepHandler[] = [];
const scheduledTime = new Date(Math.floor((Date.now() - 60_000) / 300_000) * 300_000).toISOString();

/** A fresh budget table on moto's DynamoDB, for the functions of one run to share. */
async function budgetTable(): Promise<string> {
  const moto = inject("secretsManager");
  const tableName = `semaphore-test-budget-${randomUUID().slice(0, 8)}`;
  await createBudgetTable(localDynamoDbClient(moto.endpoint, moto.region), tableName);
  return tableName;
}

/** A handler as one Lambda execution environment of the clients sweep would run it. */
async function clientsSweep(
  budget: { tableName: string; fallbackShare: number },
  topic?: string,
): Promise<{ fixture: SweepFixture; handler: SweepHandler }> {
  const fixture = await sweepFixture({
    kind: "network-clients",
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey: simulator.apiKey,
    overrides: {
      merakiRequestsPerSecond: 10,
      merakiBudget: budget,
      ...(topic === undefined ? {} : { topic }),
    },
  });
  const handler = createSweepHandler(fixture.settings, {
    secretsManagerClientOptions: fixture.secretsManagerClientOptions,
    dynamoDbClientOptions: fixture.secretsManagerClientOptions,
  });
  handlers.push(handler);
  return { fixture, handler };
}

const networkOf = (path: string) => /^\/networks\/([^/]+)\/clients$/.exec(path)?.[1];

beforeAll(async () => {
  simulator = await startMerakiSimulator({
    seed: 7,
    organizations: 1,
    networksPerOrg: NETWORKS,
    devicesPerOrg: NETWORKS * 2,
    clientsPerNetwork: 5,
    rateLimitPerSecond: 50,
  });
});

afterAll(async () => {
  await Promise.all(handlers.map((h) => h.close()));
  await simulator.stop();
});

describe("network-clients in three shards", () => {
  let whole: { summary: SweepSummary; records: ReadRecord[]; networks: string[] };
  let shards: Array<{ summary: SweepSummary; records: ReadRecord[]; networks: string[] }>;
  let shardsBudget: string;

  beforeAll(async () => {
    const unsharded = await clientsSweep({ tableName: await budgetTable(), fallbackShare: 1 });
    simulator.resetLog();
    // A hand-invoked event without "shard": every network, as before shards existed.
    const summary = await unsharded.handler({ scheduledTime }, lambdaContext("clients"));
    whole = {
      summary,
      records: await readRecords(inject("kafka"), unsharded.fixture.settings.topic, summary.records.produced),
      networks: simulator.requests.map((r) => networkOf(r.path)).filter((id) => id !== undefined),
    };

    // One environment per shard, all invoked at once for the same slot, sharing one budget and
    // producing to one topic.
    shardsBudget = await budgetTable();
    const budget = { tableName: shardsBudget, fallbackShare: SHARDS };
    const first = await clientsSweep(budget);
    const topic = first.fixture.settings.topic;
    const environments = [first];
    while (environments.length < SHARDS) environments.push(await clientsSweep(budget, topic));
    simulator.resetLog();
    const summaries = await Promise.all(
      environments.map(({ handler }, index) =>
        handler(
          { scheduledTime, ...shardEventFields({ index, count: SHARDS }) },
          lambdaContext(`clients-shard-${index}`),
        ),
      ),
    );
    const total = summaries.reduce((sum, s) => sum + s.records.produced, 0);
    const records = await readRecords(inject("kafka"), topic, total);
    const calls = simulator.requests.filter((r) => networkOf(r.path) !== undefined);
    shards = summaries.map((summary, index) => {
      const networks = calls
        .map((r) => networkOf(r.path)!)
        .filter((id) => shardOfNetwork(id, SHARDS) === index);
      const ids = new Set(networks);
      return {
        summary,
        networks,
        records: records.filter((r) => ids.has(r.key!.split(":")[0]!)),
      };
    });
    // Every call of the sharded run belongs to one of the shards.
    expect(shards.reduce((sum, shard) => sum + shard.networks.length, 0)).toBe(calls.length);
  }, 120_000);

  it("calls every network of the organisation exactly once between the shards", () => {
    const all = simulator.dataset.networks.map((network) => network.id).sort();
    expect([...whole.networks].sort()).toEqual(all);
    const called = shards.flatMap((shard) => shard.networks);
    expect([...called].sort()).toEqual(all);
    expect(new Set(called).size).toBe(NETWORKS);
  });

  it("gives each shard a part of the networks, and says which shard it swept", () => {
    for (const [index, shard] of shards.entries()) {
      expect(shard.summary.shard).toEqual({ index, count: SHARDS });
      expect(shard.networks.length).toBeGreaterThan(0);
      expect(shard.networks.length).toBeLessThan(NETWORKS);
      expect(shard.summary.records.produced).toBe(shard.records.length);
      expect(shard.summary.organizations).toEqual({ swept: 1, failed: [], skipped: [] });
    }
    expect(whole.summary.shard).toBeUndefined();
  });

  it("produces, between the shards, exactly the records of the unsharded sweep: same ids, same keys", () => {
    const identity = (records: ReadRecord[]) =>
      records.map((r) => `${r.key} ${r.headers["record-id"]}`).sort();
    const sharded = shards.flatMap((shard) => shard.records);
    expect(sharded.length).toBe(whole.records.length);
    expect(identity(sharded)).toEqual(identity(whole.records));
    expect(shards.map((shard) => shard.summary.window)).toEqual(Array(SHARDS).fill(whole.summary.window));
  });

  it("draws every shard's calls from the organisation's one budget item", async () => {
    const moto = inject("secretsManager");
    const items = await budgetItems(localDynamoDbClient(moto.endpoint, moto.region), shardsBudget);
    const organizationId = simulator.dataset.organizations[0]!.id;
    const organization = items.filter((item) => item.pk.endsWith(`#${organizationId}`));
    expect(organization).toHaveLength(1);
    expect(organization[0]!.ratePerSecond).toBe(10);
    // Leases of a few slots at a time for 40 client calls and the network list, by three functions.
    expect(organization[0]!.writes).toBeGreaterThanOrEqual(Math.ceil((NETWORKS + 1) / 3));
  });

  it("refuses a shard for a kind whose calls are organisation-wide, before any Meraki call", async () => {
    const fixture = await sweepFixture({
      kind: "device-availability",
      merakiBaseUrl: simulator.baseUrl,
      merakiApiKey: simulator.apiKey,
    });
    const handler = createSweepHandler(fixture.settings, {
      secretsManagerClientOptions: fixture.secretsManagerClientOptions,
    });
    handlers.push(handler);
    simulator.resetLog();
    await expect(
      handler({ scheduledTime, shard: 0, shards: 2 }, lambdaContext("availability-shard")),
    ).rejects.toThrow(
      'device-availability makes organisation-wide calls and is not split into shards: invoke it without "shard" ' +
        'and "shards"',
    );
    expect(simulator.requests).toEqual([]);
  });
});
