// One Meraki budget per organisation, shared by every sweep function through DynamoDB (moto's, on
// loopback), against today's baseline of a bucket per function, in the same run: every kind fired
// at the same instant on a 500-network, 2,000-device organisation against the simulator (on its own
// thread) with Meraki's real 10 requests/s, then the same with another application taking 3 req/s
// of the organisation. Each kind gets a client and a budget of its own, as each is its own Lambda.
//
// Measured: the 429s Semaphore's requests met, the wall time of the whole firing against the bound
// of Semaphore's calls / the rate it may use, records lost by incomplete sweeps against the
// quiet shared run (same windows, same dataset), and how long the shared rate took to settle
// (first to last 429).

import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { createBudgetTable, localDynamoDbClient } from "../../../infra/local/dynamodb/budget-table.js";
import {
  startMerakiSimulatorInWorker,
  type WorkerSimulator,
} from "../../../infra/local/meraki-simulator/index.js";
import { type RunningSecretsManager, startSecretsManager } from "../../../infra/local/secrets/moto-server.js";
import { KINDS, type RegisteredKind } from "../../../shared/kinds/registry.js";
import { LocalBudget, policiesFrom, type RequestBudget } from "../../../shared/meraki/budget.js";
import { abortableSleep } from "../../../shared/meraki/http.js";
import { MerakiClient, SEMAPHORE_USER_AGENT } from "../../../shared/meraki/index.js";
import { SharedBudget } from "../../../shared/meraki/shared-budget.js";
import { InventoryCache } from "../../../shared/sweeps/inventory.js";
import { runSweep } from "../../../shared/sweeps/run-sweep.js";
import { CountingProducer } from "../counting-producer.js";
import type { BenchResult } from "../table.js";
import { BUDGET_PER_SECOND, kindPeriodSeconds } from "./sweeps.js";

const MERAKI_LIMIT_PER_SECOND = 10;
const OTHER_APPLICATION_PER_SECOND = 3;
const OTHER_APPLICATION_USER_AGENT = "OtherCollector/2.0 Elsewhere";
const DATASET = {
  seed: 9,
  organizations: 1,
  networksPerOrg: 500,
  devicesPerOrg: 2000,
  clientsPerNetwork: 12,
};

type BudgetMode = "shared" | "per-function";

interface Firing {
  wallMs: number;
  /** Semaphore's requests (429s and retries included): what it drew from the budget. */
  calls: number;
  rateLimited: number;
  /** ms from the start of the firing to Semaphore's first and last 429. */
  first429Ms?: number;
  last429Ms?: number;
  recordsByKind: Map<string, number>;
  /** Kinds whose sweep failed or skipped organisations. */
  incomplete: string[];
  otherApplication: { sent: number; rateLimited: number };
}

interface FiringContext {
  simulator: WorkerSimulator;
  moto: RunningSecretsManager;
}

export async function budgetRow(): Promise<BenchResult[]> {
  const moto = await startSecretsManager();
  const simulator = await startMerakiSimulatorInWorker(DATASET);
  const context = { simulator, moto };
  try {
    const shared = await fireAllKinds(context, "shared", false);
    const perFunction = await fireAllKinds(context, "per-function", false);
    // The busy firing has no per-function baseline: the quiet one already shows what buckets of
    // their own cost, and a second would add a minute and a half to the run.
    const busy = await fireAllKinds(context, "shared", true);
    return [...quietResults(shared, perFunction), ...busyResults(shared, busy)];
  } finally {
    await simulator.stop();
    await moto.stop();
  }
}

const SCOPE = `all ${KINDS.length} kinds at once, ${DATASET.networksPerOrg} networks / ${DATASET.devicesPerOrg.toLocaleString("en")} devices`;

