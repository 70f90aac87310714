// A bench row, or part of one, measured in a Node process of its own: its own heap, so memory and
// GC are its alone, and its own event loop, so its timers never wait on another row's work (two
// rows sharing a loop delayed each other's paced requests by a sixth).

import { fork } from "node:child_process";

const CHILD_FLAG = "--bench-child";

/**
 * Runs `module` in a fresh process with the parent's loader flags (plus `execArgv`), where
 * serveInChild(`name`) answers, and resolves with what it sends back. Its stdout is dropped (a row
 * under test may log there); its stderr is the parent's.
 */
export function runInChild<T>(
  module: string,
  name: string,
  args: readonly string[] = [],
  execArgv: readonly string[] = [],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(module, [`${CHILD_FLAG}=${name}`, ...args], {
      execArgv: [...process.execArgv, ...execArgv],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    let answered = false;
    child.once("message", (message) => {
      answered = true;
      resolve(message as T);
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (!answered)
        reject(new Error(`bench child "${name}" ended (${signal ?? `exit ${code}`}) without a result`));
    });
  });
}

/**
 * In the process runInChild started for `name`: runs `measure` with the arguments after the flag,
 * sends its result to the parent and exits. In any other process it does nothing.
 */
export async function serveInChild<T>(name: string, measure: (args: string[]) => Promise<T>): Promise<void> {
  const at = process.argv.indexOf(`${CHILD_FLAG}=${name}`);
  if (at < 0) return;
  const result = await measure(process.argv.slice(at + 1));
  process.send!(result, () => process.exit(0));
}
