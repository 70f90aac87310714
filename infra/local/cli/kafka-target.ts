/**
 * Which Kafka cluster a command talks to, from its options and environment:
 *
 * 1. `--kafka-bootstrap <host:port>` (or KAFKA_BOOTSTRAP_SERVERS) with credentials, or credentials
 *    alone, which then go to the stack config's `kafka.bootstrapServers` (Confluent Cloud);
 * 2. otherwise the running `npm start` (its session file), with the credentials its sweeps use;
 * 3. otherwise none: `npm start` and `invoke` then start the embedded broker, the others stop.
 *
 * Credentials are the Kafka secret's JSON, `{"username": "<API key>", "password": "<API secret>"}`,
 * from `--kafka-credentials <file>` (or KAFKA_CREDENTIALS_FILE), or KAFKA_USERNAME and
 * KAFKA_PASSWORD. `--kafka-ca <pem>` (or KAFKA_SSL_CA_LOCATION) trusts a private CA; the system's
 * CAs otherwise, which is what Confluent Cloud needs.
 */
import { readFileSync } from "node:fs";
import { kafkaSecretSchema } from "../../../shared/handlers/credentials.js";
import type { StackConfig } from "../../config/stack-config.js";
import type { KafkaConnection } from "../kafka/admin.js";
import { findSession, type PipelineSession, sessionKafkaConnection } from "../session.js";
import { InputFileError, NoKafkaClusterError, UsageError } from "./errors.js";

/** The options, for a command's parseArgs config. */
export const KAFKA_OPTIONS = {
  "kafka-bootstrap": { type: "string" },
  "kafka-credentials": { type: "string" },
  "kafka-ca": { type: "string" },
} as const;

export interface KafkaArgs {
  "kafka-bootstrap"?: string | undefined;
  "kafka-credentials"?: string | undefined;
  "kafka-ca"?: string | undefined;
}

type Env = Record<string, string | undefined>;

/** A cluster named on the command line or in the environment. */
export interface GivenKafka {
  connection: KafkaConnection;
  /** Where it came from, for banners and errors: no secret in it. */
  description: string;
}

/**
 * The cluster the options and environment name, or undefined when they name none. A UsageError
 * when they name only part of one; an InputFileError for an unreadable credentials or CA file.
 */
export function givenKafka(args: KafkaArgs, env: Env, config: StackConfig): GivenKafka | undefined {
  const bootstrap = args["kafka-bootstrap"] ?? env.KAFKA_BOOTSTRAP_SERVERS;
  const credentials = givenCredentials(args, env);
  if (bootstrap === undefined && credentials === undefined) return undefined;
  if (credentials === undefined) {
    throw new UsageError(
      `Kafka at ${bootstrap} needs SASL/PLAIN credentials: --kafka-credentials <file> (JSON ` +
        '{"username": "<API key>", "password": "<API secret>"}, the Kafka secret\'s format) or ' +
        "KAFKA_USERNAME and KAFKA_PASSWORD",
    );
  }
  const bootstrapServers = bootstrap ?? config.kafka.bootstrapServers;
  const where = bootstrap === undefined ? " (kafka.bootstrapServers of the stack config)" : "";
  const caLocation = args["kafka-ca"] ?? env.KAFKA_SSL_CA_LOCATION;
  if (caLocation !== undefined) readable(caLocation, "CA certificate (--kafka-ca)");
  return {
    connection: {
      bootstrapServers,
      username: credentials.value.username,
      password: credentials.value.password,
      ...(caLocation === undefined ? {} : { caLocation }),
    },
    description: `${bootstrapServers}${where}, user "${credentials.value.username}" from ${credentials.from}`,
  };
}

function givenCredentials(
  args: KafkaArgs,
  env: Env,
): { value: { username: string; password: string }; from: string } | undefined {
  const file = args["kafka-credentials"] ?? env.KAFKA_CREDENTIALS_FILE;
  if (file !== undefined) return { value: credentialsFile(file), from: file };
  const { KAFKA_USERNAME: username, KAFKA_PASSWORD: password } = env;
  if (username === undefined && password === undefined) return undefined;
  if (!username || !password) {
    throw new UsageError("KAFKA_USERNAME and KAFKA_PASSWORD go together: set both, or neither");
  }
  return { value: { username, password }, from: "KAFKA_USERNAME" };
}

/** The Kafka secret's JSON from a file; the error says what is wrong, never what the file holds. */
export function credentialsFile(path: string): { username: string; password: string } {
  const text = readable(path, "Kafka credentials file (--kafka-credentials)");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = kafkaSecretSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputFileError(
      path,
      `${path} is not a Kafka credential: it must be JSON {"username": "<API key>", "password": ` +
        '"<API secret>"}, the format of the Kafka secret',
    );
  }
  return parsed.data;
}

function readable(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new InputFileError(path, `cannot read the ${what} ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The cluster a command that does not start one talks to: the given one, or the running pipeline's. */
export interface CommandKafka extends GivenKafka {
  /** Set when it is the running `npm start`'s. */
  session?: PipelineSession;
}

export async function commandKafka(args: KafkaArgs, env: Env, config: StackConfig): Promise<CommandKafka> {
  const given = givenKafka(args, env, config);
  if (given) return given;
  const session = findSession();
  if (session) {
    return {
      connection: await sessionKafkaConnection(session),
      description: `${session.kafka.bootstrapServers}, the ${session.kafka.embedded ? "embedded broker" : "cluster"} of the running npm start (pid ${session.pid})`,
      session,
    };
  }
  throw new NoKafkaClusterError(
    "no Kafka cluster to talk to: start the local pipeline with `npm start` in another terminal, or name " +
      "a cluster with --kafka-bootstrap <host:port> and --kafka-credentials <file> (or only " +
      "--kafka-credentials, for the stack config's kafka.bootstrapServers)",
  );
}
