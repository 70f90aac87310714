// Typed Kafka failures, one base for the area. Messages name the cluster, what failed and what to
// do; they never carry a secret. The producer, the local admin helpers and the local event source
// all report a refused login as the same KafkaAuthenticationError.

import { SemaphoreError } from "../errors.js";

export abstract class KafkaError extends SemaphoreError {
  constructor(
    message: string,
    readonly bootstrapServers: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * librdkafka never surfaces a rejected SASL/PLAIN login as an error code: it retries and logs this
 * at error level, e.g. "sasl_ssl://127.0.0.1:9093/bootstrap: SASL authentication error:
 * Authentication failed: Invalid username or password (after 302ms in state AUTH_REQ)". The log
 * line is the one fast and specific signal.
 */
export const SASL_AUTH_FAILURE_LOG = /SASL authentication error/;

/** The cluster refused the SASL/PLAIN credentials. */
export class KafkaAuthenticationError extends KafkaError {
  /**
   * @param who whose credentials, e.g. "the producer" or "the event source (group g)"
   * @param reason librdkafka's words, without its thread prefix
   */
  constructor(bootstrapServers: string, reason: string, who = "the client", options?: { cause?: unknown }) {
    super(
      `Kafka at ${bootstrapServers} rejected the SASL/PLAIN credentials of ${who} (${reason}). ` +
        'Check the Kafka secret: it must be {"username": "<API key>", "password": "<API secret>"} of a key ' +
        "that belongs to this cluster.",
      bootstrapServers,
      options,
    );
  }
}

export class KafkaUnreachableError extends KafkaError {}

export interface UndeliveredSummary {
  topic: string;
  /** librdkafka's reason (e.g. "Local: Message timed out") and how many records failed with it. */
  reasons: Record<string, number>;
  /** Up to five keys of undelivered records, to find them in logs. */
  sampleKeys: string[];
}

export class KafkaDeliveryError extends KafkaError {
  constructor(
    readonly undelivered: number,
    readonly attempted: number,
    readonly details: UndeliveredSummary[],
    bootstrapServers: string,
    /** The client error that ended delivery, when it was not per record (a refused login, a fatal error). */
    options?: { cause?: unknown },
  ) {
    const why = details
      .map(
        (d) =>
          `topic ${d.topic}: ${Object.entries(d.reasons)
            .map(([reason, n]) => `${n} x ${reason}`)
            .join(", ")}`,
      )
      .join("; ");
    super(
      `${undelivered} of ${attempted} records were not delivered to Kafka (${bootstrapServers}): ${why}. ` +
        "The invocation fails so the scheduler retries it; record ids are deterministic, so a retry " +
        "duplicates nothing a consumer cannot drop.",
      bootstrapServers,
      options,
    );
  }

  /** One error for the undelivered records of several produce calls (one per organisation). */
  static combine(errors: readonly KafkaDeliveryError[]): KafkaDeliveryError {
    const byTopic = new Map<string, UndeliveredSummary>();
    for (const detail of errors.flatMap((error) => error.details)) {
      const into = byTopic.get(detail.topic) ?? { topic: detail.topic, reasons: {}, sampleKeys: [] };
      for (const [reason, n] of Object.entries(detail.reasons))
        into.reasons[reason] = (into.reasons[reason] ?? 0) + n;
      into.sampleKeys = [...into.sampleKeys, ...detail.sampleKeys].slice(0, 5);
      byTopic.set(detail.topic, into);
    }
    const sum = (pick: (error: KafkaDeliveryError) => number) =>
      errors.reduce((n, error) => n + pick(error), 0);
    const cause = errors.find((error) => error.cause !== undefined)?.cause;
    return new KafkaDeliveryError(
      sum((error) => error.undelivered),
      sum((error) => error.attempted),
      [...byTopic.values()],
      errors[0]?.bootstrapServers ?? "",
      cause === undefined ? undefined : { cause },
    );
  }
}

/** librdkafka prefixes its log lines with the thread ("[thrd:sasl_ssl://...]: "); the reader does not need it. */
export function withoutThreadPrefix(line: string): string {
  return line.replace(/^\[thrd:[^\]]*\]: /, "");
}
