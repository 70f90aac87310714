// Ctrl-C on `npm start` stops the whole local pipeline: the processes it started (the Kafka
// broker's JVM, moto, the watchdogs that would kill them if it died) end with it; the Meraki
// simulator, which runs in its own process, ends with that process. Nothing is left running.
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { jsonLines } from "./support/cli.js";
import { type RunningLocalRuntime, startLocalRuntime } from "./support/local-runtime.js";
import { commandLine, listenersOn, stillRunning } from "./support/processes.js";

let running: RunningLocalRuntime | undefined;

afterEach(() => {
  // A failed test must not leave the pipeline behind for the next one.
  const child = running?.child;
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  running = undefined;
});

/** What it started, by what each one is: the broker's JVM, moto, and their watchdogs among them. */
function kinds(pids: number[]): string[] {
  const commands = pids.map(commandLine);
  return [
    ...(commands.some((c) => /^java .*kafka\.Kafka/.test(c)) ? ["kafka broker"] : []),
    ...(commands.some((c) => c.includes("moto_server")) ? ["moto"] : []),
    ...(commands.some((c) => c.includes("kafka-watchdog")) ? ["broker watchdog"] : []),
    ...(commands.some((c) => c.includes("moto-watchdog")) ? ["moto watchdog"] : []),
  ];
}

/** Where its broker and its simulator listened, from its "pipeline ready" line. */
function addresses(stdout: string): string[] {
  const ready = jsonLines(stdout).find((line) => line.message === "pipeline ready") as {
    kafka: string;
    meraki: string;
  };
  return [ready.kafka, new URL(ready.meraki.replace(/^simulator at /, "")).host];
}

function portOf(address: string): number {
  return Number(address.split(":").pop());
}

/** Whether something accepts connections at host:port (a refused connection answers at once). */
function accepting(address: string): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(":")), Number(address.split(":").pop())];
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("npm start, stopped with Ctrl-C", () => {
  it("as a terminal sends it (SIGINT to the foreground process group, npm start's tsx among it), leaves no process behind", async () => {
    running = await startLocalRuntime({ launcher: "tsx" });
    const started = running.started();
    expect(kinds(started)).toEqual(["kafka broker", "moto", "broker watchdog", "moto watchdog"]);
    process.kill(-running.child.pid!, "SIGINT");
    const exit = await running.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(stillRunning(started)).toEqual([]);
  }, 120_000);

  it("closes the broker's and the simulator's ports with it", async () => {
    running = await startLocalRuntime({ launcher: "tsx" });
    const ours = [running.child.pid!, ...running.started()];
    process.kill(-running.child.pid!, "SIGINT");
    const exit = await running.exited;
    const [broker, simulator] = addresses(exit.stdout);
    // Tests in parallel start brokers and simulators on free ports: one may have taken a port
    // just released. What must be gone is a listener of the pipeline's own processes.
    const leftOpen = async (address: string) =>
      (await accepting(address)) && listenersOn(portOf(address)).some((pid) => ours.includes(pid));
    expect({ broker: await leftOpen(broker!), simulator: await leftOpen(simulator!) }).toEqual({
      broker: false,
      simulator: false,
    });
  }, 120_000);

  it("sent to its process alone (kill -INT <pid>), leaves no process behind either", async () => {
    running = await startLocalRuntime({ launcher: "node" });
    const started = running.started();
    expect(kinds(started)).toEqual(["kafka broker", "moto", "broker watchdog", "moto watchdog"]);
    running.child.kill("SIGINT");
    const exit = await running.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(stillRunning(started)).toEqual([]);
  }, 120_000);
});
