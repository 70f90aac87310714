import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";

/**
 * A shell that waits for EOF on its stdin, a pipe from this process: when this process is gone (even
 * SIGKILLed), it kills `child` and removes `tempDir`, if any. For the local services that run in a
 * process group of their own (so that a terminal's Ctrl-C reaches only this process, which then
 * stops them in order) and must still never outlive it.
 */
export function startWatchdog(child: ChildProcess, name: string, tempDir?: string): ChildProcess | undefined {
  if (child.pid === undefined) return undefined;
  const script = 'cat >/dev/null; kill -9 "$1" 2>/dev/null; if [ -n "$2" ]; then sleep 1; rm -rf "$2"; fi';
  const watchdog = spawn("sh", ["-c", script, `${name}-watchdog`, String(child.pid), tempDir ?? ""], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  watchdog.on("error", () => {});
  watchdog.unref();
  (watchdog.stdin as unknown as Socket | null)?.unref();
  return watchdog;
}
