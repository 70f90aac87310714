import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RecordProcessingError } from "../../shared/consumer/errors.js";
import { jsonLineLog } from "../../shared/consumer/record-log.js";
import { consumerUnderTest, NOW } from "./support/consumer.js";
import { kafkaEvent, produced } from "./support/kafka-event.js";
import {
  clientRecords,
  floor2Ap,
  laptop,
  largeBatch,
  lobbyAp,
  mainOfficeWan1,
  printer,
  statusRecords,
  uplinkRecords,
} from "./support/telemetry.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the consumer handler", () => {
  it("returns and logs a summary: accepted, duplicates, rejected by reason, and the same per kind", async () => {
    const consumer = consumerUnderTest();
    const summary = await consumer.invoke(
      kafkaEvent([
        ...produced(uplinkRecords([mainOfficeWan1])),
        ...produced(clientRecords([laptop, printer])),
        ...produced(statusRecords([lobbyAp, lobbyAp])),
        { topic: "meraki.devices.statuses", value: "{}" },
      ]),
    );
    const expected = {
      records: 6,
      accepted: 4,
      duplicates: 1,
      rejected: 1,
      rejectedByReason: { "foreign-producer": 1 },
      kinds: {
        "uplink-loss-latency": { accepted: 1, duplicates: 0, rejected: 0 },
        "network-clients": { accepted: 2, duplicates: 0, rejected: 0 },
        "device-statuses": { accepted: 1, duplicates: 1, rejected: 0 },
        unknown: { accepted: 0, duplicates: 0, rejected: 1 },
      },
    };
    expect(summary).toEqual(expected);
    const [processed] = consumer.logs();
    expect(processed).toMatchObject({
      level: "INFO",
      message: "batch processed",
      service: "semaphore-consumer",
      function_name: "semaphore-consumer",
      summary: expected,
      offsets:
        "meraki.uplinks.loss-latency-0@0..0, meraki.network.clients-0@0..1, meraki.devices.statuses-0@0..2",
    });
  });

  it("writes a record id once per batch, however often a retried sweep produced it", async () => {
    const consumer = consumerUnderTest();
    const once = statusRecords([lobbyAp, floor2Ap]);
    const summary = await consumer.invoke(kafkaEvent(produced([...once, ...once, ...once])));
    expect(consumer.records().map((line) => [line.serial, line.offset])).toEqual([
      ["Q234-ABCD-0001", 0],
      ["Q234-ABCD-0002", 1],
    ]);
    expect(summary).toMatchObject({ accepted: 2, duplicates: 4 });
  });

  it("returns an all-zero summary for an event without records", async () => {
    const consumer = consumerUnderTest();
    const summary = await consumer.invoke(kafkaEvent([]));
    expect(summary).toEqual({
      records: 0,
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      rejectedByReason: {},
      kinds: {},
    });
    expect(consumer.lines).toEqual([]);
  });

  it("processes a 10,000-record batch: one line per record and a bounded number of metric documents", async () => {
    const consumer = consumerUnderTest();
    const records = largeBatch(10_000);
    const started = performance.now();
    const summary = await consumer.invoke(kafkaEvent(produced(records, 6)));
    const elapsedMs = performance.now() - started;
    expect(summary).toEqual({
      records: 10_000,
      accepted: 10_000,
      duplicates: 0,
      rejected: 0,
      rejectedByReason: {},
      kinds: {
        "uplink-loss-latency": { accepted: 3333, duplicates: 0, rejected: 0 },
        "network-clients": { accepted: 3333, duplicates: 0, rejected: 0 },
        "device-statuses": { accepted: 3334, duplicates: 0, rejected: 0 },
      },
    });
    expect(consumer.lines).toHaveLength(10_000);
    // 200 networks: 2 uplinks + 1 clients + 3 statuses per network, 3 kinds, 1 batch document.
    expect(consumer.emf()).toHaveLength(200 * 2 + 200 + 200 * 3 + 3 + 1);
    // Generous: the benchmark measures about 0.2 s; this only catches an accidental quadratic.
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it("fails the batch when a line cannot be written, naming the record, so the mapping retries it", async () => {
    const consumer = consumerUnderTest(
      {},
      {
        recordLog: (lines) => {
          const log = jsonLineLog({ serviceName: "semaphore-consumer", write: (line) => lines.push(line) });
          return {
            rejected: log.rejected,
            telemetry: (fields) => {
              if (lines.length === 2) throw new Error("EPIPE: broken pipe, write");
              log.telemetry(fields);
            },
          };
        },
      },
    );
    const invocation = consumer.invoke(
      kafkaEvent(
        produced(
          statusRecords(
            [lobbyAp, floor2Ap, lobbyAp, floor2Ap].map((row, i) => ({ ...row, serial: `Q234-0000-000${i}` })),
          ),
        ),
      ),
    );
    await expect(invocation).rejects.toThrow(
      new RecordProcessingError(
        "output",
        { topic: "meraki.devices.statuses", partition: 0, offset: 2 },
        new Error("EPIPE: broken pipe, write"),
      ),
    );
    await expect(invocation).rejects.toMatchObject({
      message: "could not write the output of record meraki.devices.statuses-0@2: EPIPE: broken pipe, write",
      stage: "output",
      topic: "meraki.devices.statuses",
      partition: 0,
      offset: 2,
    });
  });

  it("publishes only the error count for a failed batch, so its retry does not count its records twice", async () => {
    const consumer = consumerUnderTest(
      {},
      {
        recordLog: () => ({
          rejected: () => undefined,
          telemetry: () => {
            throw new Error("EPIPE: broken pipe, write");
          },
        }),
      },
    );
    await expect(consumer.invoke(kafkaEvent(produced(statusRecords([lobbyAp]))))).rejects.toThrow(
      RecordProcessingError,
    );
    expect(consumer.emf()).toEqual([
      {
        _aws: {
          Timestamp: NOW.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: "Semaphore",
              Dimensions: [["service"]],
              Metrics: [{ Name: "ConsumerErrors", Unit: "Count" }],
            },
          ],
        },
        service: "semaphore-consumer",
        ConsumerErrors: 1,
      },
    ]);
    expect(consumer.logs()).toMatchObject([
      {
        level: "ERROR",
        message: "batch failed",
        error: {
          name: "RecordProcessingError",
          message: expect.stringContaining("meraki.devices.statuses-0@0"),
        },
      },
    ]);
  });
});
