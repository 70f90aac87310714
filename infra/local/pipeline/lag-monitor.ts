/** Measures the consumer groups' total lag every few seconds, for the status line. */
import { type KafkaConnection, withAdmin } from "../kafka/admin.js";
import { groupLag } from "../kafka/lag.js";

export interface LagMonitor {
  /** Records not yet read, over every group; undefined until measured (or while Kafka does not answer). */
  total(): number | undefined;
  stop(): Promise<void>;
}

const INTERVAL_MS = 5_000;

export function monitorLag(
  connection: KafkaConnection,
  groups: ReadonlyArray<{ groupId: string; topic: string }>,
): LagMonitor {
  let total: number | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const measure = async () => {
    try {
      total = await withAdmin(connection, async (admin) => {
        let sum = 0;
        for (const { groupId, topic } of groups) sum += (await groupLag(admin, groupId, [topic])).total;
        return sum;
      });
    } catch {
      total = undefined; // the status line shows "…"; errors of the pipeline itself are logged by it
    }
  };
  const tick = () => {
    if (stopped) return;
    running = measure().finally(() => {
      if (!stopped) timer = setTimeout(tick, INTERVAL_MS).unref();
    });
  };
  let timer = setTimeout(tick, 0).unref();
  return {
    total: () => total,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
