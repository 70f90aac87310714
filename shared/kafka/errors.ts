/** Typed Kafka failures. Messages name what failed and what to do; they never carry a secret. */
export class KafkaProducerError extends Error {
  override readonly name: string = "KafkaProducerError";
  constructor(
    message: string,
    readonly bootstrapServers: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class KafkaAuthenticationError extends KafkaProducerError {
  override readonly name = "KafkaAuthenticationError";
}

export class KafkaUnreachableError extends KafkaProducerError {
  override readonly name = "KafkaUnreachableError";
}

export interface UndeliveredSummary {
  topic: string;
  /** librdkafka's reason (e.g. "Local: Message timed out") and how many records failed with it. */
  reasons: Record<string, number>;
  /** Up to five keys of undelivered records, to find them in logs. */
  sampleKeys: string[];
}

export class KafkaDeliveryError extends KafkaProducerError {
  override readonly name = "KafkaDeliveryError";
  constructor(
    readonly undelivered: number,
    readonly attempted: number,
    readonly details: UndeliveredSummary[],
    bootstrapServers: string,
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
    );
  }
}
