import { describe, expect, it } from "vitest";
import { splitWindow, sweepWindow } from "../../shared/sweeps/window.js";

const fiveMinutes = { periodSeconds: 300, dataDelaySeconds: 120 };

describe("sweepWindow", () => {
  it("ends at the scheduled time minus the data delay and lasts one period", () => {
    expect(sweepWindow(new Date("2026-11-22T10:05:00Z"), fiveMinutes)).toEqual({
      start: "2026-11-22T09:58:00Z",
      end: "2026-11-22T10:03:00Z",
    });
  });

  it("gives consecutive scheduled times windows that tile with no gap and no overlap", () => {
    const first = sweepWindow(new Date("2026-11-22T10:05:00Z"), fiveMinutes);
    const second = sweepWindow(new Date("2026-11-22T10:10:00Z"), fiveMinutes);
    expect(second.start).toBe(first.end);
  });

  it("puts a late or manual invocation in the slot that contains it", () => {
    expect(sweepWindow(new Date("2026-11-22T10:07:42.123Z"), fiveMinutes)).toEqual(
      sweepWindow(new Date("2026-11-22T10:05:00Z"), fiveMinutes),
    );
  });

  it("rejects an invalid date", () => {
    expect(() => sweepWindow(new Date("nope"), fiveMinutes)).toThrow("scheduled time is not a valid date");
  });
});

describe("splitWindow", () => {
  it("cuts a 12-minute window into 5-minute pieces and a remainder", () => {
    expect(splitWindow({ start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:12:00Z" }, 300)).toEqual([
      { start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:05:00Z" },
      { start: "2026-11-22T10:05:00Z", end: "2026-11-22T10:10:00Z" },
      { start: "2026-11-22T10:10:00Z", end: "2026-11-22T10:12:00Z" },
    ]);
  });
});
