/**
 * The root of every error Semaphore throws. Each area (meraki, kafka, sweep, consumer, config) has
 * one abstract base below this, and every concrete error is named after its class here, once, so
 * a log line's `error.name` is the class a reader can grep for. esbuild keeps class names in the
 * bundles (`keepNames`), so the names survive minification.
 */
export abstract class SemaphoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}
