// The time limits an operation puts on t0/t1 (its parameter descriptions: the lookback, the least
// and the longest timespan, the interval the data comes in), as a kind declares them. The stack
// config refuses a window length the kind's calls cannot be made with, and the sweep refuses a
// window older than the lookback (a manual run of an old slot) before calling, naming the limit.

import { SweepError } from "./errors.js";
import type { SweepWindow } from "./window.js";

/** Window lengths the kind's calls accept. Epoch-aligned windows of whole intervals stay aligned to them. */
export interface WindowSpan {
  minSeconds?: number;
  maxSeconds?: number;
  /** The window must be whole intervals of the API's data (e.g. 300 for a 5-minute interval). */
  multipleOfSeconds?: number;
}

/** What is wrong with a window of `seconds` for this span, in words; undefined when nothing is. */
export function windowSpanProblem(seconds: number, span: WindowSpan | undefined): string | undefined {
  if (span === undefined) return undefined;
  if (span.minSeconds !== undefined && seconds < span.minSeconds) {
    return `a window of ${seconds} s is shorter than the ${span.minSeconds} s the kind's Meraki operation accepts`;
  }
  if (span.maxSeconds !== undefined && seconds > span.maxSeconds) {
    return `a window of ${seconds} s is longer than the ${span.maxSeconds} s the kind's Meraki operation accepts`;
  }
  if (span.multipleOfSeconds !== undefined && seconds % span.multipleOfSeconds !== 0) {
    return `a window of ${seconds} s is not whole intervals of ${span.multipleOfSeconds} s, the Meraki data's interval`;
  }
  return undefined;
}

/** The window cannot be asked of the operation: too old for its lookback, or of a length it refuses. */
export class WindowOutsideApiLimitsError extends SweepError {}

export interface ApiTimeLimits {
  operationId: string;
  /** How far back t0 may lie ("The maximum lookback period is N days from today"). */
  lookbackSeconds: number;
  span: WindowSpan;
}

/** Throws WindowOutsideApiLimitsError rather than send a call the API would answer with 400. */
export function assertWithinApiLimits(window: SweepWindow, nowIso: string, limits: ApiTimeLimits): void {
  const startMs = Date.parse(window.start);
  const problem = windowSpanProblem((Date.parse(window.end) - startMs) / 1000, limits.span);
  if (problem !== undefined) {
    throw new WindowOutsideApiLimitsError(`${limits.operationId}: ${problem}; change the kind's schedule`);
  }
  if (startMs < Date.parse(nowIso) - limits.lookbackSeconds * 1000) {
    throw new WindowOutsideApiLimitsError(
      `${limits.operationId}: the window starting ${window.start} is older than the API's lookback of ` +
        `${limits.lookbackSeconds / 86_400} days; the data of that slot can no longer be read`,
    );
  }
}
