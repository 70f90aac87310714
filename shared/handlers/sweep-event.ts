import { z } from "zod";
import { InvalidSweepEventError } from "../sweeps/errors.js";

/**
 * The sweep functions accept three inputs: the EventBridge Scheduler payload our schedules send
 * (`{"scheduledTime": "<aws.scheduler.scheduled-time>"}`), a classic EventBridge scheduled event
 * (`"time"`), or `{}` for a manual run, which sweeps the slot that contains "now".
 */
export interface SweepTrigger {
  scheduledTime: Date;
  sweepId: string;
  source: "scheduler" | "scheduled-event" | "manual";
}

const instant = z.iso.datetime({ offset: true });
const schedulerPayload = z.object({ scheduledTime: instant });
const classicScheduledEvent = z.object({
  source: z.literal("aws.events"),
  "detail-type": z.literal("Scheduled Event"),
  time: instant,
});

export function parseSweepEvent(
  event: unknown,
  invocationId: string,
  now: () => Date = () => new Date(),
): SweepTrigger {
  if (event === null || event === undefined || (isRecord(event) && Object.keys(event).length === 0)) {
    return { scheduledTime: now(), sweepId: invocationId, source: "manual" };
  }
  const scheduler = schedulerPayload.safeParse(event);
  if (scheduler.success) {
    return {
      scheduledTime: new Date(scheduler.data.scheduledTime),
      sweepId: scheduler.data.scheduledTime,
      source: "scheduler",
    };
  }
  const classic = classicScheduledEvent.safeParse(event);
  if (classic.success) {
    return {
      scheduledTime: new Date(classic.data.time),
      sweepId: classic.data.time,
      source: "scheduled-event",
    };
  }
  const preview = JSON.stringify(event).slice(0, 200);
  throw new InvalidSweepEventError(
    `unrecognised sweep event ${preview}: send {} for a manual run, {"scheduledTime": "2026-11-22T10:00:00Z"} ` +
      "to sweep a given slot, or an EventBridge scheduled event",
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
