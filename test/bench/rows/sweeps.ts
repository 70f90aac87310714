// Every kind's sweep of one simulated organisation (1,000 devices of every family in 200
// networks), cold (a Lambda's first invocation: inventory fetched) and warm, against the simulator
// with Meraki's real 10 requests/s per organisation and the client at its default budget of 8: API
// calls, records, bytes, and wall time against the bound of calls / budget. For uplinks also the
// seed's per-device approach (N + 2M + 1 serial calls), measured on the same organisation.

import { performance } from "node:perf_hooks";
import { type RunningSimulator, startMerakiSimulator } from "../../../infra/local/meraki-simulator/index.js";
import type { ProduceResult, RecordProducer } from "../../../shared/kafka/producer.js";
import type { TelemetryRecord } from "../../../shared/kafka/record.js";
import type { RegisteredKind } from "../../../shared/kinds/registry.js";
import { KINDS } from "../../../shared/kinds/registry.js";
import { MerakiClient } from "../../../shared/meraki/index.js";
import { InventoryCache } from "../../../shared/sweeps/inventory.js";
import { runSweep } from "../../../shared/sweeps/run-sweep.js";
import { seedBaselineSweep } from "../seed-baseline.js";
import type { BenchResult } from "../table.js";

const NETWORKS = 200;
const DEVICES = 1000;
const BUDGET_PER_SECOND = 8;

/** Counts what a sweep produced instead of sending it (this row measures the Meraki side), keeping a sample. */
class CountingProducer implements RecordProducer {
  records = 0;
  bytes = 0;
  readonly kept: TelemetryRecord[] = [];
  async produce(records: TelemetryRecord[]): Promise<ProduceResult> {
    let bytes = 0;
    for (const record of records) {
      bytes += Buffer.byteLength(record.value);
      if (this.kept.length < KEPT_PER_KIND) this.kept.push(record);
    }
    this.records += records.length;
    this.bytes += bytes;
    return { delivered: records.length, bytes };
  }
}

/** Enough real records of every kind for the consumer row's mixed batch. */
const KEPT_PER_KIND = 10_000;

interface SweepMeasure {
  calls: number;
  records: number;
  bytes: number;
  wallMs: number;
  sample: TelemetryRecord[];
}

async function sweepOnce(
  simulator: RunningSimulator,
  kind: RegisteredKind,
  inventory: InventoryCache,
): Promise<SweepMeasure> {
  const meraki = new MerakiClient({
    apiKey: simulator.apiKey,
    baseUrl: simulator.baseUrl,
    requestsPerSecond: BUDGET_PER_SECOND,
  });
  const producer = new CountingProducer();
  const periodMs = 3_600_000;
  simulator.resetLog();
  const started = performance.now();
  await runSweep({
    kind,
    settings: {
      topic: kind.defaultTopic,
      periodSeconds: 3600,
      organizationIds: [],
      organizationConcurrency: 1,
    },
    meraki,
    inventory,
    producer,
    // A slot safely in the past, so every kind's window has ended and its data delay passed.
    scheduledTime: new Date(Math.floor((Date.now() - 600_000) / periodMs) * periodMs),
    sweepId: "bench",
  });
  const wallMs = performance.now() - started;
  const failed = simulator.requests.filter((r) => r.status !== 200);
  if (failed.length > 0)
    throw new Error(
      `${kind.id}: ${failed.length} request(s) failed, first ${failed[0]?.status} ${failed[0]?.path}`,
    );
  return {
    calls: simulator.requests.length,
    records: producer.records,
    bytes: producer.bytes,
    wallMs,
    sample: producer.kept,
  };
}

export interface SweepsRow {
  results: BenchResult[];
  table: SweepTableRow[];
  /** Records each kind's real sweep produced (up to KEPT_PER_KIND each), for the consumer row. */
  samples: Map<string, TelemetryRecord[]>;
}

export async function sweepsRow(): Promise<SweepsRow> {
  const simulator = await startMerakiSimulator(DATASET);
  const results: BenchResult[] = [];
  const table: SweepTableRow[] = [];
  const samples = new Map<string, TelemetryRecord[]>();
  try {
    for (const kind of KINDS) {
      const inventory = new InventoryCache({ ttlMs: 3_600_000 });
      const cold = await sweepOnce(simulator, kind, inventory);
      const warm = await sweepOnce(simulator, kind, inventory);
      samples.set(kind.id, cold.sample);
      const boundMs = (cold.calls / BUDGET_PER_SECOND) * 1000;
      table.push({
        kind: kind.id,
        coldCalls: cold.calls,
        warmCalls: warm.calls,
        records: cold.records,
        bytes: cold.bytes,
        wallMs: cold.wallMs,
      });
      results.push({
        row: "sweeps",
        measure: `${kind.id}: cold sweep, ${cold.calls} calls (warm ${warm.calls}), ${cold.records.toLocaleString("en")} records, ${Math.round(cold.bytes / 1024)} KiB`,
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
  return { results, table, samples };
}

const DATASET = {
  seed: 42,
  organizations: 1,
  networksPerOrg: NETWORKS,
  devicesPerOrg: DEVICES,
  clientsPerNetwork: 12,
};

export interface SweepTableRow {
  kind: string;
  coldCalls: number;
  warmCalls: number;
  records: number;
  bytes: number;
  wallMs: number;
}

/**
 * The seed's uplink sweep against Semaphore's warm one, in API calls. The seed sends one request
 * after another without pacing, so against Meraki's limit it would end at its first 429: this
 * comparison runs with the limit out of the way, on the same dataset.
 */
async function seedComparison(uplinks: RegisteredKind): Promise<BenchResult> {
  const simulator = await startMerakiSimulator({ ...DATASET, rateLimitPerSecond: 100_000 });
  try {
    return await compareWithSeed(simulator, uplinks);
  } finally {
    await simulator.stop();
  }
}

async function compareWithSeed(simulator: RunningSimulator, uplinks: RegisteredKind): Promise<BenchResult> {
  const organization = simulator.dataset.organizations[0]!;
  const inventory = new InventoryCache({ ttlMs: 3_600_000 });
  await sweepOnce(simulator, uplinks, inventory);
  const warm = await sweepOnce(simulator, uplinks, inventory);
  simulator.resetLog();
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
    baseline: { label: "seed, per network and MX uplink", value: simulator.requests.length },
    better: "lower",
  };
}
