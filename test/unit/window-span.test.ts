// The window lengths a kind's Meraki operation accepts: the stack config refuses other schedules,
// and the sweep refuses a window the API would answer with 400 before calling it.
import { describe, expect, it } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { applyConfigOverride } from "../../infra/config/overrides.js";
import { InvalidStackConfigError, parseStackConfig } from "../../infra/config/stack-config.js";
import {
  assertWithinApiLimits,
  WindowOutsideApiLimitsError,
  windowSpanProblem,
} from "../../shared/sweeps/window-span.js";

function errorOf(override: Record<string, unknown>): string {
  try {
    parseStackConfig(applyConfigOverride(stackConfig, override));
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidStackConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("windowSpanProblem", () => {
  it("accepts any window when the kind declares no span", () => {
    expect(windowSpanProblem(60, undefined)).toBeUndefined();
  });

  it("accepts a window within the span and of whole intervals", () => {
    expect(
      windowSpanProblem(600, { minSeconds: 300, maxSeconds: 3600, multipleOfSeconds: 300 }),
    ).toBeUndefined();
  });

  it.each([
    [
      240,
      { minSeconds: 300 },
      "a window of 240 s is shorter than the 300 s the kind's Meraki operation accepts",
    ],
    [
      7200,
      { maxSeconds: 3600 },
      "a window of 7200 s is longer than the 3600 s the kind's Meraki operation accepts",
    ],
    [
      420,
      { multipleOfSeconds: 300 },
      "a window of 420 s is not whole intervals of 300 s, the Meraki data's interval",
    ],
  ])("names what is wrong with a window of %i s", (seconds, span, problem) => {
    expect(windowSpanProblem(seconds, span)).toBe(problem);
  });
});

describe("assertWithinApiLimits", () => {
  const limits = { operationId: "getThing", lookbackSeconds: 90 * 86_400, span: { minSeconds: 300 } };

  it("lets a recent window of an accepted length through", () => {
    const window = { start: "2026-11-22T09:45:00Z", end: "2026-11-22T09:55:00Z" };
    expect(() => assertWithinApiLimits(window, "2026-11-22T10:00:00Z", limits)).not.toThrow();
  });

  it("refuses a window starting before the lookback, naming the operation and the limit", () => {
    const window = { start: "2026-08-24T09:45:00Z", end: "2026-08-24T09:55:00Z" };
    expect(() => assertWithinApiLimits(window, "2026-11-22T10:00:00Z", limits)).toThrow(
      new WindowOutsideApiLimitsError(
        "getThing: the window starting 2026-08-24T09:45:00Z is older than the API's lookback of 90 days; the data of that slot can no longer be read",
      ),
    );
  });

  it("refuses a window of a length the operation does not accept", () => {
    const window = { start: "2026-11-22T09:51:00Z", end: "2026-11-22T09:55:00Z" };
    expect(() => assertWithinApiLimits(window, "2026-11-22T10:00:00Z", limits)).toThrow(
      WindowOutsideApiLimitsError,
    );
  });
});

describe("the stack config and the kinds' spans", () => {
  it("refuses a rate whose window is not whole 5-minute intervals for wireless-channel-utilization", () => {
    expect(
      errorOf({
        sweeps: { "wireless-channel-utilization": { schedule: "rate(7 minutes)", timeoutSeconds: 60 } },
      }),
    ).toMatch(
      /sweeps\.wireless-channel-utilization\.schedule: a window of 420 s is not whole intervals of 300 s, the Meraki data's interval: choose another schedule for wireless-channel-utilization/,
    );
  });

  it("refuses a cron window shorter than wireless-packet-loss's 5 minutes, naming windowSeconds", () => {
    expect(
      errorOf({
        sweeps: {
          "wireless-packet-loss": { schedule: "cron(0/4 * * * ? *)", windowSeconds: 240, timeoutSeconds: 60 },
        },
      }),
    ).toMatch(/sweeps\.wireless-packet-loss\.windowSeconds: a window of 240 s is shorter than the 300 s/);
  });

  it("accepts a longer schedule of whole intervals", () => {
    const config = parseStackConfig(
      applyConfigOverride(stackConfig, {
        sweeps: { "wireless-channel-utilization": { schedule: "rate(30 minutes)" } },
      }),
    );
    expect(config.sweeps["wireless-channel-utilization"].windowSeconds).toBe(1800);
  });
});
