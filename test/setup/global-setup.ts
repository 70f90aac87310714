import type { TestProject } from "vitest/node";
import { startKafkaBroker } from "../../infra/local/kafka/broker.js";
import { startSecretsManager } from "../../infra/local/secrets/moto-server.js";

/**
 * One real Kafka broker (KRaft, SASL_SSL + PLAIN, like Confluent Cloud) and one real Secrets
 * Manager endpoint (moto) for the whole run; suites create their own topics and secrets.
 */
export default async function setup(project: TestProject) {
  const [broker, secrets] = await Promise.all([startKafkaBroker(), startSecretsManager()]);
  project.provide("kafka", {
    bootstrapServers: broker.bootstrapServers,
    username: broker.username,
    password: broker.password,
    caLocation: broker.caLocation,
  });
  project.provide("secretsManager", { endpoint: secrets.endpoint, region: secrets.region });
  return async () => {
    await Promise.all([broker.stop(), secrets.stop()]);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    kafka: { bootstrapServers: string; username: string; password: string; caLocation: string };
    secretsManager: { endpoint: string; region: string };
  }
}
