// Fault injection state. Counted faults are consumed by the requests they hit, so a test can say
// "the next 2 calls to this endpoint fail" and then watch the client recover.

import type { FaultTarget, SimulatorFaults } from "./types.js";

export interface RequestTarget {
  /** Without /api/v1 and without the query string. */
  path: string;
  organizationId: string | undefined;
}

export type StormHit = { retryAfterSeconds: number | null };

const DEFAULT_SERVER_ERROR_STATUS = 500;
const DEFAULT_STORM_RETRY_AFTER_SECONDS = 1;

export class FaultState {
  #faults: SimulatorFaults = {};
  #serverErrorsLeft = 0;
  #stormLeft = 0;
  #truncationsLeft = 0;

  constructor(faults: SimulatorFaults = {}) {
    this.set(faults);
  }

  set(faults: SimulatorFaults): void {
    for (const [name, value] of [
      ["latencyMs", faults.latencyMs],
      ["serverErrors.count", faults.serverErrors?.count],
      ["rateLimitStorm.count", faults.rateLimitStorm?.count],
      ["truncatedBodies.count", faults.truncatedBodies?.count],
      ["nullSerialRows", faults.nullSerialRows],
      ["emptyTimeSeriesRows", faults.emptyTimeSeriesRows],
    ] as const) {
      if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
        throw new RangeError(`faults.${name} must be a number >= 0`);
      }
    }
    this.#faults = copyFaults(faults);
    this.#serverErrorsLeft = faults.serverErrors?.count ?? 0;
    this.#stormLeft = faults.rateLimitStorm?.count ?? 0;
    this.#truncationsLeft = faults.truncatedBodies?.count ?? 0;
  }

  get latencyMs(): number {
    return this.#faults.latencyMs ?? 0;
  }

  get nullSerialRows(): number {
    return Math.floor(this.#faults.nullSerialRows ?? 0);
  }

  get emptyTimeSeriesRows(): number {
    return Math.floor(this.#faults.emptyTimeSeriesRows ?? 0);
  }

  takeRateLimitStorm(request: RequestTarget): StormHit | undefined {
    const storm = this.#faults.rateLimitStorm;
    if (storm === undefined || this.#stormLeft <= 0 || !matches(storm, request)) return undefined;
    this.#stormLeft--;
    const retryAfter =
      storm.retryAfterSeconds === undefined ? DEFAULT_STORM_RETRY_AFTER_SECONDS : storm.retryAfterSeconds;
    return { retryAfterSeconds: retryAfter };
  }

  /** The status to answer instead, or undefined. */
  takeServerError(request: RequestTarget): number | undefined {
    const fault = this.#faults.serverErrors;
    if (fault === undefined || this.#serverErrorsLeft <= 0 || !matches(fault, request)) return undefined;
    this.#serverErrorsLeft--;
    return fault.status ?? DEFAULT_SERVER_ERROR_STATUS;
  }

  takeTruncation(request: RequestTarget): boolean {
    const fault = this.#faults.truncatedBodies;
    if (fault === undefined || this.#truncationsLeft <= 0 || !matches(fault, request)) return false;
    this.#truncationsLeft--;
    return true;
  }
}

function matches(target: FaultTarget, request: RequestTarget): boolean {
  if (target.organizationId !== undefined && target.organizationId !== request.organizationId) return false;
  const pattern = target.pathIncludes;
  if (pattern === undefined) return true;
  if (typeof pattern === "string") return request.path.includes(pattern);
  // A /g or /y RegExp keeps lastIndex between test() calls; reset it so matching is stateless.
  pattern.lastIndex = 0;
  return pattern.test(request.path);
}

/** A private copy, so the caller mutating its object later does not change the running faults. */
function copyFaults(faults: SimulatorFaults): SimulatorFaults {
  const copy: SimulatorFaults = { ...faults };
  if (faults.serverErrors) copy.serverErrors = { ...faults.serverErrors };
  if (faults.rateLimitStorm) copy.rateLimitStorm = { ...faults.rateLimitStorm };
  if (faults.truncatedBodies) copy.truncatedBodies = { ...faults.truncatedBodies };
  return copy;
}
