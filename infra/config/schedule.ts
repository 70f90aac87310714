import { ConfigError } from "../../shared/config/errors.js";

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
