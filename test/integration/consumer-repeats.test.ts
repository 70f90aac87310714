// What the consumer does with the records a retried sweep produces again (the same ids), with the
// deliveries table on DynamoDB (moto's): each record id is written and counted once, whichever
// batch, partition or offset its copies arrive in. The records are those of a real sweep of the
// simulator, swept twice for the same slot as a retried invocation does; the first attempt
// delivered only part of them before it failed.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { localDynamoDbClient } from "../../infra/local/dynamodb/budget-table.js";
import {
  createDeliveriesTable,
  LOCAL_DELIVERIES_TABLE,
} from "../../infra/local/dynamodb/deliveries-table.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import type { ConsumerBatchSummary } from "../../shared/consumer/batch-tally.js";
import { DynamoDbDeliveryLedger } from "../../shared/consumer/deliveries.js";
import { DeliveriesUnavailableError, RecordProcessingError } from "../../shared/consumer/errors.js";
import { jsonLineLog } from "../../shared/consumer/record-log.js";
import type { ProduceResult, RecordProducer } from "../../shared/kafka/producer.js";
import type { TelemetryRecord } from "../../shared/kafka/record.js";
import { networkClients } from "../../shared/kinds/network-clients.js";
import { MerakiClient } from "../../shared/meraki/index.js";
import { InventoryCache } from "../../shared/sweeps/inventory.js";
import { runSweep } from "../../shared/sweeps/run-sweep.js";
import { consumerUnderTest, NOW } from "../consumer/support/consumer.js";
import { kafkaEvent, type ProducedRecord, produced } from "../consumer/support/kafka-event.js";

const moto = () => inject("secretsManager");
const PARTITIONS = 3;
const BATCH = 40;
const SCHEDULED = new Date("2026-11-22T10:00:00Z");

class KeepingProducer implements RecordProducer {
  readonly records: TelemetryRecord[] = [];
  async produce(records: TelemetryRecord[]): Promise<ProduceResult> {
    this.records.push(...records);
    return { delivered: records.length, bytes: 0 };
  }
}

let simulator: RunningSimulator;
/** The first attempt's records that reached the topic before it failed, and the retry's: all of them. */
let firstAttempt: TelemetryRecord[];
let retry: TelemetryRecord[];

async function sweepTheSlot(meraki: MerakiClient): Promise<TelemetryRecord[]> {
  const producer = new KeepingProducer();
  await runSweep({
    kind: networkClients,
    settings: {
      topic: networkClients.defaultTopic,
      periodSeconds: 900,
      organizationIds: [],
      organizationConcurrency: 1,
    },
    meraki,
    inventory: new InventoryCache({ ttlMs: 3_600_000 }),
    producer,
    scheduledTime: SCHEDULED,
    sweepId: SCHEDULED.toISOString(),
  });
  return producer.records;
}

beforeAll(async () => {
  simulator = await startMerakiSimulator({
    seed: 7,
    organizations: 1,
    networksPerOrg: 6,
    devicesPerOrg: 30,
    clientsPerNetwork: 20,
    rateLimitPerSecond: 10_000,
  });
  const meraki = new MerakiClient({
    apiKey: simulator.apiKey,
    baseUrl: simulator.baseUrl,
    requestsPerSecond: 10_000,
  });
  const all = await sweepTheSlot(meraki);
  firstAttempt = all.slice(0, Math.floor(all.length * 0.6));
  retry = await sweepTheSlot(meraki);
});

afterAll(() => simulator.stop());

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  return () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  };
});

async function freshLedger(): Promise<DynamoDbDeliveryLedger> {
  const tableName = `${LOCAL_DELIVERIES_TABLE}-${randomUUID().slice(0, 8)}`;
  const client = localDynamoDbClient(moto().endpoint, moto().region);
  await createDeliveriesTable(client, tableName);
  return new DynamoDbDeliveryLedger({ client, tableName, rememberDays: 14 });
}

/**
 * The topic as the two attempts left it: the first attempt's records, then the retry's, each at
 * the next offset of its partition (a record's key decides its partition, so a repeat lands in the
 * partition of its first copy), read back in batches of BATCH records as the mapping would.
 */
function batchesOfTheTopic(): ProducedRecord[][] {
  const next = new Map<number, number>();
  const log = [...produced(firstAttempt, PARTITIONS), ...produced(retry, PARTITIONS)].map((record) => {
    const partition = record.partition ?? 0;
    const offset = next.get(partition) ?? 0;
    next.set(partition, offset + 1);
    return { ...record, offset };
  });
  const batches: ProducedRecord[][] = [];
  for (let i = 0; i < log.length; i += BATCH) batches.push(log.slice(i, i + BATCH));
  return batches;
}

