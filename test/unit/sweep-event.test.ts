import { describe, expect, it } from "vitest";
import { parseSweepEvent } from "../../shared/handlers/sweep-event.js";

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

  it("rejects anything else with the three accepted shapes in the message", () => {
    expect(() => parseSweepEvent({ scheduledTime: "yesterday" }, "req-1", now)).toThrow(
      'unrecognised sweep event {"scheduledTime":"yesterday"}: send {} for a manual run, ' +
        '{"scheduledTime": "2026-11-22T10:00:00Z"} to sweep a given slot, or an EventBridge scheduled event',
    );
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
