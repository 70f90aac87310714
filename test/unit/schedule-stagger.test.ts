// How the local runtime staggers the schedules of kinds that share a period, and what each
// schedule sends: the same inputs as the stack's schedules, at a fixed point of the window that
// EventBridge Scheduler would pick at random.
import { describe, expect, it } from "vitest";
import { scheduleInput, staggerOffsetSeconds, sweepShards } from "../../infra/config/schedule.js";
import { KIND_IDS } from "../../shared/kinds/registry.js";
import { fnv1a32 } from "../../shared/sweeps/shard.js";

describe("staggerOffsetSeconds", () => {
  it("is the kind's FNV-1a hash modulo the flexible window, in seconds", () => {
    expect(staggerOffsetSeconds("network-clients", undefined, 2)).toBe(fnv1a32("network-clients") % 120);
    expect(staggerOffsetSeconds("network-clients", { index: 3, count: 4 }, 5)).toBe(
      fnv1a32("network-clients#3") % 300,
    );
  });

  it("is the same on every call: a local run repeats the previous run's timing", () => {
    const offsets = KIND_IDS.map((kind) => staggerOffsetSeconds(kind, undefined, 2));
    expect(KIND_IDS.map((kind) => staggerOffsetSeconds(kind, undefined, 2))).toEqual(offsets);
  });

  it("stays inside the flexible window, and is 0 when the window is off", () => {
    for (const kind of KIND_IDS) {
      expect(staggerOffsetSeconds(kind, undefined, 0)).toBe(0);
      for (const minutes of [1, 2, 5]) {
        const offset = staggerOffsetSeconds(kind, undefined, minutes);
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThan(minutes * 60);
      }
    }
  });

  it("starts the kinds of one period apart instead of in the same second", () => {
    const offsets = KIND_IDS.map((kind) => staggerOffsetSeconds(kind, undefined, 2));
    // Fifteen kinds over 120 seconds: at least twelve distinct seconds.
    expect(new Set(offsets).size).toBeGreaterThanOrEqual(12);
  });

  it("starts the shards of one kind at different moments", () => {
    const shards = sweepShards(4).map((shard) => staggerOffsetSeconds("network-clients", shard, 5));
    expect(new Set(shards).size).toBe(4);
  });
});

describe("sweepShards and scheduleInput", () => {
  it("gives an unsharded kind one schedule sending the scheduled time only", () => {
    expect(sweepShards(1)).toEqual([undefined]);
    expect(scheduleInput("2026-11-22T10:05:00Z", undefined)).toEqual({
      scheduledTime: "2026-11-22T10:05:00Z",
    });
  });

  it("gives a kind split into three shards a schedule per shard, each naming its shard", () => {
    expect(sweepShards(3).map((shard) => scheduleInput("<t>", shard))).toEqual([
      { scheduledTime: "<t>", shard: 0, shards: 3 },
      { scheduledTime: "<t>", shard: 1, shards: 3 },
      { scheduledTime: "<t>", shard: 2, shards: 3 },
    ]);
  });
});
