/**
 * EventBridge Scheduler, locally: each schedule of a kind (one per shard) fires on the period grid
 * with the slot's time in the payload, a fixed number of seconds after the slot (the shard's turn
 * and a point of the flexible window, localFiringOffsetSeconds): kinds of the same period start
 * apart, and the window still comes from the slot's time, not from the moment of firing.
 */
import type { SweepHandler } from "../../../shared/handlers/sweep-handler.js";
import type { KindId } from "../../../shared/kinds/registry.js";
import { localFiringOffsetSeconds, scheduleInput, sweepShards } from "../../config/schedule.js";
import type { StackConfig } from "../../config/stack-config.js";
import { sweepContext } from "../functions.js";

export interface LocalScheduler {
  /** The schedule that fires next, and when (epoch ms). */
  next(): { kind: KindId; at: number } | undefined;
  stop(): void;
}

export function scheduleSweeps(
  config: StackConfig,
  handlers: ReadonlyMap<KindId, SweepHandler[]>,
): LocalScheduler {
  const timers = new Set<NodeJS.Timeout>();
  const upcoming = new Map<string, { kind: KindId; at: number }>();
  for (const [kind, perSchedule] of handlers) {
    const sweep = config.sweeps[kind];
    const periodMs = sweep.windowSeconds * 1000;
    for (const [index, shard] of sweepShards(sweep.shards).entries()) {
      const handler = perSchedule[index]!;
      const offsetMs = localFiringOffsetSeconds(kind, shard, sweep) * 1000;
      const key = `${kind}#${index}`;
      const arm = () => {
        const wait = periodMs - ((Date.now() - offsetMs) % periodMs);
        upcoming.set(key, { kind, at: Date.now() + wait });
        const timer = setTimeout(() => {
          timers.delete(timer);
          const slot = new Date(Math.floor((Date.now() - offsetMs) / periodMs) * periodMs);
          // The handler logs its own failures with their context, as in Lambda.
          void handler(scheduleInput(slot.toISOString(), shard), sweepContext(config, kind)).catch(
            () => undefined,
          );
          arm();
        }, wait);
        timer.unref();
        timers.add(timer);
      };
      arm();
    }
  }
  return {
    next: () => [...upcoming.values()].sort((a, b) => a.at - b.at)[0],
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      upcoming.clear();
    },
  };
}
