// The shards of a per-network kind take turns within the period: where each fires, as a cron() of
// EventBridge Scheduler, and which schedules cannot be divided into turns.
import { describe, expect, it } from "vitest";
import {
  localFiringOffsetSeconds,
  shardScheduleExpression,
  shardTurnSeconds,
  shardTurnsProblem,
  staggerOffsetSeconds,
  sweepShards,
} from "../../infra/config/schedule.js";
import { sweepWindow } from "../../shared/sweeps/window.js";

describe("a shard's turn", () => {
  it("is its share of the period after the slot, in whole minutes", () => {
    expect(sweepShards(3).map((shard) => shardTurnSeconds(1800, shard!))).toEqual([0, 600, 1200]);
    expect(sweepShards(4).map((shard) => shardTurnSeconds(900, shard!))).toEqual([0, 180, 420, 660]);
  });

  it("sweeps the slot's window, whichever turn fires it", () => {
    const slot = new Date("2026-12-01T10:30:00.000Z");
    const windows = sweepShards(3).map((shard) =>
      sweepWindow(new Date(slot.getTime() + shardTurnSeconds(1800, shard!) * 1000), {
        periodSeconds: 1800,
        dataDelaySeconds: 0,
      }),
    );
    expect(windows).toEqual([
      { start: "2026-12-01T10:00:00Z", end: "2026-12-01T10:30:00Z" },
      { start: "2026-12-01T10:00:00Z", end: "2026-12-01T10:30:00Z" },
      { start: "2026-12-01T10:00:00Z", end: "2026-12-01T10:30:00Z" },
    ]);
  });
});

describe("a shard's schedule expression", () => {
  it("repeats every period of minutes at the shard's minute", () => {
    expect(sweepShards(3).map((shard) => shardScheduleExpression("rate(30 minutes)", shard!))).toEqual([
      "cron(0/30 * * * ? *)",
      "cron(10/30 * * * ? *)",
      "cron(20/30 * * * ? *)",
    ]);
  });

  it("fires once an hour at its minute for an hourly period", () => {
    expect(sweepShards(2).map((shard) => shardScheduleExpression("rate(1 hour)", shard!))).toEqual([
      "cron(0 * * * ? *)",
      "cron(30 * * * ? *)",
    ]);
  });

  it("repeats every period of hours at the shard's hour and minute", () => {
    expect(sweepShards(4).map((shard) => shardScheduleExpression("rate(6 hours)", shard!))).toEqual([
      "cron(0 0/6 * * ? *)",
      "cron(30 1/6 * * ? *)",
      "cron(0 3/6 * * ? *)",
      "cron(30 4/6 * * ? *)",
    ]);
    expect(shardScheduleExpression("rate(1 day)", { index: 1, count: 2 })).toBe("cron(0 12 * * ? *)");
  });
});

describe("schedules that cannot be divided into turns", () => {
  it("accepts any schedule for one shard", () => {
    expect(shardTurnsProblem("cron(0 * * * ? *)", 1)).toBeUndefined();
    expect(shardTurnsProblem("rate(7 minutes)", 1)).toBeUndefined();
  });

  it("refuses a cron() schedule, which has no period to divide", () => {
    expect(shardTurnsProblem("cron(0 * * * ? *)", 2)).toMatch(/needs a rate\(\) schedule/);
  });

  it("refuses a period that divides neither an hour nor a day", () => {
    expect(shardTurnsProblem("rate(7 minutes)", 2)).toMatch(/rate\(7 minutes\) does not/);
    expect(shardTurnsProblem("rate(90 minutes)", 2)).toMatch(/does not/);
    expect(shardTurnsProblem("rate(5 hours)", 2)).toMatch(/does not/);
  });

  it("refuses more shards than the period has minutes", () => {
    expect(shardTurnsProblem("rate(5 minutes)", 6)).toBe(
      "6 shards need a minute each of the period, and rate(5 minutes) has 5",
    );
    expect(shardTurnsProblem("rate(5 minutes)", 5)).toBeUndefined();
  });
});

describe("the local runtime's firing offset", () => {
  it("is the shard's turn plus its point in the flexible window", () => {
    const sweep = { windowSeconds: 1800, flexibleWindowMinutes: 2 };
    const shard = { index: 2, count: 3 };
    expect(localFiringOffsetSeconds("network-clients", shard, sweep)).toBe(
      1200 + staggerOffsetSeconds("network-clients", shard, 2),
    );
    expect(localFiringOffsetSeconds("api-requests", undefined, sweep)).toBe(
      staggerOffsetSeconds("api-requests", undefined, 2),
    );
  });
});
