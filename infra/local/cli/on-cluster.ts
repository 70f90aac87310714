import { SemaphoreError } from "../../../shared/errors.js";
import { KafkaRequestError } from "./errors.js";
import type { CommandKafka } from "./kafka-target.js";

/**
 * Runs a request against the command's cluster; a failure the Kafka client reports in its own terms
 * (a timeout, a transport failure) becomes a KafkaRequestError that says what was tried where, with
 * which credentials (where they came from, never what they are), and what to check.
 */
export async function onCluster<T>(kafka: CommandKafka, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SemaphoreError) throw error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new KafkaRequestError(
      `${what} failed on Kafka ${kafka.description}: ${reason}. Check that the cluster is reachable from ` +
        "here and that the credentials belong to it and may do this (ACLs)",
      { cause: error },
    );
  }
}
