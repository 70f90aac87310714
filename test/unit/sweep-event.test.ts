import { describe, expect, it } from "vitest";
import { parseSweepEvent, shardEventFields } from "../../shared/handlers/sweep-event.js";
import { InvalidSweepEventError } from "../../shared/sweeps/errors.js";
import { sweepWindow } from "../../shared/sweeps/window.js";

const now = () => new Date("2026-11-22T10:07:00Z");

describe("parseSweepEvent", () => {
  it("takes the scheduled time from the EventBridge Scheduler payload", () => {
    expect(parseSweepEvent({ scheduledTime: "2026-11-22T10:05:00Z" }, "req-1", now)).toEqual({
      scheduledTime: new Date("2026-11-22T10:05:00Z"),
      sweepId: "2026-11-22T10:05:00Z",
      source: "scheduler",
    });
  });

  it("takes the time of a classic EventBridge scheduled event", () => {
    const event = {
      version: "0",
      id: "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: "123456789012",
      time: "2026-11-22T10:05:00Z",
      region: "us-east-1",
      resources: ["arn:aws:events:us-east-1:123456789012:rule/my-schedule"],
      detail: {},
    };
    expect(parseSweepEvent(event, "req-1", now)).toEqual({
      scheduledTime: new Date("2026-11-22T10:05:00Z"),
      sweepId: "2026-11-22T10:05:00Z",
      source: "scheduled-event",
    });
  });

  it("treats {} as a manual run at the current time, identified by the invocation id", () => {
    expect(parseSweepEvent({}, "req-1", now)).toEqual({
      scheduledTime: new Date("2026-11-22T10:07:00Z"),
      sweepId: "req-1",
      source: "manual",
    });
  });

  it("takes the shard of a sharded kind's schedule with the slot", () => {
    expect(
      parseSweepEvent({ scheduledTime: "2026-11-22T10:05:00Z", shard: 2, shards: 4 }, "req-1", now),
    ).toEqual({
      scheduledTime: new Date("2026-11-22T10:05:00Z"),
      sweepId: "2026-11-22T10:05:00Z",
      source: "scheduler",
      shard: { index: 2, count: 4 },
    });
  });

  it("reads back exactly the shard fields a schedule writes", () => {
    const event = { scheduledTime: "2026-11-22T10:05:00Z", ...shardEventFields({ index: 0, count: 3 }) };
    expect(event).toEqual({ scheduledTime: "2026-11-22T10:05:00Z", shard: 0, shards: 3 });
    expect(parseSweepEvent(event, "req-1", now).shard).toEqual({ index: 0, count: 3 });
  });

  it("covers every shard when the event names none, as a hand-invoked test event does", () => {
    expect(parseSweepEvent({ scheduledTime: "2026-11-22T10:05:00Z" }, "req-1", now).shard).toBeUndefined();
    expect(parseSweepEvent({}, "req-1", now).shard).toBeUndefined();
  });

  it.each([
    [{ scheduledTime: "2026-11-22T10:05:00Z", shard: 1 }],
    [{ scheduledTime: "2026-11-22T10:05:00Z", shards: 4 }],
    [{ scheduledTime: "2026-11-22T10:05:00Z", shard: 4, shards: 4 }],
    [{ scheduledTime: "2026-11-22T10:05:00Z", shard: -1, shards: 4 }],
    [{ scheduledTime: "2026-11-22T10:05:00Z", shard: 0.5, shards: 4 }],
  ])("rejects a shard that is not one of its shards: %j", (event) => {
    expect(() => parseSweepEvent(event, "req-1", now)).toThrow(InvalidSweepEventError);
  });

  it("rejects anything else with the accepted shapes in the message", () => {
    expect(() => parseSweepEvent({ scheduledTime: "yesterday" }, "req-1", now)).toThrow(
      'unrecognised sweep event {"scheduledTime":"yesterday"}: send {} for a manual run, ' +
        '{"scheduledTime": "2026-11-22T10:00:00Z"} to sweep a given slot (with "shard": <i>, "shards": <n> for ' +
        "one shard of it), or an EventBridge scheduled event",
    );
  });
});

describe("the window of a late invocation", () => {
  it("is the window of its slot: a firing delayed by its flexible window sweeps what an on-time one does", () => {
    // EventBridge Scheduler sends the slot's time however late within the flexible window it invokes.
    const event = { scheduledTime: "2026-11-22T10:05:00Z" };
    const rule = { periodSeconds: 300, dataDelaySeconds: 120 };
    const onTime = parseSweepEvent(event, "req-1", () => new Date("2026-11-22T10:05:20Z"));
    const late = parseSweepEvent(event, "req-2", () => new Date("2026-11-22T10:07:59Z"));
    expect(sweepWindow(late.scheduledTime, rule)).toEqual(sweepWindow(onTime.scheduledTime, rule));
    expect(sweepWindow(late.scheduledTime, rule)).toEqual({
      start: "2026-11-22T09:58:00Z",
      end: "2026-11-22T10:03:00Z",
    });
    expect(late.sweepId).toBe(onTime.sweepId);
  });
});

describe("the sample events shipped for manual invocation", () => {
  it.each([
    ["manual.json", "manual"],
    ["scheduler.json", "scheduler"],
    ["scheduled-event.json", "scheduled-event"],
  ])("%s is accepted as a %s trigger", async (file, source) => {
    const { readFile } = await import("node:fs/promises");
    const event: unknown = JSON.parse(await readFile(new URL(`../events/${file}`, import.meta.url), "utf8"));
    expect(parseSweepEvent(event, "req-1", now).source).toBe(source);
  });
});
