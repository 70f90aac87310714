// Organisations of any size: the per-network clients sweep at the organisation's budget, against
// the simulator (on its own thread) with Meraki's real 10 requests/s.
//
//   2,000 networks with 100 clients each (200,000 clients) in one invocation: wall time against
//   the bound of calls / budget.
//   10,000 networks in 10 shards taking turns in a 30-minute period: the largest shard is swept for
//   real (cold, as a Lambda's first invocation), and the period in which every network is covered
//   is the last shard's turn plus its calls at the rate that sweep achieved, against the period.

import { performance } from "node:perf_hooks";
import { shardTurnSeconds, sweepShards } from "../../../infra/config/schedule.js";
import {
  startMerakiSimulatorInWorker,
  type WorkerSimulator,
} from "../../../infra/local/meraki-simulator/index.js";
import { KINDS, type RegisteredKind } from "../../../shared/kinds/registry.js";
import { MerakiClient, SEMAPHORE_USER_AGENT } from "../../../shared/meraki/index.js";
import { InventoryCache } from "../../../shared/sweeps/inventory.js";
import { runSweep } from "../../../shared/sweeps/run-sweep.js";
import { type Shard, shardOfNetwork } from "../../../shared/sweeps/shard.js";
import { runInChild, serveInChild } from "../child-row.js";
import { CountingProducer } from "../counting-producer.js";
import type { BenchResult } from "../table.js";
import { BUDGET_PER_SECOND, kindPeriodSeconds, organizationBudget } from "./sweeps.js";

const CLIENTS_KIND = "network-clients";

const CHILD = "scale";

/**
 * In a process of its own: beside the sweeps and budget rows, on one event loop, its parsing of
 * 100-client pages held their paced requests back (the clients sweep ran 17% over its bound).
 */
export function scaleRow(): Promise<BenchResult[]> {
  return runInChild<BenchResult[]>(import.meta.filename, CHILD);
}

async function measureScale(): Promise<BenchResult[]> {
  const kind = KINDS.find((k) => k.id === CLIENTS_KIND);
  if (kind === undefined) throw new Error(`bench scale: no kind ${CLIENTS_KIND} in the registry`);
  // Two organisations on two simulator threads: paced by their limits, they run side by side.
  return Promise.all([oneInvocation(kind), shardsTakingTurns(kind)]);
}

async function oneInvocation(kind: RegisteredKind): Promise<BenchResult> {
  const simulator = await startMerakiSimulatorInWorker({
    seed: 11,
    organizations: 1,
    networksPerOrg: 2_000,
    devicesPerOrg: 4_000,
    clientsPerNetwork: 100,
  });
  try {
    const sweep = await sweepClients(simulator, kind, kindPeriodSeconds(kind), undefined);
    const bound = (sweep.calls / BUDGET_PER_SECOND) * 1000;
    return {
      row: "scale",
      measure: `${CLIENTS_KIND}: 2,000 networks / 200,000 clients in one invocation (${sweep.records.toLocaleString("en")} records), ${sweep.calls} calls, ${sweep.rateLimited} 429s`,
      value: sweep.wallMs / 1000,
      unit: "s",
      baseline: { label: `calls / ${BUDGET_PER_SECOND} req/s`, value: bound / 1000 },
      better: "lower",
      target: { text: "within 15% of the bound", met: sweep.wallMs <= bound * 1.15 },
    };
  } finally {
    await simulator.stop();
  }
}

const SHARDED = { networks: 10_000, shards: 10, periodSeconds: 1800 };

async function shardsTakingTurns(kind: RegisteredKind): Promise<BenchResult> {
  const simulator = await startMerakiSimulatorInWorker({
    seed: 12,
    organizations: 1,
    networksPerOrg: SHARDED.networks,
    devicesPerOrg: 20_000,
    clientsPerNetwork: 20,
  });
  try {
    const shards = sweepShards(SHARDED.shards) as Shard[];
    const sizes = shards.map(
      (shard) =>
        simulator.dataset.networks.filter((n) => shardOfNetwork(n.id, shard.count) === shard.index).length,
    );
    if (sizes.reduce((sum, n) => sum + n, 0) !== SHARDED.networks) {
      throw new Error(`bench scale: the shards hold ${sizes.join(" + ")} networks, not ${SHARDED.networks}`);
    }
    const largest = sizes.indexOf(Math.max(...sizes));
    const sweep = await sweepClients(simulator, kind, SHARDED.periodSeconds, shards[largest]);
    const callsPerSecond = (sweep.calls / sweep.wallMs) * 1000;
    // Every shard's turn, then its calls (its networks and the cold inventory's pages, measured
    // above as the calls beyond its networks) at the achieved rate: the last to finish covers all.
    const inventoryCalls = sweep.calls - sizes[largest]!;
    const coveredSeconds = Math.max(
      ...shards.map(
        (shard, i) =>
          shardTurnSeconds(SHARDED.periodSeconds, shard) + (sizes[i]! + inventoryCalls) / callsPerSecond,
      ),
    );
    return {
      row: "scale",
      measure:
        `${CLIENTS_KIND}: ${SHARDED.networks.toLocaleString("en")} networks in ${SHARDED.shards} shards taking turns ` +
        `(${sizes.join("/")} networks): every network covered within; largest shard swept in ` +
        `${Math.round(sweep.wallMs / 1000)} s, ${sweep.calls} calls, ${sweep.rateLimited} 429s`,
      value: coveredSeconds,
      unit: "s",
      baseline: { label: "the period, rate(30 minutes)", value: SHARDED.periodSeconds },
      better: "lower",
      target: { text: "within the period", met: coveredSeconds <= SHARDED.periodSeconds },
    };
  } finally {
    await simulator.stop();
  }
}

async function sweepClients(
  simulator: WorkerSimulator,
  kind: RegisteredKind,
  periodSeconds: number,
  shard: Shard | undefined,
) {
  const meraki = new MerakiClient({
    apiKey: simulator.apiKey,
    baseUrl: simulator.baseUrl,
    budget: organizationBudget(),
  });
  const producer = new CountingProducer();
  const periodMs = periodSeconds * 1000;
  await simulator.resetLog();
  const started = performance.now();
  await runSweep({
    kind,
    settings: { topic: kind.defaultTopic, periodSeconds, organizationIds: [], organizationConcurrency: 1 },
    meraki,
    inventory: new InventoryCache({ ttlMs: 3_600_000 }),
    producer,
    scheduledTime: new Date(Math.floor(Date.now() / periodMs) * periodMs),
    sweepId: "bench-scale",
    ...(shard ? { shard } : {}),
  });
  const wallMs = performance.now() - started;
  const ours = (await simulator.requests()).filter((r) => r.userAgent === SEMAPHORE_USER_AGENT);
  return {
    wallMs,
    calls: ours.length,
    rateLimited: ours.filter((r) => r.status === 429).length,
    records: producer.records,
  };
}

await serveInChild(CHILD, measureScale);
