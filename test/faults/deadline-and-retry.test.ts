// Time and retries, on the simulator (answering late), the run's broker and moto: a Lambda time
// budget that runs out in the middle of a sweep, and a sweep process killed while its records are
// being produced. Either way the scheduler's retry sweeps the same slot: every record of the slot
// ends up in the topic, the repeats under the ids they had the first time.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { SweepIncompleteError } from "../../shared/sweeps/errors.js";
import type { ReadRecord } from "../support/kafka-read.js";
import {
  errorOf,
  type FaultSweep,
  faultSweep,
  recordIds,
  SLOT,
  summaryOf,
  untilCount,
} from "./support/harness.js";
import { type LeakWatch, leakWatch } from "./support/leak-watch.js";
import { knownSecrets, MERAKI_KEY } from "./support/secrets.js";
import type { SweepProcessInput } from "./support/sweep-process.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const watch: LeakWatch = leakWatch();
let simulator: RunningSimulator;
const sweeps: FaultSweep[] = [];

beforeAll(async () => {
  watch.start();
  simulator = await startMerakiSimulator({
    seed: 51,
    organizations: 3,
    networksPerOrg: 8,
    devicesPerOrg: 16,
    clientsPerNetwork: 3,
    rateLimitPerSecond: 1_000,
    apiKey: MERAKI_KEY,
  });
});

afterAll(async () => {
  await Promise.all(sweeps.map((sweep) => sweep.close()));
  await simulator?.stop();
  watch.stop();
});

async function sweep(kind: "device-availability" | "network-clients"): Promise<FaultSweep> {
  const created = await faultSweep({
    kind,
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey: MERAKI_KEY,
    // One organisation after the other: each one's records go out as soon as it is done.
    overrides: { organizationConcurrency: 1, merakiRequestsPerSecond: 100, periodSeconds: 900 },
    kafkaSettings: { deliveryTimeoutMs: 1_000 },
    watch,
  });
  sweeps.push(created);
  return created;
}

/** How many times each record id is in the topic. */
function copiesById(records: ReadRecord[]): Map<string, number> {
  const copies = new Map<string, number>();
  for (const id of recordIds(records)) copies.set(id, (copies.get(id) ?? 0) + 1);
  return copies;
}

const clientsInAll = () => [...simulator.dataset.clientsByNetwork.values()].flat().length;

describe("the Lambda time budget running out in the middle of a sweep", () => {
  let target: FaultSweep;
  let incomplete: SweepIncompleteError;
  let firstIds: string[];
  let retriedProduced: number;
  let all: ReadRecord[];

  beforeAll(async () => {
    target = await sweep("network-clients");
    simulator.setFaults({ latencyMs: 150 });
    // 4.5 s left, 3 s of it kept for delivering what was built: Meraki work stops after 1.5 s,
    // about a third of what the slot needs.
    incomplete = errorOf(await target.invoke({ remainingMs: 4_500 })) as SweepIncompleteError;
    firstIds = recordIds(await target.records());
    simulator.setFaults({});
    retriedProduced = summaryOf(await target.invoke()).records.produced;
    all = await target.records();
  }, 60_000);

  it("fails the invocation with what it delivered and what it left undone", () => {
    expect(incomplete).toBeInstanceOf(SweepIncompleteError);
    const { summary } = incomplete;
    expect(summary.records.produced).toBeGreaterThan(0);
    expect(summary.records.produced).toBeLessThan(clientsInAll());
    expect(Object.keys(summary.skipped).length).toBeGreaterThan(0);
    expect(incomplete.message).toMatch(
      new RegExp(
        `^network-clients sweep ran out of time: .* not swept \\(${summary.records.produced} records were delivered\\)`,
      ),
    );
  });

  it("delivered exactly the records it reported", () => {
    expect(firstIds).toHaveLength(incomplete.summary.records.produced);
    expect(new Set(firstIds).size).toBe(firstIds.length);
  });

  it("and the retry sweeps the whole slot: every client once more, the repeats under their first ids", () => {
    expect(retriedProduced).toBe(clientsInAll());
    const copies = copiesById(all);
    expect(copies.size).toBe(clientsInAll());
    expect(
      [...copies]
        .filter(([, n]) => n === 2)
        .map(([id]) => id)
        .sort(),
    ).toEqual([...firstIds].sort());
    expect([...copies.values()].every((n) => n === 1 || n === 2)).toBe(true);
  });
});

describe("the sweep process killed while it produces, and the invocation retried", () => {
  let target: FaultSweep;
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  let output: string;
  let atKill: number;
  let retriedProduced: number;
  let all: ReadRecord[];
  const devices = () => simulator.dataset.devices.length;

  beforeAll(async () => {
    target = await sweep("device-availability");
    simulator.setFaults({ latencyMs: 150 });
    const secrets = inject("secretsManager");
    const input: SweepProcessInput = {
      settings: { ...target.settings, kind: "device-availability" },
      secretsManagerClientOptions: {
        endpoint: secrets.endpoint,
        region: secrets.region,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      },
      event: SLOT,
    };
    const child = spawn(process.execPath, ["--import", "tsx", "test/faults/support/sweep-process.ts"], {
      cwd: root,
      env: { ...process.env, FAULTS_SWEEP: JSON.stringify(input) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = exitOf(child);
    // The first organisation's records are landing; the others are still being swept.
    atKill = await untilCount(target.connection, target.topic, 1);
    child.kill("SIGKILL");
    exit = await exited;
    watch.note("the killed sweep process's output", output);
    simulator.setFaults({});
    atKill = await target.count();
    retriedProduced = summaryOf(await target.invoke({ event: SLOT })).records.produced;
    all = await target.records();
  }, 60_000);

  it("was killed with some of the slot's records in the topic and the rest not built or not sent", () => {
    expect(exit).toEqual({ code: null, signal: "SIGKILL" });
    expect(output).not.toContain('"summary"');
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(devices());
  });

  it("and the retry delivers every record of the slot, those already there again under the same ids", () => {
    expect(retriedProduced).toBe(devices());
    const copies = copiesById(all);
    expect(copies.size).toBe(devices());
    expect([...copies.values()].filter((n) => n === 2)).toHaveLength(atKill);
    expect([...copies.values()].every((n) => n === 1 || n === 2)).toBe(true);
    expect(new Set(all.map((r) => r.key))).toEqual(new Set(simulator.dataset.devices.map((d) => d.serial)));
  });
});

describe("secrets", () => {
  it("no log line, error, summary or process output of these cases shows a secret value", () => {
    for (const seen of ["SweepIncompleteError", "sweep incomplete", '"_aws"'])
      expect(watch.text()).toContain(seen);
    expect(watch.findings(knownSecrets({ "run broker password": inject("kafka").password }))).toEqual([]);
  });
});

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}
