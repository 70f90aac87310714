import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { startWatchdog } from "../watchdog.js";

/**
 * A real Secrets Manager API endpoint on loopback: moto's server (installed by scripts/setup.sh).
 * The handlers reach it through the AWS SDK's endpoint setting, exactly as they reach AWS.
 */
export interface RunningSecretsManager {
  endpoint: string;
  region: string;
  stop(): Promise<void>;
}

export interface SecretsManagerOptions {
  bin?: string;
  region?: string;
  startTimeoutMs?: number;
}

export async function startSecretsManager(
  options: SecretsManagerOptions = {},
): Promise<RunningSecretsManager> {
  const bin = options.bin ?? process.env.MOTO_SERVER_BIN ?? "moto_server";
  const port = await freePort();
  // A process group of its own, like the broker's (infra/local/watchdog.ts says why).
  const child = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  const watchdog = startWatchdog(child, "moto");
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const killOnExit = () => {
    child.kill("SIGKILL");
    watchdog?.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint, child, options.startTimeoutMs ?? 30_000, () => stderr);
  } catch (error) {
    killOnExit();
    throw error;
  }
  return {
    endpoint,
    region: options.region ?? "us-east-1",
    stop: async () => {
      process.removeListener("exit", killOnExit);
      await stopChild(child);
      watchdog?.kill("SIGKILL");
    },
  };
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number, stderr: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with code ${child.exitCode} before answering: ${stderr()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
