/**
 * Waiting for a starting broker to serve: checks until an authenticated admin client gets an
 * answer, giving up when the JVM exits or the start timeout passes.
 */
import { connect } from "node:net";
import { type KafkaConnection, withAdmin } from "./admin.js";

/** Rejects with the reason (the last failed check, or how the JVM exited) when the broker does not get ready. */
export async function waitUntilReady(
  broker: KafkaConnection,
  p: { startedAt: number; timeoutMs: number; jvmExited: Promise<number | string> },
): Promise<void> {
  const deadline = p.startedAt + p.timeoutMs;
  let lastError = "no attempt yet";
  const exitedEarly = p.jvmExited.then((code) => ({ exited: code }));
  for (;;) {
    if (Date.now() >= deadline) {
      throw new Error(`not ready after ${p.timeoutMs} ms (last check: ${lastError})`);
    }
    const attempt = checkReady(broker, deadline).then(
      () => ({ ready: true as const }),
      (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
    );
    const outcome = await Promise.race([attempt, exitedEarly]);
    if ("exited" in outcome) throw new Error(`the JVM exited (${outcome.exited})`);
    if ("ready" in outcome) return;
    if ("error" in outcome) lastError = outcome.error;
    await sleep(200);
  }
}

/** One readiness check: the port accepts TCP, then an authenticated admin client lists topics. */
async function checkReady(broker: KafkaConnection, deadline: number): Promise<void> {
  const [host, portText] = broker.bootstrapServers.split(":") as [string, string];
  await tcpProbe(host, Number(portText), Math.max(100, Math.min(1_000, deadline - Date.now())));
  const budget = Math.max(1_000, Math.min(5_000, deadline - Date.now()));
  await withAdmin(broker, (admin) => admin.listTopics({ timeout: budget }), {
    "socket.connection.setup.timeout.ms": budget,
    "reconnect.backoff.ms": 100,
    "reconnect.backoff.max.ms": 500,
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((res, rej) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once("connect", () => {
      socket.destroy();
      res();
    });
    socket.once("timeout", () => {
      socket.destroy();
      rej(new Error(`connect to ${host}:${port} timed out`));
    });
    socket.once("error", (err) => {
      socket.destroy();
      rej(err);
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}
