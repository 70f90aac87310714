import { ConfigError } from "../../shared/config/errors.js";
import { shardEventFields } from "../../shared/handlers/sweep-event.js";
import type { KindId } from "../../shared/kinds/registry.js";
import { fnv1a32, type Shard } from "../../shared/sweeps/shard.js";

/**
 * EventBridge Scheduler expressions the stack config accepts, and the window length each implies.
 * A rate() has a period; a cron() does not have one in general, so the config must say how long
 * each sweep's window is (the gap between two firings).
 */
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86_400 };

export class InvalidScheduleError extends ConfigError {}

export function isScheduleExpression(expression: string): boolean {
  return RATE.test(expression) || CRON.test(expression);
}

/** The period of a rate() expression in seconds, or undefined for cron(). */
export function ratePeriodSeconds(expression: string): number | undefined {
  const match = RATE.exec(expression);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2]!.replace(/s$/, "");
  if (amount < 1) throw new InvalidScheduleError(`${expression}: the rate must be at least 1`);
  if ((amount === 1) !== !match[2]!.endsWith("s")) {
    // EventBridge Scheduler itself rejects "rate(1 minutes)" and "rate(5 minute)".
    throw new InvalidScheduleError(`${expression}: use "${amount} ${amount === 1 ? unit : `${unit}s`}"`);
  }
  return amount * UNIT_SECONDS[unit]!;
}

/**
 * The schedules of one kind: one for the whole organisation, or one per shard when the stack config
 * splits the kind (`sweeps.<kind>.shards`).
 */
export function sweepShards(shards: number): Array<Shard | undefined> {
  if (shards === 1) return [undefined];
  return Array.from({ length: shards }, (_, index) => ({ index, count: shards }));
}

/**
 * What a schedule sends its sweep: the scheduled time (in AWS, Scheduler's
 * `<aws.scheduler.scheduled-time>` placeholder), and the shard of a sharded kind.
 */
export function scheduleInput(
  scheduledTime: string,
  shard: Shard | undefined,
): { scheduledTime: string; shard?: number; shards?: number } {
  return { scheduledTime, ...(shard ? shardEventFields(shard) : {}) };
}

/**
 * How many seconds after its scheduled time the local runtime fires a schedule: a fixed point of its
 * flexible window, derived from the kind (and shard), so that kinds of the same period start apart
 * as in AWS, where Scheduler picks a random point of the window, and every local run repeats it.
 */
export function staggerOffsetSeconds(
  kind: KindId,
  shard: Shard | undefined,
  flexibleWindowMinutes: number,
): number {
  if (flexibleWindowMinutes === 0) return 0;
  return fnv1a32(shard ? `${kind}#${shard.index}` : kind) % (flexibleWindowMinutes * 60);
}
