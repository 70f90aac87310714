// Every sweep sample of test/events/ is an event every sweep function accepts: each goes through
// the sweep handler itself (createSweepHandler, its middlewares, Secrets Manager on moto, the
// shared budget on moto's DynamoDB, the real broker) against the simulator, on the samples' clock.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { parseStackConfig } from "../../infra/config/stack-config.js";
import { createBudgetTable, localDynamoDbClient } from "../../infra/local/dynamodb/budget-table.js";
import { localSweepHandler, sweepContext } from "../../infra/local/functions.js";
import { createTopics } from "../../infra/local/kafka/admin.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { SAMPLE_NOW, SAMPLE_SCHEDULED_TIME } from "../../infra/local/sample-events/swept-records.js";
import { localSecretsManagerClient, putSecret } from "../../infra/local/secrets/seed.js";
import type { SweepHandler } from "../../shared/handlers/sweep-handler.js";
import { KINDS, type KindId } from "../../shared/kinds/registry.js";

const config = parseStackConfig(stackConfig);
const suffix = randomUUID().slice(0, 8);
const sample = (name: string): unknown => JSON.parse(readFileSync(`test/events/${name}`, "utf8"));
const topicOf = (kind: KindId) => `test.samples.${suffix}.${kind}`;

let simulator: RunningSimulator;
const handlers = new Map<KindId, SweepHandler>();

beforeAll(async () => {
  const kafka = inject("kafka");
  const aws = inject("secretsManager");
  simulator = await startMerakiSimulator({
    seed: 3,
    organizations: 1,
    networksPerOrg: 3,
    devicesPerOrg: 30,
    clientsPerNetwork: 2,
    now: () => SAMPLE_NOW,
  });
  const secretIds = {
    meraki: `semaphore/samples-${suffix}/meraki`,
    kafka: `semaphore/samples-${suffix}/kafka`,
  };
  const secrets = localSecretsManagerClient(aws.endpoint, aws.region);
  await putSecret(secrets, secretIds.meraki, simulator.apiKey);
  await putSecret(
    secrets,
    secretIds.kafka,
    JSON.stringify({ username: kafka.username, password: kafka.password }),
  );
  const budgetTable = `semaphore-budget-samples-${suffix}`;
  await createBudgetTable(localDynamoDbClient(aws.endpoint, aws.region), budgetTable);
  await createTopics(
    kafka,
    KINDS.map((kind) => ({ name: topicOf(kind.id), partitions: 1 })),
  );
  const services = {
    kafka: { connection: kafka, embedded: false, description: kafka.bootstrapServers },
    aws: {
      ...aws,
      clientOptions: { ...aws, credentials: { accessKeyId: "local", secretAccessKey: "local" } },
    },
    meraki: { baseUrl: simulator.baseUrl, simulated: true, description: simulator.baseUrl },
    secretIds,
    budgetTable,
  };
  for (const kind of KINDS) {
    handlers.set(
      kind.id,
      localSweepHandler(config, kind.id, services, { topic: topicOf(kind.id), now: () => SAMPLE_NOW }),
    );
  }
}, 60_000);

afterAll(async () => {
  for (const handler of handlers.values()) await handler.close();
  await simulator?.stop();
});

const eachKind = KINDS.map((kind) => [kind.id] as [KindId]);
const invoke = (kind: KindId, event: unknown) => handlers.get(kind)!(event, sweepContext(config, kind));

describe("the sweep samples, through every sweep function", () => {
  it.each(eachKind)("%s sweeps the slot of scheduler.json", async (kind) => {
    const summary = await invoke(kind, sample("scheduler.json"));
    expect({ sweep: summary.sweep, sweepId: summary.sweepId, topic: summary.topic }).toEqual({
      sweep: kind,
      sweepId: SAMPLE_SCHEDULED_TIME,
      topic: topicOf(kind),
    });
  });

  it.each(eachKind)("%s sweeps the slot of scheduled-event.json", async (kind) => {
    const summary = await invoke(kind, sample("scheduled-event.json"));
    expect(summary.sweepId).toBe(SAMPLE_SCHEDULED_TIME);
  });

  it.each(eachKind)(
    "%s sweeps the current slot for manual.json, named after the invocation",
    async (kind) => {
      const context = sweepContext(config, kind);
      const summary = await handlers.get(kind)!(sample("manual.json"), context);
      expect(summary.sweepId).toBe(context.awsRequestId);
    },
  );

  it.each(KINDS.filter((kind) => kind.perNetwork).map((kind) => [kind.id] as [KindId]))(
    "%s, split into shards, sweeps shard 0 of 2 for scheduler-shard.json",
    async (kind) => {
      const summary = await invoke(kind, sample("scheduler-shard.json"));
      expect(summary.shard).toEqual({ index: 0, count: 2 });
    },
  );

  it.each(KINDS.filter((kind) => !kind.perNetwork).map((kind) => [kind.id] as [KindId]))(
    "%s, whose calls are organisation-wide, refuses scheduler-shard.json",
    async (kind) => {
      await expect(invoke(kind, sample("scheduler-shard.json"))).rejects.toThrow(
        `${kind} makes organisation-wide calls and is not split into shards`,
      );
    },
  );
});