function quietResults(shared: Firing, perFunction: Firing): BenchResult[] {
  const bound = (shared.calls / BUDGET_PER_SECOND) * 1000;
  return [
    {
      row: "budget",
      measure: `${SCOPE}: 429s from Semaphore's own traffic`,
      value: shared.rateLimited,
      unit: "429s",
      baseline: { label: "a bucket per function", value: perFunction.rateLimited },
      better: "lower",
      target: { text: "0", met: shared.rateLimited === 0 },
    },
    {
      row: "budget",
      measure: `${SCOPE}: wall time, ${shared.calls} calls (per function: ${Math.round(perFunction.wallMs / 1000)} s, ${perFunction.calls} calls)`,
      value: shared.wallMs / 1000,
      unit: "s",
      baseline: { label: `calls / ${BUDGET_PER_SECOND} req/s`, value: bound / 1000 },
      better: "lower",
      target: { text: "within 15% of the bound", met: shared.wallMs <= bound * 1.15 },
    },
  ];
}

function busyResults(reference: Firing, shared: Firing): BenchResult[] {
  const scope = `${SCOPE}, another application at ${OTHER_APPLICATION_PER_SECOND} req/s`;
  const lost = recordsLost(reference, shared);
  const available = Math.min(BUDGET_PER_SECOND, MERAKI_LIMIT_PER_SECOND - OTHER_APPLICATION_PER_SECOND);
  const bound = (shared.calls / available) * 1000;
  const settled =
    shared.first429Ms === undefined || shared.last429Ms === undefined
      ? 0
      : (shared.last429Ms - shared.first429Ms) / 1000;
  return [
    {
      row: "budget",
      measure: `${scope}: 429s Semaphore met (the other application met ${shared.otherApplication.rateLimited} of ${shared.otherApplication.sent})`,
      value: shared.rateLimited,
      unit: "429s",
      better: "lower",
    },
    {
      row: "budget",
      measure: `${scope}: records lost${shared.incomplete.length > 0 ? ` (incomplete: ${shared.incomplete.join(", ")})` : ""}`,
      value: lost,
      unit: "records",
      better: "lower",
      target: { text: "0", met: lost === 0 && shared.incomplete.length === 0 },
    },
    {
      row: "budget",
      measure: `${scope}: first to last 429, the shared rate adapting`,
      value: settled,
      unit: "s",
      better: "lower",
    },
    {
      row: "budget",
      measure: `${scope}: wall time, ${shared.calls} calls`,
      value: shared.wallMs / 1000,
      unit: "s",
      baseline: { label: `calls / ${available} req/s left`, value: bound / 1000 },
      better: "lower",
    },
  ];
}

/**
 * Records a firing's incomplete sweeps (an organisation failed or skipped) did not produce, against
 * the quiet reference. A complete sweep read every page of every organisation and produced all it
 * built, so it lost nothing: a count that still differs from the reference is the organisation
 * having changed between the firings (an alert resolved, a newer sensor reading), not a loss.
 */
function recordsLost(reference: Firing, firing: Firing): number {
  let lost = 0;
  for (const kind of firing.incomplete) {
    lost += Math.max(0, (reference.recordsByKind.get(kind) ?? 0) - (firing.recordsByKind.get(kind) ?? 0));
  }
  return lost;
}

/** Fires every kind at the same instant for one slot of its default schedule. */
async function fireAllKinds(context: FiringContext, mode: BudgetMode, busy: boolean): Promise<Firing> {
  const { simulator } = context;
  // Let the simulator's bucket fill again after the previous firing, as between two periods.
  await sleep(3_000);
  await simulator.resetLog();
  const tableName = mode === "shared" ? await freshTable(context.moto) : undefined;
  const other = busy ? otherApplication(simulator) : undefined;
  const started = performance.now();
  const startedAt = Date.now();
  const outcomes = await Promise.all(
    KINDS.map((kind) => sweepKind(context, kind, budgetFor(context, tableName))),
  );
  const wallMs = performance.now() - started;
  const otherApplicationCounts = (await other?.stop()) ?? { sent: 0, rateLimited: 0 };
  const ours = (await simulator.requests()).filter((r) => r.userAgent === SEMAPHORE_USER_AGENT);
  const limited = ours.filter((r) => r.status === 429).map((r) => r.receivedAt - startedAt);
  return {
    wallMs,
    calls: ours.length,
    rateLimited: limited.length,
    ...(limited.length > 0 ? { first429Ms: Math.min(...limited), last429Ms: Math.max(...limited) } : {}),
    recordsByKind: new Map(outcomes.map((o) => [o.kind, o.records])),
    incomplete: outcomes.filter((o) => !o.complete).map((o) => o.kind),
    otherApplication: otherApplicationCounts,
  };
}

