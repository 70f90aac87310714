// One deadline per invocation, from the Lambda's remaining time. Meraki work stops at the soft
// deadline, early enough that every record built by then can still be delivered (the producer's
// delivery timeout) before the hard deadline, when Lambda would freeze the process: so nothing
// the sweep started is still running after the handler returns, and nothing it built is lost
// without being counted.

import { SweepError } from "./errors.js";

/** The sweep's time is up: Meraki calls and retry waits stop, what was built is still produced. */
export class SweepDeadlineError extends SweepError {
  constructor(readonly softDeadline: Date) {
    super(
      `the sweep stopped calling Meraki at ${softDeadline.toISOString()}, its deadline (the Lambda's remaining ` +
        "time minus the Kafka delivery timeout): raise the function's timeoutSeconds, or shard the kind",
    );
  }
}

export interface SweepDeadlineOptions {
  /** context.getRemainingTimeInMillis() when the invocation started. */
  remainingMs: number;
  /** Kept for producing and delivering what was built: the producer's delivery timeout plus a margin. */
  produceReserveMs: number;
  now?: () => number;
}

export class SweepDeadline {
  /** When Meraki work stops (epoch ms). */
  readonly softAt: number;
  /** When Lambda stops the invocation (epoch ms). */
  readonly hardAt: number;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #now: () => number;

  constructor(options: SweepDeadlineOptions) {
    this.#now = options.now ?? Date.now;
    const now = this.#now();
    this.hardAt = now + options.remainingMs;
    this.softAt = Math.max(now, this.hardAt - options.produceReserveMs);
    const reason = new SweepDeadlineError(new Date(this.softAt));
    this.#timer = setTimeout(() => this.#controller.abort(reason), this.softAt - now);
    // A deadline must never keep the process alive by itself.
    this.#timer.unref();
    if (this.softAt <= now) this.#controller.abort(reason);
  }

  /** Aborted at the soft deadline, with a SweepDeadlineError as its reason. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get reached(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Milliseconds until the soft deadline (0 once reached). */
  msLeft(): number {
    return Math.max(0, this.softAt - this.#now());
  }

  /** Ends the timer, for an invocation that finished early. */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}

/** True for what the deadline's signal throws into a Meraki call or a wait. */
export function isDeadlineStop(error: unknown): error is SweepDeadlineError {
  return error instanceof SweepDeadlineError;
}
