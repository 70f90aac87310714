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

/**
 * The shards of a kind take turns: shard i of N fires i/N of the period after the slot (in whole
 * minutes, which is what cron counts), so each has the organisation's budget nearly to itself for
 * its turn. Fired together they would only divide the same requests per second among them, and an
 * organisation whose networks need more than Lambda's 900 s of the whole budget would fit no number
 * of shards. Every turn still sweeps the slot's window: the sweep aligns its scheduled time down to
 * the period grid (shared/sweeps/window.ts), and a turn is less than a period after its slot.
 */
export function shardTurnSeconds(periodSeconds: number, shard: Shard): number {
  return Math.floor((shard.index * periodSeconds) / shard.count / 60) * 60;
}

const MINUTES_PER_HOUR = 60;
const HOURS_PER_DAY = 24;

/** Why `shards` shards cannot take turns on `schedule`, or undefined when they can. */
export function shardTurnsProblem(schedule: string, shards: number): string | undefined {
  if (shards === 1) return undefined;
  const period = ratePeriodSeconds(schedule);
  if (period === undefined) {
    return "shards take turns within the period, which needs a rate() schedule; a cron() has no period to divide";
  }
  const minutes = period / 60;
  const dividesHour = minutes <= MINUTES_PER_HOUR && MINUTES_PER_HOUR % minutes === 0;
  const dividesDay = minutes % MINUTES_PER_HOUR === 0 && HOURS_PER_DAY % (minutes / MINUTES_PER_HOUR) === 0;
  if (!dividesHour && !dividesDay) {
    return (
      `the shards' turns repeat at the same minutes of every hour or day, so the period must divide an hour ` +
      `or a day: ${schedule} does not; use rate(10, 15, 20, 30 or 60 minutes) or rate(2, 3, 4, 6, 8, 12 or 24 hours)`
    );
  }
  if (shards > minutes) {
    return `${shards} shards need a minute each of the period, and ${schedule} has ${minutes}`;
  }
  return undefined;
}

/**
 * The schedule expression of one shard: a cron() in UTC (the period grid the sweep aligns to)
 * firing at the shard's turn of every period of the kind's rate() schedule.
 */
export function shardScheduleExpression(schedule: string, shard: Shard): string {
  const problem = shardTurnsProblem(schedule, shard.count);
  if (problem !== undefined) throw new InvalidScheduleError(`${schedule}: ${problem}`);
  const minutes = ratePeriodSeconds(schedule)! / 60;
  const turn = shardTurnSeconds(minutes * 60, shard) / 60;
  if (minutes <= MINUTES_PER_HOUR) {
    return `cron(${minutes === MINUTES_PER_HOUR ? turn : `${turn}/${minutes}`} * * * ? *)`;
  }
  const hours = minutes / MINUTES_PER_HOUR;
  const hour = Math.floor(turn / MINUTES_PER_HOUR);
  return `cron(${turn % MINUTES_PER_HOUR} ${hours === HOURS_PER_DAY ? hour : `${hour}/${hours}`} * * ? *)`;
}

/**
 * How long after its slot the local runtime fires a schedule: the shard's turn, then a fixed
 * point of its flexible window (staggerOffsetSeconds).
 */
export function localFiringOffsetSeconds(
  kind: KindId,
  shard: Shard | undefined,
  sweep: { windowSeconds: number; flexibleWindowMinutes: number },
): number {
  const turn = shard === undefined ? 0 : shardTurnSeconds(sweep.windowSeconds, shard);
  return turn + staggerOffsetSeconds(kind, shard, sweep.flexibleWindowMinutes);
}
