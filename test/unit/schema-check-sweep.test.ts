// The producer side of the schemas: a record a sweep built that its kind's envelope refuses is not
// produced; it is counted under its violation in the summary's dropped records and reported with
// what was wrong, and the organisation's other records are delivered.
import { describe, expect, it } from "vitest";
import type { ProduceResult, RecordProducer } from "../../shared/kafka/producer.js";
import type { TelemetryRecord } from "../../shared/kafka/record.js";
import { uplinkLossLatency } from "../../shared/kinds/uplink-loss-latency.js";
import { MerakiClient } from "../../shared/meraki/index.js";
import type { RefusedRecord } from "../../shared/schemas/check-records.js";
import { InventoryCache } from "../../shared/sweeps/inventory.js";
import { runSweep } from "../../shared/sweeps/run-sweep.js";

class KeepingProducer implements RecordProducer {
  readonly records: TelemetryRecord[] = [];
  async produce(records: TelemetryRecord[]): Promise<ProduceResult> {
    this.records.push(...records);
    return { delivered: records.length, bytes: 0 };
  }
}

const SCHEDULED = new Date("2026-11-22T10:05:00Z");

/** An organisation with two appliances whose Dashboard answers one sample each; one loss is 150 %. */
const ANSWERS: Record<string, unknown> = {
  "/api/v1/organizations": [{ id: "1", name: "Org" }],
  "/api/v1/organizations/1/networks": [{ id: "N_1", name: "Main" }],
  "/api/v1/organizations/1/devices": [
    { serial: "Q2-GOOD", name: "good", networkId: "N_1", model: "MX68" },
    { serial: "Q2-BAD", name: "bad", networkId: "N_1", model: "MX68" },
  ],
  "/api/v1/organizations/1/devices/uplinksLossAndLatency": [
    {
      networkId: "N_1",
      serial: "Q2-GOOD",
      uplink: "wan1",
      ip: "8.8.8.8",
      timeSeries: [{ ts: "2026-11-22T10:00:00Z", lossPercent: 0.5, latencyMs: 20 }],
    },
    {
      networkId: "N_1",
      serial: "Q2-BAD",
      uplink: "wan1",
      ip: "8.8.8.8",
      timeSeries: [{ ts: "2026-11-22T10:00:00Z", lossPercent: 150, latencyMs: 20 }],
    },
  ],
};

const meraki = new MerakiClient({
  apiKey: "unit-key",
  requestsPerSecond: 1_000,
  fetch: async (input) => {
    const body = ANSWERS[new URL(String(input)).pathname];
    return new Response(JSON.stringify(body ?? { errors: ["Not found"] }), {
      status: body === undefined ? 404 : 200,
      headers: { "content-type": "application/json" },
    });
  },
});

describe("a sweep whose API answers a value its schema refuses", () => {
  it("produces the valid records, drops the refused one under its violation, and reports what was wrong", async () => {
    const producer = new KeepingProducer();
    const refused: RefusedRecord[] = [];
    const summary = await runSweep({
      kind: uplinkLossLatency,
      settings: {
        topic: uplinkLossLatency.defaultTopic,
        periodSeconds: 300,
        organizationIds: [],
        organizationConcurrency: 1,
      },
      meraki,
      inventory: new InventoryCache({ ttlMs: 3_600_000 }),
      producer,
      scheduledTime: SCHEDULED,
      sweepId: SCHEDULED.toISOString(),
      onRefusedRecord: (record) => refused.push(record),
    });
    expect(producer.records.map((record) => record.key)).toEqual(["Q2-GOOD"]);
    expect(summary.records).toEqual({ produced: 1, bytes: 0, dropped: { "value-out-of-range": 1 } });
    expect(refused).toEqual([
      {
        topic: uplinkLossLatency.defaultTopic,
        key: "Q2-BAD",
        recordId: expect.stringMatching(/^[0-9a-f]{32}$/),
        violation: "value-out-of-range",
        detail: "data.samples.0.lossPercent: Too big: expected number to be <=100",
      },
    ]);
  });
});
