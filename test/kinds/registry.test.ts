// The registry's promises, checked over every kind it lists: a kind that breaks one fails here,
// naming itself, before any stack or consumer is built from it.
import { describe, expect, it } from "vitest";
import { isScheduleExpression } from "../../infra/config/schedule.js";
import { parseStackConfig } from "../../infra/config/stack-config.js";
import { KIND_IDS, KINDS, kindById, kindOfSchema } from "../../shared/kinds/registry.js";
import { CONSUMER_DIMENSIONS, CONSUMER_METRICS, SWEEP_METRICS } from "../../shared/observability/names.js";

/** The columns telemetry-line.ts writes on every line, before and after a kind's own fields. */
const COMMON_COLUMNS = [
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
  "topic",
  "partition",
  "offset",
];

describe("the registry of telemetry kinds", () => {
  it("lists each kind once, findable by its id and by its schema id", () => {
    expect(new Set(KIND_IDS).size).toBe(KINDS.length);
    for (const kind of KINDS) {
      expect(kindById(kind.id)).toBe(kind);
      expect(kindOfSchema(kind.schema.id)).toBe(kind);
    }
    expect(kindOfSchema("semaphore.nothing.v1")).toBeUndefined();
    expect(() => kindById("nothing")).toThrow(`no telemetry kind "nothing" (known: ${KIND_IDS.join(", ")})`);
  });

  it.each(KINDS.map((kind) => [kind.id, kind] as const))(
    "%s: its schema id names its version, and topics and schedules are valid",
    (_id, kind) => {
      expect(kind.schema.id).toMatch(new RegExp(`^semaphore\\.[a-z-]+\\.v${kind.schema.version}$`));
      expect(kind.defaultTopic).toMatch(/^[A-Za-z0-9._-]{1,249}$/);
      expect(isScheduleExpression(kind.deployment.schedule)).toBe(true);
      expect(kind.deployment.timeoutSeconds).toBeLessThanOrEqual(900);
    },
  );

  it.each(KINDS.map((kind) => [kind.id, kind] as const))(
    "%s: a snapshot's topic is compacted by key (the latest state of every subject), a window's is not",
    (_id, kind) => {
      expect(kind.topicSettings.cleanupPolicy).toBe(
        kind.window.semantics === "snapshot" ? "compact,delete" : "delete",
      );
      expect(kind.topicSettings.partitions).toBeGreaterThanOrEqual(1);
      expect(kind.topicSettings.retentionHours).toBeGreaterThanOrEqual(1);
    },
  );

  it("gives every kind its own topic, schema id and metric names", () => {
    const topics = KINDS.map((kind) => kind.defaultTopic);
    const schemas = KINDS.map((kind) => kind.schema.id);
    const metrics = KINDS.flatMap((kind) => kind.consumer.metrics.map((metric) => metric.name));
    expect(new Set(topics).size).toBe(topics.length);
    expect(new Set(schemas).size).toBe(schemas.length);
    expect(new Set(metrics).size).toBe(metrics.length);
    // Nor may a kind's metric take the name of one the sweeps or the consumer emit themselves.
    const own: string[] = [...Object.values(SWEEP_METRICS), ...Object.values(CONSUMER_METRICS)];
    expect(metrics.filter((name) => own.includes(name))).toEqual([]);
  });

  it.each(KINDS.map((kind) => [kind.id, kind] as const))(
    "%s: its line fields never overwrite the common columns",
    (_id, kind) => {
      expect(Object.keys(kind.consumer.fields).filter((field) => COMMON_COLUMNS.includes(field))).toEqual([]);
    },
  );

  it.each(KINDS.map((kind) => [kind.id, kind] as const))(
    "%s: its widgets and alarms name its own metrics, their dimensions, and its thresholds",
    (_id, kind) => {
      const metrics = new Map(kind.consumer.metrics.map((metric) => [metric.name, metric]));
      for (const metric of kind.consumer.metrics) {
        // The consumer adds these itself.
        expect(Object.keys(metric.dimensions)).not.toContain(CONSUMER_DIMENSIONS.network);
        expect(Object.keys(metric.dimensions)).not.toContain(CONSUMER_DIMENSIONS.serial);
      }
      for (const widget of kind.monitoring.widgets) {
        const metric = metrics.get(widget.metric);
        expect(metric, `widget "${widget.title}"`).toBeDefined();
        expect([CONSUMER_DIMENSIONS.network, ...Object.keys(metric!.dimensions)]).toContain(widget.groupBy);
      }
      for (const alarm of kind.monitoring.alarms) {
        expect(metrics.has(alarm.metric), `alarm ${alarm.id}`).toBe(true);
        expect(Object.keys(kind.monitoring.thresholds)).toContain(alarm.threshold);
        expect(alarm.datapointsToAlarm).toBeLessThanOrEqual(alarm.evaluationPeriods);
      }
      for (const threshold of Object.values(kind.monitoring.thresholds)) {
        if (threshold.default === undefined) continue;
        expect(threshold.default).toBeGreaterThanOrEqual(threshold.min);
        expect(threshold.default).toBeLessThanOrEqual(threshold.max);
      }
    },
  );

  it("gives the saved queries of every kind distinct ids", () => {
    const config = parseStackConfig({
      meraki: { secretName: "m" },
      kafka: { bootstrapServers: "h:9092", secretName: "k" },
    });
    for (const kind of KINDS) {
      const ids = kind.monitoring.queries(config.sweeps[kind.id].alarms).map((query) => query.id);
      expect(new Set(ids).size, kind.id).toBe(ids.length);
    }
  });

  it.each(KINDS.map((kind) => [kind.id, kind] as const))(
    "%s: is marked per-network exactly when it calls an operation of one network (so it can be sharded)",
    (_id, kind) => {
      const perNetworkCall = kind.operations.some((operation) =>
        operation.path.startsWith("/networks/{networkId}"),
      );
      expect(kind.perNetwork === true).toBe(perNetworkCall);
    },
  );
});