/** ClientsSeen summed over every EMF document, per NetworkId: what CloudWatch's Sum reads. */
function clientsSeenByNetwork(documents: Array<Record<string, unknown>>): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const document of documents) {
    if (typeof document.ClientsSeen !== "number") continue;
    const network = String(document.NetworkId);
    sums[network] = (sums[network] ?? 0) + document.ClientsSeen;
  }
  return sums;
}

/** The distinct clients of each network in the slot: what ClientsSeen must say. */
function distinctClientsByNetwork(records: TelemetryRecord[]): Record<string, number> {
  const clients = new Map<string, Set<string>>();
  for (const record of records) {
    const { source } = JSON.parse(record.value) as { source: { networkId: string; clientId: string } };
    if (!clients.has(source.networkId)) clients.set(source.networkId, new Set());
    clients.get(source.networkId)!.add(source.clientId);
  }
  return Object.fromEntries([...clients].map(([network, ids]) => [network, ids.size]));
}

describe("a retried sweep's records read by the consumer", () => {
  it("are the same slot twice: every record of the first attempt is repeated with its id", () => {
    const retryIds = new Set(retry.map((record) => record.headers["record-id"]));
    expect(firstAttempt.length).toBeGreaterThan(BATCH);
    expect(firstAttempt.every((record) => retryIds.has(record.headers["record-id"]))).toBe(true);
  });

  it("with the deliveries table: one telemetry line per record id and ClientsSeen counted once per client", async () => {
    const consumer = consumerUnderTest({}, { deliveries: await freshLedger() });
    const summaries: ConsumerBatchSummary[] = [];
    for (const batch of batchesOfTheTopic()) summaries.push(await consumer.invoke(kafkaEvent(batch)));

    const lines = consumer.records().filter((line) => line.message === "telemetry");
    expect(lines.map((line) => line.recordId).sort()).toEqual(
      retry.map((record) => record.headers["record-id"]).sort(),
    );
    expect(clientsSeenByNetwork(consumer.emf())).toEqual(distinctClientsByNetwork(retry));
    expect(summaries.reduce((sum, s) => sum + s.accepted, 0)).toBe(retry.length);
    expect(summaries.reduce((sum, s) => sum + s.duplicates, 0)).toBe(firstAttempt.length);
    const duplicates = consumer
      .emf()
      .filter((document) => document.Kind === "network-clients")
      .reduce((sum, document) => sum + Number(document.RecordsDuplicate), 0);
    expect(duplicates).toBe(firstAttempt.length);
  });

  it("without it (only repeats within a batch are dropped) the repeats are written and counted again", async () => {
    const consumer = consumerUnderTest();
    for (const batch of batchesOfTheTopic()) await consumer.invoke(kafkaEvent(batch));
    const lines = consumer.records().filter((line) => line.message === "telemetry");
    expect(lines).toHaveLength(firstAttempt.length + retry.length);
    const counted = Object.values(clientsSeenByNetwork(consumer.emf())).reduce((a, b) => a + b, 0);
    expect(counted).toBe(firstAttempt.length + retry.length);
  });

  it("counts a batch the mapping retries after a failed write once: the failed attempt published no metric", async () => {
    const deliveries = await freshLedger();
    const [batch] = batchesOfTheTopic();
    let written = 0;
    const failing = consumerUnderTest(
      {},
      {
        deliveries,
        recordLog: (lines) =>
          jsonLineLog({
            serviceName: "semaphore-consumer",
            now: () => NOW,
            write: (line) => {
              if (++written === 5) throw new Error("stdout closed");
              lines.push(line);
            },
          }),
      },
    );
    await expect(failing.invoke(kafkaEvent(batch!))).rejects.toBeInstanceOf(RecordProcessingError);
    expect(clientsSeenByNetwork(failing.emf())).toEqual({});

    const again = consumerUnderTest({}, { deliveries });
    const summary = await again.invoke(kafkaEvent(batch!));
    const records = firstAttempt.slice(0, BATCH);
    expect(summary).toMatchObject({ records: BATCH, accepted: BATCH, duplicates: 0 });
    expect(clientsSeenByNetwork(again.emf())).toEqual(distinctClientsByNetwork(records));
  });

  it("fails the batch, writing nothing, when the deliveries table cannot be reached", async () => {
    const unreachable = new DynamoDbDeliveryLedger({
      client: localDynamoDbClient("http://127.0.0.1:9", moto().region),
      tableName: LOCAL_DELIVERIES_TABLE,
      rememberDays: 14,
    });
    const consumer = consumerUnderTest({}, { deliveries: unreachable });
    const [batch] = batchesOfTheTopic();
    const error = await consumer.invoke(kafkaEvent(batch!)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveriesUnavailableError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^could not check the deliveries table ${LOCAL_DELIVERIES_TABLE} for record meraki\\.network\\.clients-\\d@\\d+: `,
      ),
    );
    expect(consumer.lines).toEqual([]);
    expect(clientsSeenByNetwork(consumer.emf())).toEqual({});
  });
});
