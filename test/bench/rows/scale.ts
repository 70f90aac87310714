// Organisations of any size: the per-network clients sweep at the organisation's budget, against
// the simulator (on its own thread) with Meraki's real 10 requests/s. 2,000 networks with 100
// clients each (200,000 clients) in one invocation: wall time against the bound of calls / budget.

import { performance } from "node:perf_hooks";
import {
  startMerakiSimulatorInWorker,
  type WorkerSimulator,
} from "../../../infra/local/meraki-simulator/index.js";
import { KINDS, type RegisteredKind } from "../../../shared/kinds/registry.js";
import { MerakiClient, SEMAPHORE_USER_AGENT } from "../../../shared/meraki/index.js";
import { InventoryCache } from "../../../shared/sweeps/inventory.js";
import { runSweep } from "../../../shared/sweeps/run-sweep.js";
import { CountingProducer } from "../counting-producer.js";
import type { BenchResult } from "../table.js";
import { BUDGET_PER_SECOND, kindPeriodSeconds, organizationBudget } from "./sweeps.js";

const CLIENTS_KIND = "network-clients";

export async function scaleRow(): Promise<BenchResult[]> {
  const kind = KINDS.find((k) => k.id === CLIENTS_KIND);
  if (kind === undefined) throw new Error(`bench scale: no kind ${CLIENTS_KIND} in the registry`);
  const simulator = await startMerakiSimulatorInWorker({
    seed: 11,
    organizations: 1,
    networksPerOrg: 2_000,
    devicesPerOrg: 4_000,
    clientsPerNetwork: 100,
  });
  try {
    const sweep = await sweepClients(simulator, kind);
    const bound = (sweep.calls / BUDGET_PER_SECOND) * 1000;
    return [
      {
        row: "scale",
        measure: `${CLIENTS_KIND}: 2,000 networks / 200,000 clients in one invocation (${sweep.records.toLocaleString("en")} records), ${sweep.calls} calls, ${sweep.rateLimited} 429s`,
        value: sweep.wallMs / 1000,
        unit: "s",
        baseline: { label: `calls / ${BUDGET_PER_SECOND} req/s`, value: bound / 1000 },
        better: "lower",
        target: { text: "within 15% of the bound", met: sweep.wallMs <= bound * 1.15 },
      },
    ];
  } finally {
    await simulator.stop();
  }
}

async function sweepClients(simulator: WorkerSimulator, kind: RegisteredKind) {
  const meraki = new MerakiClient({
    apiKey: simulator.apiKey,
    baseUrl: simulator.baseUrl,
    budget: organizationBudget(),
  });
  const producer = new CountingProducer();
  const periodSeconds = kindPeriodSeconds(kind);
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