async function freshTable(moto: RunningSecretsManager): Promise<string> {
  const name = `semaphore-bench-budget-${randomUUID().slice(0, 8)}`;
  await createBudgetTable(localDynamoDbClient(moto.endpoint, moto.region), name);
  return name;
}

/** What one function would hold: the shared budget's client, or today's bucket of its own. */
function budgetFor(context: FiringContext, tableName: string | undefined): RequestBudget {
  const policyFor = policiesFrom(BUDGET_PER_SECOND);
  if (tableName === undefined) return new LocalBudget({ policyFor, now: Date.now, sleep: abortableSleep });
  return new SharedBudget({
    client: localDynamoDbClient(context.moto.endpoint, context.moto.region),
    tableName,
    policyFor,
    fallbackShare: KINDS.length,
    sleep: abortableSleep,
  });
}

async function sweepKind(
  context: FiringContext,
  kind: RegisteredKind,
  budget: RequestBudget,
): Promise<{ kind: string; records: number; complete: boolean }> {
  const meraki = new MerakiClient({
    apiKey: context.simulator.apiKey,
    baseUrl: context.simulator.baseUrl,
    budget,
  });
  const producer = new CountingProducer();
  const periodMs = kindPeriodSeconds(kind) * 1000;
  try {
    const summary = await runSweep({
      kind,
      settings: {
        topic: kind.defaultTopic,
        periodSeconds: periodMs / 1000,
        organizationIds: [],
        organizationConcurrency: 1,
      },
      meraki,
      inventory: new InventoryCache({ ttlMs: 3_600_000 }),
      producer,
      // The run's slot on each kind's schedule: every firing of the run sweeps the same windows.
      scheduledTime: new Date(Math.floor(RUN_STARTED_MS / periodMs) * periodMs),
      sweepId: "bench-budget",
    });
    return {
      kind: kind.id,
      records: producer.records,
      complete: summary.organizations.failed.length === 0 && summary.organizations.skipped.length === 0,
    };
  } catch {
    // A failed sweep (every organisation failed, or retries exhausted): what it produced counts.
    return { kind: kind.id, records: producer.records, complete: false };
  }
}

const RUN_STARTED_MS = Date.now();

/**
 * Another application on the same organisation: a steady 3 req/s that takes a 429 as it comes and
 * goes on (as a naive collector does), attributed by its own User-Agent.
 */
function otherApplication(simulator: WorkerSimulator): {
  stop(): Promise<{ sent: number; rateLimited: number }>;
} {
  const organizationId = simulator.dataset.organizations[0]!.id;
  const url = `${simulator.baseUrl}/organizations/${organizationId}/networks?perPage=3`;
  const counts = { sent: 0, rateLimited: 0 };
  let running = true;
  const loop = (async () => {
    const spacingMs = 1000 / OTHER_APPLICATION_PER_SECOND;
    let next = performance.now();
    while (running) {
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${simulator.apiKey}`, "User-Agent": OTHER_APPLICATION_USER_AGENT },
      });
      await response.arrayBuffer();
      counts.sent += 1;
      if (response.status === 429) counts.rateLimited += 1;
      next += spacingMs;
      await sleep(Math.max(0, next - performance.now()));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return counts;
    },
  };
}
