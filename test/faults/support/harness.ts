/**
 * A sweep handler wired for one fault case: its own topic on the given cluster (the run's broker or
 * one of the fault brokers), its own secrets in the run's Secrets Manager (moto), a Powertools
 * logger at DEBUG so every line the code can write is written (and captured by the leak watch), and
 * helpers that read back what the topic holds.
 */
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { inject } from "vitest";
import { createTopics, type KafkaConnection, withAdmin } from "../../../infra/local/kafka/admin.js";
import { lambdaContext } from "../../../infra/local/lambda-context.js";
import { localSecretsManagerClient, putSecret } from "../../../infra/local/secrets/seed.js";
import type { SweepFunctionSettings } from "../../../shared/config/sweep-settings.js";
import { createSweepHandler, type SweepHandler } from "../../../shared/handlers/sweep-handler.js";
import { type KindId, kindById } from "../../../shared/kinds/registry.js";
import type { SweepSummary } from "../../../shared/sweeps/run-sweep.js";
import { type ReadRecord, readRecords } from "../../support/kafka-read.js";
import type { LeakWatch } from "./leak-watch.js";

/** The slot every case sweeps, so a retry covers the same window and produces the same ids. */
export const SLOT = { scheduledTime: "2026-11-22T10:00:00Z" };

export type Outcome = { ok: true; summary: SweepSummary } | { ok: false; error: Error };

export interface FaultSweepOptions {
  kind: KindId;
  merakiBaseUrl: string;
  merakiApiKey: string;
  /** Default: the run's broker. */
  kafka?: KafkaConnection & { caLocation: string };
  partitions?: number;
  topicConfigs?: Record<string, string>;
  /** False: the topic is never created. */
  createTopic?: boolean;
  overrides?: Partial<Omit<SweepFunctionSettings, "kafka">>;
  kafkaSettings?: Partial<SweepFunctionSettings["kafka"]>;
  /**
   * What the secrets hold when the handler starts (default: the Meraki key, and the connection's
   * credentials as JSON). The handler reads them at once (middy prefetches at cold start), so a
   * later putSecret is seen only once the cache is dropped: after a refused key, or its expiry.
   */
  secretValues?: { meraki?: string; kafka?: string };
  watch: LeakWatch;
}

export interface FaultSweep {
  settings: SweepFunctionSettings;
  topic: string;
  connection: KafkaConnection;
  handler: SweepHandler;
  /** One invocation, its summary or its error noted in the leak watch. */
  invoke(options?: { event?: unknown; remainingMs?: number }): Promise<Outcome>;
  putSecret(name: string, value: string): Promise<void>;
  /** What the topic holds now (sum of the partitions' end offsets). */
  count(): Promise<number>;
  /** The topic's records, all `count()` of them. */
  records(): Promise<ReadRecord[]>;
  close(): Promise<void>;
}

export async function faultSweep(options: FaultSweepOptions): Promise<FaultSweep> {
  const kafka = options.kafka ?? inject("kafka");
  const secrets = inject("secretsManager");
  const suffix = randomUUID().slice(0, 8);
  const topic = `faults.${options.kind}.${suffix}`;
  if (options.createTopic !== false) {
    await createTopics(kafka, [
      {
        name: topic,
        partitions: options.partitions ?? 2,
        ...(options.topicConfigs ? { configs: options.topicConfigs } : {}),
      },
    ]);
  }
  const client = localSecretsManagerClient(secrets.endpoint, secrets.region);
  const merakiSecretId = `semaphore/faults-${suffix}/meraki`;
  const kafkaSecretId = `semaphore/faults-${suffix}/kafka`;
  await putSecret(client, merakiSecretId, options.secretValues?.meraki ?? options.merakiApiKey);
  await putSecret(
    client,
    kafkaSecretId,
    options.secretValues?.kafka ?? JSON.stringify({ username: kafka.username, password: kafka.password }),
  );
  const settings: SweepFunctionSettings = {
    kind: kindById(options.kind),
    topic,
    periodSeconds: 300,
    organizationIds: [],
    organizationConcurrency: 4,
    merakiSecretId,
    kafkaSecretId,
    merakiBaseUrl: options.merakiBaseUrl,
    merakiRequestsPerSecond: 50,
    merakiRequestsPerSecondByOrganization: {},
    merakiTimeoutMs: 5_000,
    inventoryTtlSeconds: 3600,
    secretsCacheSeconds: 900,
    ...options.overrides,
    kafka: {
      bootstrapServers: kafka.bootstrapServers,
      transport: "verified-tls",
      caLocation: kafka.caLocation,
      deliveryTimeoutMs: 10_000,
      connectTimeoutMs: 5_000,
      ...options.kafkaSettings,
    },
  };
  const handler = createSweepHandler(settings, {
    logger: new Logger({ serviceName: `faults-${options.kind}`, logLevel: "DEBUG" }),
    secretsManagerClientOptions: {
      endpoint: secrets.endpoint,
      region: secrets.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    },
  });
  const count = () => topicCount(kafka, topic);
  return {
    settings,
    topic,
    connection: kafka,
    handler,
    invoke: async ({ event = SLOT, remainingMs } = {}) => {
      try {
        const summary = await handler(event, lambdaContext(`faults-${options.kind}`, remainingMs));
        options.watch.note(`summary of ${topic}`, summary);
        return { ok: true, summary };
      } catch (error) {
        options.watch.note(`error of ${topic}`, error);
        return { ok: false, error: error as Error };
      }
    },
    putSecret: (name, value) => putSecret(client, name, value),
    count,
    records: async () => readRecords(kafka, topic, await count(), { timeoutMs: 30_000 }),
    close: () => handler.close(),
  };
}

export async function topicCount(connection: KafkaConnection, topic: string): Promise<number> {
  const offsets = await withAdmin(connection, (admin) => admin.fetchTopicOffsets(topic));
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

/** The `record-id` header of each record. */
export function recordIds(records: ReadRecord[]): string[] {
  return records.map((record) => record.headers["record-id"] ?? "");
}

/** The summary of a successful outcome; fails the test with the error otherwise. */
export function summaryOf(outcome: Outcome): SweepSummary {
  if (!outcome.ok) throw new Error(`expected the sweep to succeed, it failed: ${outcome.error.message}`);
  return outcome.summary;
}

/** The error of a failed outcome; fails the test with the summary otherwise. */
export function errorOf(outcome: Outcome): Error {
  if (outcome.ok)
    throw new Error(`expected the sweep to fail, it succeeded: ${JSON.stringify(outcome.summary)}`);
  return outcome.error;
}

/**
 * Waits until the topic holds at least `atLeast` records, polling its end offsets over one admin
 * connection; resolves with the count seen. For stopping a broker once a produce is under way.
 */
export async function untilCount(
  connection: KafkaConnection,
  topic: string,
  atLeast: number,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  return withAdmin(connection, async (admin) => {
    for (;;) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const seen = offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
      if (seen >= atLeast) return seen;
      if (Date.now() > deadline) throw new Error(`topic ${topic} held ${seen} of ${atLeast} records in time`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
}
