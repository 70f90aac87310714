// Every kind's sweep of one simulated organisation (1,000 devices of every family in 200
// networks), one window of its default schedule, cold (a Lambda's first invocation: inventory
// fetched) and warm, against the simulator (on its own thread) with Meraki's real 10 requests/s per
// organisation, every sweep drawing from the one organisation budget of the stack's default rate:
// API calls, 429s, records, bytes, and wall time against the bound of calls / budget. For uplinks
// also the seed's per-device approach (N + 2M + 1 serial calls), measured on the same organisation.

import { performance } from "node:perf_hooks";
import { stackConfig } from "../../../infra/config/default.js";
import { ratePeriodSeconds } from "../../../infra/config/schedule.js";
import {
  startMerakiSimulatorInWorker,
  type WorkerSimulator,
} from "../../../infra/local/meraki-simulator/index.js";
import type { TelemetryRecord } from "../../../shared/kafka/record.js";
import type { RegisteredKind } from "../../../shared/kinds/registry.js";
import { KINDS } from "../../../shared/kinds/registry.js";
import { LocalBudget, policiesFrom, type RequestBudget } from "../../../shared/meraki/budget.js";
import { abortableSleep } from "../../../shared/meraki/http.js";
import { MerakiClient } from "../../../shared/meraki/index.js";
import { InventoryCache } from "../../../shared/sweeps/inventory.js";
import { runSweep } from "../../../shared/sweeps/run-sweep.js";
import { CountingProducer } from "../counting-producer.js";
import { seedBaselineSweep } from "../seed-baseline.js";
import type { BenchResult } from "../table.js";

const NETWORKS = 200;
const DEVICES = 1000;
export const BUDGET_PER_SECOND = deployedRequestsPerSecond();

/** Enough real records of every kind for the consumer row's mixed batch. */
const KEPT_PER_KIND = 10_000;

interface SweepMeasure {
  calls: number;
  /** 429s among the calls: at 8 of Meraki's 10 req/s there should be none. */
  rateLimited: number;
  records: number;
  bytes: number;
  wallMs: number;
  sample: TelemetryRecord[];
}

async function sweepOnce(
  simulator: WorkerSimulator,
  kind: RegisteredKind,
  inventory: InventoryCache,
  budget: RequestBudget,
): Promise<SweepMeasure> {
  // A client per sweep, as each kind is its own function, drawing from the one organisation budget
  // the deployed functions share (here in process: the budget row measures the DynamoDB one).
  const meraki = new MerakiClient({ apiKey: simulator.apiKey, baseUrl: simulator.baseUrl, budget });
  const producer = new CountingProducer(KEPT_PER_KIND);
  const periodSeconds = kindPeriodSeconds(kind);
  const periodMs = periodSeconds * 1000;
  await simulator.resetLog();
  const started = performance.now();
  await runSweep({
    kind,
    settings: {
      topic: kind.defaultTopic,
      periodSeconds,
      organizationIds: [],
      organizationConcurrency: 1,
    },
    meraki,
    inventory,
    producer,
    // The kind's last slot on its default schedule: one sweep of the period it is deployed with.
    scheduledTime: new Date(Math.floor(Date.now() / periodMs) * periodMs),
    sweepId: "bench",
  });
  const wallMs = performance.now() - started;
  const requests = await simulator.requests();
  const failed = requests.filter((r) => r.status !== 200 && r.status !== 429);
  if (failed.length > 0)
    throw new Error(
      `${kind.id}: ${failed.length} request(s) failed, first ${failed[0]?.status} ${failed[0]?.path}`,
    );
  return {
    calls: requests.length,
    rateLimited: requests.filter((r) => r.status === 429).length,
    records: producer.records,
    bytes: producer.bytes,
    wallMs,
    sample: producer.kept,
  };
}

export interface SweepsRow {
  results: BenchResult[];
  /** Records each kind's real sweep produced (up to KEPT_PER_KIND each), for the consumer row. */
  samples: Map<string, TelemetryRecord[]>;
}

