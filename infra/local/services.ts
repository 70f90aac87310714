/**
 * The services a local run needs, started or found: Kafka (the embedded broker, or a cluster given
 * on the command line), a Secrets Manager and DynamoDB endpoint (moto) holding the functions'
 * secrets and the Meraki budget table, and the Meraki Dashboard API (the simulator, or the real API
 * with MERAKI_API_KEY). `npm start` and `npm run invoke` share this; `invoke` may instead use those
 * of a running `npm start` (sessionServices).
 */

import type { SecretIds } from "../config/function-env.js";
import type { StackConfig } from "../config/stack-config.js";
import { MissingTopicsError } from "./cli/errors.js";
import type { GivenKafka } from "./cli/kafka-target.js";
import { createBudgetTable, LOCAL_BUDGET_TABLE, localDynamoDbClient } from "./dynamodb/budget-table.js";
import { createDeliveriesTable, LOCAL_DELIVERIES_TABLE } from "./dynamodb/deliveries-table.js";
import { createTopics, type KafkaConnection, type TopicSpec } from "./kafka/admin.js";
import { startKafkaBroker } from "./kafka/broker.js";
import { missingTopics } from "./kafka/topics.js";
import { startMerakiSimulator } from "./meraki-simulator/index.js";
import { startSecretsManager } from "./secrets/moto-server.js";
import { localSecretsManagerClient, putSecret } from "./secrets/seed.js";
import { type PipelineSession, sessionKafkaConnection } from "./session.js";

export interface SimulatedOrganizations {
  organizations: number;
  networks: number;
  devices: number;
}

export interface LocalServicesOptions {
  /** An existing cluster; the embedded broker when undefined. */
  kafka: GivenKafka | undefined;
  /** The real Dashboard API's key; the simulator when undefined. */
  merakiApiKey: string | undefined;
  simulator: SimulatedOrganizations;
  /** What is being started, for a progress line. */
  progress?: (text: string) => void;
}

export interface AwsEndpoint {
  endpoint: string;
  region: string;
  /** For the SDK clients of the handlers (any static credentials satisfy moto). */
  clientOptions: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
}

export interface LocalServices {
  kafka: { connection: KafkaConnection; embedded: boolean; description: string };
  aws: AwsEndpoint;
  meraki: { baseUrl: string; simulated: boolean; description: string };
  secretIds: SecretIds;
  budgetTable: string;
  /** The consumer's table of records already written; none for the services of a running npm start. */
  deliveriesTable?: string;
  /** Stops what was started here, last started first. */
  stop(): Promise<void>;
}

export async function startLocalServices(
  config: StackConfig,
  options: LocalServicesOptions,
): Promise<LocalServices> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    options.progress?.(
      `starting ${options.kafka ? "" : "the Kafka broker, "}Secrets Manager and DynamoDB (moto)` +
        `${options.merakiApiKey ? "" : ", the Meraki simulator"}`,
    );
    const [broker, moto] = await Promise.all([
      options.kafka ? Promise.resolve(undefined) : startKafkaBroker(),
      startSecretsManager(),
    ]);
    if (broker) stops.push(broker.stop);
    stops.push(moto.stop);
    const kafka = broker
      ? {
          connection: broker,
          embedded: true,
          description: `${broker.bootstrapServers} (embedded broker, SASL_SSL)`,
        }
      : { connection: options.kafka!.connection, embedded: false, description: options.kafka!.description };

    let meraki: LocalServices["meraki"];
    let merakiKey: string;
    if (options.merakiApiKey) {
      merakiKey = options.merakiApiKey;
      meraki = {
        baseUrl: config.meraki.baseUrl,
        simulated: false,
        description: `${config.meraki.baseUrl} (the Dashboard API, key from MERAKI_API_KEY)`,
      };
    } else {
      const { organizations, networks, devices } = options.simulator;
      const simulator = await startMerakiSimulator({
        seed: 1,
        organizations,
        networksPerOrg: networks,
        devicesPerOrg: devices,
        clientsPerNetwork: 10,
      });
      stops.push(simulator.stop);
      merakiKey = simulator.apiKey;
      meraki = {
        baseUrl: simulator.baseUrl,
        simulated: true,
        description:
          `simulator at ${simulator.baseUrl} (${organizations} organisation(s), ${networks} networks and ` +
          `${devices} devices each)`,
      };
    }

    const aws: AwsEndpoint = {
      endpoint: moto.endpoint,
      region: moto.region,
      clientOptions: {
        endpoint: moto.endpoint,
        region: moto.region,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      },
    };
    // The moto server serves DynamoDB too: the budget and deliveries tables live there, as the stack's
    // do in AWS.
    const dynamoDb = localDynamoDbClient(moto.endpoint, moto.region);
    const secrets = localSecretsManagerClient(moto.endpoint, moto.region);
    const secretIds = { meraki: config.meraki.secretName, kafka: config.kafka.secretName };
    try {
      await createBudgetTable(dynamoDb, LOCAL_BUDGET_TABLE);
      await createDeliveriesTable(dynamoDb, LOCAL_DELIVERIES_TABLE);
      await putSecret(secrets, secretIds.meraki, merakiKey);
      const { username, password } = kafka.connection;
      await putSecret(secrets, secretIds.kafka, JSON.stringify({ username, password }));
    } finally {
      dynamoDb.destroy();
      secrets.destroy();
    }
    return {
      kafka,
      aws,
      meraki,
      secretIds,
      budgetTable: LOCAL_BUDGET_TABLE,
      deliveriesTable: LOCAL_DELIVERIES_TABLE,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The services of a running `npm start`, to invoke a function into its pipeline. Stopping leaves them running. */
export async function sessionServices(session: PipelineSession): Promise<LocalServices> {
  const { endpoint, region } = session.aws;
  return {
    kafka: {
      connection: await sessionKafkaConnection(session),
      embedded: session.kafka.embedded,
      description: `${session.kafka.bootstrapServers} (the running npm start, pid ${session.pid})`,
    },
    aws: {
      endpoint,
      region,
      clientOptions: { endpoint, region, credentials: { accessKeyId: "local", secretAccessKey: "local" } },
    },
    meraki: {
      baseUrl: session.meraki.baseUrl,
      simulated: session.meraki.simulated,
      description: `${session.meraki.baseUrl} (${session.meraki.simulated ? "simulator" : "Dashboard API"} of the running npm start)`,
    },
    secretIds: session.secretIds,
    budgetTable: session.budgetTable,
    stop: async () => undefined,
  };
}

/**
 * The topics the run produces to or reads: created on the embedded broker; on an existing cluster
 * they must be there already (Confluent Cloud has no auto-creation), or a MissingTopicsError says
 * how to create them.
 */
export async function provideTopics(kafka: LocalServices["kafka"], topics: TopicSpec[]): Promise<void> {
  if (kafka.embedded) {
    await createTopics(kafka.connection, topics);
    return;
  }
  const missing = await missingTopics(
    kafka.connection,
    topics.map((t) => t.name),
  );
  if (missing.length > 0) throw new MissingTopicsError(missing, kafka.connection.bootstrapServers);
}
