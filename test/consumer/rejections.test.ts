import type { SelfManagedKafkaEvent } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CONSUMED_KINDS } from "../../shared/kinds/registry.js";
import { consumerUnderTest, NOW } from "./support/consumer.js";
import { kafkaEvent, type ProducedRecord, produced } from "./support/kafka-event.js";
import { lobbyAp, mainOfficeWan1, statusRecords, TOPICS, uplinkRecords } from "./support/telemetry.js";

const head = {
  level: "WARN",
  message: "rejected record",
  timestamp: "2026-11-22T10:05:30.000Z",
  service: "semaphore-consumer",
};

/** The rejected line of a record at meraki.devices.statuses-0@0, apart from what the test is about. */
function rejectedLine(fields: {
  reason: string;
  detail: string;
  kind?: string | null;
  schema?: string | null;
  key?: string | null;
  valueBytes: number;
  preview: string | null;
}): string {
  return JSON.stringify({
    ...head,
    reason: fields.reason,
    detail: fields.detail,
    kind: fields.kind ?? null,
    schema: fields.schema ?? null,
    topic: TOPICS.statuses,
    partition: 0,
    offset: 0,
    key: fields.key === undefined ? "Q234-ABCD-0001" : fields.key,
    valueBytes: fields.valueBytes,
    preview: fields.preview,
  });
}

const [lobbyStatus] = statusRecords([lobbyAp]);
const validEnvelope = JSON.parse(lobbyStatus!.value) as Record<string, unknown>;

function onStatusTopic(value: ProducedRecord["value"], headers?: Record<string, string>): ProducedRecord {
  return { topic: TOPICS.statuses, key: "Q234-ABCD-0001", value, ...(headers ? { headers } : {}) };
}