export async function sweepsRow(): Promise<SweepsRow> {
  const simulator = await startMerakiSimulatorInWorker(DATASET);
  const results: BenchResult[] = [];
  const samples = new Map<string, TelemetryRecord[]>();
  try {
    const budget = organizationBudget();
    for (const kind of KINDS) {
      const inventory = new InventoryCache({ ttlMs: 3_600_000 });
      const cold = await sweepOnce(simulator, kind, inventory, budget);
      const warm = await sweepOnce(simulator, kind, inventory, budget);
      samples.set(kind.id, cold.sample);
      const boundMs = (cold.calls / BUDGET_PER_SECOND) * 1000;
      results.push({
        row: "sweeps",
        measure: `${kind.id}: cold sweep, ${cold.calls} calls (warm ${warm.calls}, ${cold.rateLimited} 429s), ${cold.records.toLocaleString("en")} records, ${Math.round(cold.bytes / 1024)} KiB`,
        value: cold.wallMs / 1000,
        unit: "s",
        baseline: { label: `calls / ${BUDGET_PER_SECOND} req/s`, value: boundMs / 1000 },
        better: "lower",
        target: { text: "within 15% of the bound", met: cold.wallMs <= boundMs * 1.15 + 250 },
      });
    }
  } finally {
    await simulator.stop();
  }
  const uplinks = KINDS.find((kind) => kind.id === "uplink-loss-latency");
  if (uplinks !== undefined) results.push(await seedComparison(uplinks));
  return { results, samples };
}

function deployedRequestsPerSecond(): number {
  const rate = stackConfig.meraki?.requestsPerSecond;
  if (rate === undefined) throw new Error("infra/config/default.ts sets no meraki.requestsPerSecond");
  return rate;
}

/** The window of one sweep on the kind's default schedule (every default is a rate()). */
export function kindPeriodSeconds(kind: RegisteredKind): number {
  const period = ratePeriodSeconds(kind.deployment.schedule);
  if (period === undefined)
    throw new Error(`${kind.id}: default schedule ${kind.deployment.schedule} is not a rate()`);
  return period;
}

/** The organisation's one budget, as every sweep function shares it (the defaults of the stack). */
export function organizationBudget(): RequestBudget {
  return new LocalBudget({
    policyFor: policiesFrom(BUDGET_PER_SECOND),
    now: Date.now,
    sleep: abortableSleep,
  });
}

const DATASET = {
  seed: 42,
  organizations: 1,
  networksPerOrg: NETWORKS,
  devicesPerOrg: DEVICES,
  clientsPerNetwork: 12,
};

/**
 * The seed's uplink sweep against Semaphore's warm one, in API calls. The seed sends one request
 * after another without pacing, so against Meraki's limit it would end at its first 429: this
 * comparison runs with the limit out of the way, on the same dataset.
 */
async function seedComparison(uplinks: RegisteredKind): Promise<BenchResult> {
  const simulator = await startMerakiSimulatorInWorker({ ...DATASET, rateLimitPerSecond: 100_000 });
  try {
    return await compareWithSeed(simulator, uplinks);
  } finally {
    await simulator.stop();
  }
}

async function compareWithSeed(simulator: WorkerSimulator, uplinks: RegisteredKind): Promise<BenchResult> {
  const organization = simulator.dataset.organizations[0]!;
  const inventory = new InventoryCache({ ttlMs: 3_600_000 });
  const budget = organizationBudget();
  await sweepOnce(simulator, uplinks, inventory, budget);
  const warm = await sweepOnce(simulator, uplinks, inventory, budget);
  await simulator.resetLog();
  const end = new Date(Math.floor((Date.now() - 180_000) / 300_000) * 300_000);
  await seedBaselineSweep({
    baseUrl: simulator.baseUrl,
    apiKey: simulator.apiKey,
    organizationId: organization.id,
    window: { start: new Date(end.getTime() - 300_000).toISOString(), end: end.toISOString() },
  });
  return {
    row: "sweeps",
    measure: "uplink-loss-latency: API calls per warm sweep",
    value: warm.calls,
    unit: "calls",
    baseline: { label: "seed, per network and MX uplink", value: (await simulator.requests()).length },
    better: "lower",
  };
}
