import * as z from "zod";
import { InvalidSweepEventError } from "../sweeps/errors.js";
import type { Shard } from "../sweeps/shard.js";

/**
 * The sweep functions accept three inputs: the EventBridge Scheduler payload our schedules send
 * (`{"scheduledTime": "<aws.scheduler.scheduled-time>"}`, plus `"shard"` and `"shards"` from each
 * schedule of a kind split into shards), a classic EventBridge scheduled event (`"time"`), or `{}`
 * for a manual run, which sweeps the slot that contains "now". Without `shard`, an invocation
 * sweeps every network: a hand-invoked test event covers all shards at once.
 */
export interface SweepTrigger {
  scheduledTime: Date;
  sweepId: string;
  source: "scheduler" | "scheduled-event" | "manual";
  /** Present only when the event names a shard. */
  shard?: Shard;
}

/** The fields a shard's schedule adds to its payload: the one place their names are written. */
export function shardEventFields(shard: Shard): { shard: number; shards: number } {
  return { shard: shard.index, shards: shard.count };
}

const instant = z.iso.datetime({ offset: true });
const schedulerPayload = z
  .object({
    scheduledTime: instant,
    shard: z.number().int().min(0).optional(),
    shards: z.number().int().min(1).optional(),
  })
  .refine((payload) => (payload.shard === undefined) === (payload.shards === undefined), {
    message: "shard and shards go together",
  })
  .refine((payload) => payload.shard === undefined || payload.shard < payload.shards!, {
    message: "shard must be below shards",
  });
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
    const { scheduledTime, shard, shards } = scheduler.data;
    return {
      scheduledTime: new Date(scheduledTime),
      sweepId: scheduledTime,
      source: "scheduler",
      ...(shard !== undefined && shards !== undefined ? { shard: { index: shard, count: shards } } : {}),
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
      'to sweep a given slot (with "shard": <i>, "shards": <n> for one shard of it), or an EventBridge scheduled event',
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
