// What every kind of the registry must do, checked on the records its own sweep makes against the
// simulator (one mixed organisation with every device family): valid, distinct, keyed so that a
// compacted topic keeps every subject, and read by the consumer into complete lines and metrics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processBatch } from "../../shared/consumer/process-batch.js";
import type { TelemetryFields } from "../../shared/consumer/telemetry-line.js";
import type { TelemetryRecord } from "../../shared/kafka/record.js";
import { KINDS, type RegisteredKind } from "../../shared/kinds/registry.js";
import { kafkaEvent, produced } from "../consumer/support/kafka-event.js";
import { type EveryKindSweep, sweepEveryKind } from "./support/every-kind-sweep.js";

const COMMON_BEFORE = [
  "kind",
  "schema",
  "recordId",
  "windowStart",
  "windowEnd",
  "organizationId",
  "organizationName",
  "networkId",
  "networkName",
  "serial",
  "deviceName",
];
const COMMON_AFTER = ["topic", "partition", "offset"];

let sweep: EveryKindSweep;
const swept = new Map<string, TelemetryRecord[]>();

beforeAll(async () => {
  sweep = await sweepEveryKind();
  for (const [id, { records }] of sweep.byKind) swept.set(id, records);
});

afterAll(() => sweep.simulator.stop());

const eachKind = KINDS.map((kind) => [kind.id, kind] as [string, RegisteredKind]);

describe("every kind, on a mixed organisation", () => {
  it.each(eachKind)("%s: sweeps at least one record", (id) => {
    expect(swept.get(id)!.length).toBeGreaterThan(0);
  });

  it.each(eachKind)(
    "%s: every record is its kind's envelope, with matching headers and topic",
    (id, kind) => {
      for (const record of swept.get(id)!) {
        const envelope = kind.schema.envelope.parse(JSON.parse(record.value));
        expect(record.topic).toBe(kind.defaultTopic);
        expect(record.headers).toEqual({
          "content-type": "application/json",
          schema: kind.schema.id,
          "record-id": envelope.id,
        });
      }
    },
  );

  it.each(eachKind)("%s: builds no record that its own schema refuses before produce", (id) => {
    expect(sweep.byKind.get(id)!.refused).toEqual([]);
  });

  it.each(eachKind)("%s: gives every record of a sweep its own id", (id) => {
    const records = swept.get(id)!;
    expect(new Set(records.map((r) => r.headers["record-id"])).size).toBe(records.length);
  });

  it.each(eachKind.filter(([, kind]) => kind.topicSettings.cleanupPolicy !== "delete"))(
    "%s: keys every subject apart, so compacting its topic keeps the latest state of each",
    (id) => {
      const records = swept.get(id)!;
      expect(new Set(records.map((r) => r.key)).size).toBe(records.length);
    },
  );

  it.each(eachKind)("%s: is read by the consumer into complete lines, every record accepted", (id, kind) => {
    const records = swept.get(id)!;
    const lines: TelemetryFields[] = [];
    const { tally, telemetry } = processBatch(kafkaEvent(produced(records)), {
      recordLog: { telemetry: (fields) => lines.push(fields), rejected: () => undefined },
      metricDimensions: "device",
    });
    expect(tally.summary()).toMatchObject({ records: records.length, accepted: records.length, rejected: 0 });
    const expected = [...COMMON_BEFORE, ...Object.keys(kind.consumer.fields), ...COMMON_AFTER];
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(expected);
      for (const value of Object.values(line)) expect(["string", "number", "object"]).toContain(typeof value);
    }
    // Every metric the kind declares is published from real records.
    const printed = telemetry.documents(new Date(), {
      namespace: "Semaphore",
      serviceName: "semaphore-consumer",
    });
    const published = new Set(printed.flatMap((text) => Object.keys(JSON.parse(text) as object)));
    // A metric that only counts trouble (failed uplinks, open critical alerts) has nothing to say
    // about a healthy sample: those that some record contributes to must all be there.
    const envelopes = records.map((r) => kind.schema.envelope.parse(JSON.parse(r.value)));
    const contributed = kind.consumer.metrics.filter((metric) =>
      envelopes.some((e) => metric.observe(e, kind.consumer.summarise(e)) !== null),
    );
    expect(contributed.length).toBeGreaterThan(0);
    for (const metric of contributed) expect(published, metric.name).toContain(metric.name);
  });
});