/** A raw row of GET /organizations/{id}/devices/uplinksLossAndLatency: what the original Python publisher sent. */
const merakiRow = {
  networkId: "N_24329156",
  serial: "Q234-ABCD-5678",
  uplink: "wan1",
  ip: "1.2.3.4",
  timeSeries: [{ ts: "2019-01-31T18:46:13Z", lossPercent: 5.3, latencyMs: 194.9 }],
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("rejected records", () => {
  it("logs a tombstone (no value) as empty-value", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(kafkaEvent([onStatusTopic(null)]));
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "empty-value",
        detail: "the record has no value (a tombstone or an empty message)",
        valueBytes: 0,
        preview: null,
      }),
    ]);
  });

  it("logs a value that is not base64 as not-base64, with the raw value as preview", async () => {
    const consumer = consumerUnderTest();
    const event = kafkaEvent([onStatusTopic("placeholder")]);
    recordAt(event, "meraki.devices.statuses-0", 0).value = "{not base64}";
    await consumer.invoke(event);
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "not-base64",
        detail: "the event's value is not base64",
        valueBytes: 12,
        preview: "{not base64}",
      }),
    ]);
  });

  it("logs bytes that are not UTF-8 as not-utf8, previewed with replacement characters", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(
      kafkaEvent([onStatusTopic(new Uint8Array([0x00, 0x00, 0x00, 0x01, 0xc3, 0x28, 0xff]))]),
    );
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "not-utf8",
        detail: "the value is not UTF-8 text (binary, Avro or Protobuf?)",
        valueBytes: 7,
        preview: "\u0000\u0000\u0000\u0001\ufffd(\ufffd",
      }),
    ]);
  });

  it("logs text that is not JSON as not-json, with the parser's message", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(kafkaEvent([onStatusTopic("device Q234-ABCD-0001 is online")]));
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "not-json",
        detail: `the value is not JSON: Unexpected token 'd', "device Q23"... is not valid JSON`,
        valueBytes: 31,
        preview: "device Q234-ABCD-0001 is online",
      }),
    ]);
  });

  it("logs a raw Meraki API row from another producer as foreign-producer, naming its keys", async () => {
    const consumer = consumerUnderTest();
    const value = JSON.stringify(merakiRow);
    await consumer.invoke(kafkaEvent([onStatusTopic(value)]));
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "foreign-producer",
        detail:
          'a JSON object that is not a Semaphore envelope: it has no "schema" field (keys: networkId, serial, uplink, ip, timeSeries)',
        valueBytes: value.length,
        preview: value,
      }),
    ]);
  });

  it("logs an array of API rows from another producer as foreign-producer, previewing only the first 200 characters", async () => {
    const consumer = consumerUnderTest();
    const value = JSON.stringify([merakiRow, merakiRow, merakiRow]);
    await consumer.invoke(kafkaEvent([onStatusTopic(value)]));
    expect(value.length).toBeGreaterThan(200);
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "foreign-producer",
        detail: 'a JSON array of 3 item(s), not a Semaphore envelope (an object with "schema" and "id")',
        valueBytes: value.length,
        preview: `${value.slice(0, 200)}…`,
      }),
    ]);
  });

  it("logs an envelope of a schema it does not know as unknown-schema, naming the version it knows", async () => {
    const consumer = consumerUnderTest();
    const value = JSON.stringify({ ...validEnvelope, schema: "semaphore.device-status.v2" });
    await consumer.invoke(kafkaEvent([onStatusTopic(value)]));
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "unknown-schema",
        detail:
          'schema "semaphore.device-status.v2" is not one this consumer knows; it knows semaphore.device-status.v1: ' +
          "is the producer of another version?",
        schema: "semaphore.device-status.v2",
        valueBytes: value.length,
        preview: `${value.slice(0, 200)}…`,
      }),
    ]);
  });

  it("logs an envelope of a schema of no known name as unknown-schema, saying how many it knows", async () => {
    const consumer = consumerUnderTest();
    const value = JSON.stringify({ ...validEnvelope, schema: "acme.thermostat.v1" });
    await consumer.invoke(kafkaEvent([onStatusTopic(value)]));
    expect(JSON.parse(consumer.lines[0]!)).toMatchObject({
      reason: "unknown-schema",
      detail: `schema "acme.thermostat.v1" is not one this consumer knows; it knows ${CONSUMED_KINDS.length} schemas, none of this name (the README's "What runs" lists them)`,
    });
  });

  it("logs an envelope that fails its schema as invalid-envelope, with the first three problems", async () => {
    const consumer = consumerUnderTest();
    const value = JSON.stringify({
      ...validEnvelope,
      id: "not-a-record-id",
      window: { start: "yesterday", end: "2026-11-22T10:05:00Z" },
      // Also missing: the eight other data fields.
      data: { status: "" },
    });
    await consumer.invoke(kafkaEvent([onStatusTopic(value)]));
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "invalid-envelope",
        detail:
          "id: Invalid string: must match pattern /^[0-9a-f]{32}$/; window.start: Invalid ISO datetime; " +
          "data.status: Too small: expected string to have >=1 characters (+8 more)",
        kind: "device-statuses",
        schema: "semaphore.device-status.v1",
        valueBytes: value.length,
        preview: `${value.slice(0, 200)}…`,
      }),
    ]);
  });

  it("logs a value outside its range as value-out-of-range: a loss of 1e306 % never reaches a metric", async () => {
    const consumer = consumerUnderTest();
    const envelope = JSON.parse(uplinkRecords([mainOfficeWan1])[0]!.value) as {
      data: { samples: Array<{ lossPercent: number | null }> };
    };
    envelope.data.samples[0]!.lossPercent = 1e306;
    const value = JSON.stringify(envelope);
    const summary = await consumer.invoke(
      kafkaEvent([{ topic: TOPICS.uplinks, key: "Q2XX-AAAA-0001", value }]),
    );
    expect(consumer.records()).toMatchObject([
      {
        message: "rejected record",
        reason: "value-out-of-range",
        detail: "data.samples.0.lossPercent: Too big: expected number to be <=100",
        kind: "uplink-loss-latency",
      },
    ]);
    expect(summary.rejectedByReason).toEqual({ "value-out-of-range": 1 });
    expect(consumer.emf().filter((document) => "LossPercentMax" in document)).toEqual([]);
  });

  it("logs an empty networkId as empty-field", async () => {
    const consumer = consumerUnderTest();
    const value = JSON.stringify({
      ...validEnvelope,
      source: { ...(validEnvelope.source as object), networkId: "" },
    });
    await consumer.invoke(kafkaEvent([onStatusTopic(value)]));
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "empty-field",
        detail: "source.networkId: Too small: expected string to have >=1 characters",
        kind: "device-statuses",
        schema: "semaphore.device-status.v1",
        valueBytes: value.length,
        preview: `${value.slice(0, 200)}…`,
      }),
    ]);
  });

  it("logs a window whose start is after its end as inverted-window", async () => {
    const consumer = consumerUnderTest();
    const value = JSON.stringify({
      ...validEnvelope,
      window: { start: "2026-11-22T10:05:00Z", end: "2026-11-22T10:00:00Z" },
    });
    await consumer.invoke(kafkaEvent([onStatusTopic(value)]));
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "inverted-window",
        detail: "window.end: start must be before end",
        kind: "device-statuses",
        schema: "semaphore.device-status.v1",
        valueBytes: value.length,
        preview: `${value.slice(0, 200)}…`,
      }),
    ]);
  });

  it("logs a record whose schema header contradicts its envelope as header-mismatch", async () => {
    const consumer = consumerUnderTest();
    const record = {
      ...produced([lobbyStatus!])[0]!,
      headers: { ...lobbyStatus!.headers, schema: "semaphore.network-client.v1" },
    };
    await consumer.invoke(kafkaEvent([record]));
    expect(consumer.lines).toEqual([
      rejectedLine({
        reason: "header-mismatch",
        detail:
          `headers say schema "semaphore.network-client.v1" record-id "${validEnvelope.id}" but the envelope is ` +
          `schema "semaphore.device-status.v1" id "${validEnvelope.id}"`,
        kind: "device-statuses",
        schema: "semaphore.device-status.v1",
        valueBytes: lobbyStatus!.value.length,
        preview: `${lobbyStatus!.value.slice(0, 200)}…`,
      }),
    ]);
  });

  it("names the claimed schema of an unreadable record from its schema header, and shows a missing key as null", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(
      kafkaEvent([
        { topic: TOPICS.statuses, value: "oops", headers: { schema: "semaphore.device-status.v1" } },
      ]),
    );
    expect(consumer.records()[0]).toMatchObject({
      reason: "not-json",
      schema: "semaphore.device-status.v1",
      key: null,
    });
  });

  it("reads each record from its own bytes: a valid record after a longer one is not read with the other's tail", async () => {
    const consumer = consumerUnderTest();
    const long = `device Q234-ABCD-0001 is online ${"x".repeat(200_000)}`;
    await consumer.invoke(kafkaEvent([onStatusTopic(long), ...produced(statusRecords([lobbyAp]))]));
    expect(consumer.records().map((line) => [line.message, line.reason ?? line.serial])).toEqual([
      ["rejected record", "not-json"],
      ["telemetry", lobbyAp.serial],
    ]);
    expect(consumer.records()[0]).toMatchObject({ valueBytes: long.length });
  });

  it("goes on with the batch after bad records and counts each once by reason and kind", async () => {
    const consumer = consumerUnderTest();
    const summary = await consumer.invoke(
      kafkaEvent([
        onStatusTopic("not json"),
        ...produced(statusRecords([lobbyAp])),
        onStatusTopic(JSON.stringify([merakiRow])),
        onStatusTopic(JSON.stringify({ ...validEnvelope, data: {} })),
        ...produced(uplinkRecords([mainOfficeWan1])),
      ]),
    );
    expect(consumer.records().map((line) => line.message)).toEqual([
      "rejected record",
      "telemetry",
      "rejected record",
      "rejected record",
      "telemetry",
    ]);
    expect(summary).toEqual({
      records: 5,
      accepted: 2,
      duplicates: 0,
      rejected: 3,
      rejectedByReason: { "not-json": 1, "foreign-producer": 1, "invalid-envelope": 1 },
      kinds: {
        unknown: { accepted: 0, duplicates: 0, rejected: 2 },
        "device-statuses": { accepted: 1, duplicates: 0, rejected: 1 },
        "uplink-loss-latency": { accepted: 1, duplicates: 0, rejected: 0 },
      },
    });
  });
});

function recordAt(event: SelfManagedKafkaEvent, group: string, index: number): { value: string } {
  return event.records[group]![index]!;
}
