// The simulator on its own thread. In one process a simulated response is rendered on the same
// event loop as the client that asked for it, so the client's paced requests are delayed and then
// leave in bunches: a benchmark measuring pacing against the 10 req/s limit would measure that
// artefact. Here the simulator owns a thread (and, on a 2-core machine, a core) of its own, as the
// Dashboard API owns its servers; the caller talks to it over HTTP like any client, and over a
// message port only to read its request log or change faults.

import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { generateDataset, type SimulatedDataset } from "./dataset.js";
import { datasetOptionsOf, startMerakiSimulator } from "./server.js";
import type { RunningSimulator, SimulatorFaults, SimulatorOptions, SimulatorRequest } from "./types.js";

/** What can cross to a worker: everything but the API clock, which stays real there. */
export type WorkerSimulatorOptions = Omit<SimulatorOptions, "now">;

/** RunningSimulator, with the log read asynchronously because it lives on the other thread. */
export interface WorkerSimulator {
  baseUrl: string;
  apiKey: string;
  dataset: SimulatedDataset;
  requests(): Promise<SimulatorRequest[]>;
  resetLog(): Promise<void>;
  setFaults(faults: SimulatorFaults): Promise<void>;
  stop(): Promise<void>;
}

const WORKER_MARKER = "semaphoreMerakiSimulator";

type Command =
  | { id: number; op: "requests" }
  | { id: number; op: "resetLog" }
  | { id: number; op: "setFaults"; faults: SimulatorFaults }
  | { id: number; op: "stop" };

type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; message: string };

interface Ready {
  ready: { baseUrl: string; apiKey: string };
}

/**
 * Starts the simulator on a worker thread and resolves once it listens.
 *
 * @example
 * const simulator = await startMerakiSimulatorInWorker({ networksPerOrg: 500, devicesPerOrg: 2000 });
 * // ...sweep against simulator.baseUrl...
 * const log = await simulator.requests();
 * await simulator.stop();
 */
export async function startMerakiSimulatorInWorker(
  options: WorkerSimulatorOptions = {},
): Promise<WorkerSimulator> {
  // The worker runs this same module from its .ts source, which needs tsx's loader on that thread:
  // inherited under `npm run bench` (run by tsx), added under vitest (which transforms in-process).
  const execArgv = process.execArgv.some((arg) => arg.includes("tsx"))
    ? process.execArgv
    : [...process.execArgv, "--import", import.meta.resolve("tsx")];
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { [WORKER_MARKER]: options },
    execArgv,
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const ready = await new Promise<Ready["ready"]>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (message: Ready) => {
      worker.off("error", reject);
      resolve(message.ready);
    });
  });
  worker.on("message", (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(`meraki-simulator worker: ${reply.message}`));
  });
  worker.on("error", (error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });
  const call = <T>(command: Omit<Command, "id">): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...command, id });
    });
  return {
    ...ready,
    // Deterministic from the seed and sizes, so the parent's copy is the worker's dataset.
    dataset: generateDataset(datasetOptionsOf(options)),
    requests: () => call<SimulatorRequest[]>({ op: "requests" }),
    resetLog: () => call<void>({ op: "resetLog" }),
    setFaults: (faults) => call<void>({ op: "setFaults", faults } as Omit<Command, "id">),
    stop: async () => {
      await call<void>({ op: "stop" });
      await worker.terminate();
    },
  };
}

async function serveInWorker(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const options = (workerData as Record<typeof WORKER_MARKER, WorkerSimulatorOptions>)[WORKER_MARKER];
  const simulator: RunningSimulator = await startMerakiSimulator(options);
  port.on("message", (command: Command) => {
    const reply = (value?: unknown): void => port.postMessage({ id: command.id, ok: true, value });
    try {
      switch (command.op) {
        case "requests":
          return reply(simulator.requests);
        case "resetLog":
          simulator.resetLog();
          return reply();
        case "setFaults":
          simulator.setFaults(command.faults);
          return reply();
        case "stop":
          simulator.stop().then(
            () => reply(),
            (error: unknown) => port.postMessage({ id: command.id, ok: false, message: String(error) }),
          );
          return;
      }
    } catch (error) {
      port.postMessage({ id: command.id, ok: false, message: String(error) });
    }
  });
  port.postMessage({ ready: { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey } } satisfies Ready);
}

// Only a worker this module started serves: importing it from some other worker does nothing.
if (!isMainThread && typeof workerData === "object" && workerData !== null && WORKER_MARKER in workerData) {
  await serveInWorker();
}
