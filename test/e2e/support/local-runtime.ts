/**
 * `npm start` in its long-running mode, as a process of its own: started, awaited until its pipeline
 * is up, and watched for the processes it starts (the broker JVM, moto, their watchdogs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./cli.js";
import { descendants, watchDescendants } from "./processes.js";

/** The line the pipeline logs once every sweep is scheduled: from then on it runs until stopped. */
export const READY_MESSAGE = "sweeps scheduled; Ctrl-C stops the pipeline";

export interface RunningLocalRuntime {
  child: ChildProcess;
  /**
   * Every process it started (and its children's), read from /proc from its start until this call,
   * which ends the watch: call it just before stopping it.
   */
  started(): number[];
  /** Settles with the exit code (or signal) once it is gone, and its output. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export interface LocalRuntimeOptions {
  /**
   * `tsx`: through the tsx command, as `npm start` runs it (scripts/run.sh), in a process group of
   * its own, as a shell starts a foreground job; `node`: node with tsx's loader, one process.
   */
  launcher: "tsx" | "node";
}

/**
 * Starts the local pipeline on a small simulated organisation and resolves once it logged that its
 * sweeps are scheduled; rejects, with its output, if it exits before.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<RunningLocalRuntime> {
  const args = ["infra/local/main.ts", "--json", "--devices", "30", "--networks", "3"];
  const child = spawn(
    process.execPath,
    options.launcher === "tsx"
      ? [join(ROOT, "node_modules/tsx/dist/cli.mjs"), ...args]
      : ["--import", "tsx", ...args],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        // A session directory of its own: the tools of other suites must not find this pipeline.
        SEMAPHORE_RUN_DIR: mkdtempSync(join(tmpdir(), "semaphore-start-run-")),
        UV_THREADPOOL_SIZE: "64",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: options.launcher === "tsx",
    },
  );
  const watch = watchDescendants(child.pid!);
  let stdout = "";
  let stderr = "";
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes(`"message":"${READY_MESSAGE}"`)) ready();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  const early = exited.then(({ code, signal }) => {
    throw new Error(
      `npm start exited (${code ?? signal}) before it was up:\n${stderr.slice(-2000)}\n${stdout.slice(-2000)}`,
    );
  });
  early.catch(() => undefined); // once it is up, its exit is the caller's to await
  try {
    await Promise.race([isReady, early]);
  } catch (error) {
    watch.stop();
    throw error;
  }
  return {
    child,
    started: () => [...new Set([...watch.stop(), ...descendants(child.pid!)])],
    exited,
  };
}
