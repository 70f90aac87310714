/**
 * The stack config is the single source of truth: changing one sweep's schedule there changes
 * that schedule in the template and nothing else that does not follow from it (diff of two synths).
 */
import { describe, expect, it } from "vitest";
import { synth } from "./synth.js";

/** Every leaf that differs between two JSON values, as "path: before -> after". */
function diff(a: unknown, b: unknown, path = ""): string[] {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return JSON.stringify(a) === JSON.stringify(b)
      ? []
      : [`${path}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) =>
    diff((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}/${key}`),
  );
}

describe("changing a schedule in the stack config", () => {
  const base = synth();
  const resource = (prefix: string, type: string) =>
    Object.entries(base.template.Resources).find(([k, r]) => k.startsWith(prefix) && r.Type === type)![0];
  // With the next segment: Sweepdeviceavailability alone also matches device-availability-changes.
  const schedule = resource("SweepdeviceavailabilitySchedule", "AWS::Scheduler::Schedule");
  const fn = resource("SweepdeviceavailabilitySweep", "AWS::Lambda::Function");

  it("with the same period, changes exactly that schedule's expression", () => {
    const changed = synth({
      sweeps: { "device-availability": { schedule: "cron(0/5 * * * ? *)", windowSeconds: 300 } },
    });
    expect(diff(base.template, changed.template)).toEqual([
      `/Resources/${schedule}/Properties/ScheduleExpression: "rate(5 minutes)" -> "cron(0/5 * * * ? *)"`,
    ]);
  });

  it("with a time zone, changes exactly the expression and the time zone", () => {
    const changed = synth({
      sweeps: {
        "device-availability": {
          schedule: "cron(0/5 8-18 ? * MON-FRI *)",
          timeZone: "Europe/Berlin",
          windowSeconds: 300,
        },
      },
    });
    expect(diff(base.template, changed.template).sort()).toEqual([
      `/Resources/${schedule}/Properties/ScheduleExpression: "rate(5 minutes)" -> "cron(0/5 8-18 ? * MON-FRI *)"`,
      `/Resources/${schedule}/Properties/ScheduleExpressionTimezone: "UTC" -> "Europe/Berlin"`,
    ]);
  });

  it("with another period, also changes the window the function sweeps and its no-records alarm period", () => {
    const changed = synth({ sweeps: { "device-availability": { schedule: "rate(10 minutes)" } } });
    const changes = diff(base.template, changed.template);
    expect(changes).toEqual(
      expect.arrayContaining([
        `/Resources/${schedule}/Properties/ScheduleExpression: "rate(5 minutes)" -> "rate(10 minutes)"`,
        `/Resources/${fn}/Properties/Environment/Variables/SWEEP_PERIOD_SECONDS: "300" -> "600"`,
      ]),
    );
    for (const change of changes) {
      expect(change).toMatch(
        /^\/Resources\/(SweepdeviceavailabilitySchedule[0-9A-F]+\/Properties\/ScheduleExpression|SweepdeviceavailabilitySweepFunction\w+\/Properties\/Environment\/Variables\/SWEEP_PERIOD_SECONDS|MonitoringAlarmsdeviceavailability(NoRecords|FailedOrganizations)[0-9A-F]+\/Properties\/Period):/,
      );
    }
    expect(changes).toHaveLength(4);
  });
});
