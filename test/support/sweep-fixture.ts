import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { createTopics } from "../../infra/local/kafka/admin.js";
import { localSecretsManagerClient, putSecret } from "../../infra/local/secrets/seed.js";
import type { SweepFunctionSettings } from "../../shared/config/sweep-settings.js";
import { type KindId, kindById } from "../../shared/kinds/registry.js";

/**
 * Per-suite wiring to the run's broker and Secrets Manager: a fresh topic and fresh secrets, so
 * suites never read each other's records or credentials.
 */
export interface SweepFixture {
  settings: SweepFunctionSettings;
  secretsManagerClientOptions: Record<string, unknown>;
  putSecret(name: string, value: string): Promise<void>;
}

export async function sweepFixture(opts: {
  kind: KindId;
  merakiBaseUrl: string;
  merakiApiKey: string;
  partitions?: number;
  overrides?: Partial<SweepFunctionSettings>;
}): Promise<SweepFixture> {
  const kafka = inject("kafka");
  const secrets = inject("secretsManager");
  const suffix = randomUUID().slice(0, 8);
  const topic = `test.sweep.${suffix}`;
  await createTopics(kafka, [{ name: topic, partitions: opts.partitions ?? 3 }]);
  const client = localSecretsManagerClient(secrets.endpoint, secrets.region);
  const merakiSecretId = `semaphore/test-${suffix}/meraki`;
  const kafkaSecretId = `semaphore/test-${suffix}/kafka`;
  await putSecret(client, merakiSecretId, opts.merakiApiKey);
  await putSecret(
    client,
    kafkaSecretId,
    JSON.stringify({ username: kafka.username, password: kafka.password }),
  );
  return {
    settings: {
      kind: kindById(opts.kind),
      topic,
      periodSeconds: 300,
      organizationIds: [],
      organizationConcurrency: 4,
      merakiSecretId,
      kafkaSecretId,
      merakiBaseUrl: opts.merakiBaseUrl,
      merakiRequestsPerSecond: 8,
      merakiRequestsPerSecondByOrganization: {},
      merakiTimeoutMs: 5_000,
      inventoryTtlSeconds: 3600,
      secretsCacheSeconds: 900,
      kafka: {
        bootstrapServers: kafka.bootstrapServers,
        transport: "verified-tls",
        caLocation: kafka.caLocation,
        deliveryTimeoutMs: 30_000,
        connectTimeoutMs: 10_000,
      },
      ...opts.overrides,
    },
    secretsManagerClientOptions: {
      endpoint: secrets.endpoint,
      region: secrets.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    },
    putSecret: (name, value) => putSecret(client, name, value),
  };
}
