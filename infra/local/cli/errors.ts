// The command-line tools' own failures. Each says what was wrong and what to do instead; none
// carries a secret (a credential file's path, never its content).

import { SemaphoreError } from "../../../shared/errors.js";

export abstract class CliError extends SemaphoreError {}

/** The command line is wrong: an unknown option, a missing argument, a value out of range. */
export class UsageError extends CliError {}

/** A file the command was pointed at is missing or not what it should hold. */
export class InputFileError extends CliError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Nothing to talk to: no Kafka cluster given and no local pipeline running. */
export class NoKafkaClusterError extends CliError {}

/** Topics the command needs are not on the cluster (Confluent Cloud does not create them on use). */
export class MissingTopicsError extends CliError {
  constructor(
    readonly topics: readonly string[],
    readonly bootstrapServers: string,
  ) {
    super(
      `topic(s) ${topics.join(", ")} do not exist at ${bootstrapServers}: create them first, with ` +
        "`npm run topics -- create-all` (every enabled kind's topic, from the stack config) or " +
        "`npm run topics -- create <name>`, and the same --kafka-bootstrap and --kafka-credentials",
    );
  }
}

/** A destructive command was not confirmed. */
export class NotConfirmedError extends CliError {}

/** Topics named on the command line that the cluster does not have. */
export class UnknownTopicsError extends CliError {
  constructor(
    readonly topics: readonly string[],
    readonly bootstrapServers: string,
  ) {
    super(
      `topic(s) ${topics.join(", ")} do not exist at ${bootstrapServers} (\`npm run topics -- list\` shows ` +
        "those there are)",
    );
  }
}

/** A request to Kafka failed; names the cluster and where its credentials came from, never them. */
export class KafkaRequestError extends CliError {}
