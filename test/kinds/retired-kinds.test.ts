// The retired kinds' promises: nothing sweeps them, their records are still read, and what replaced
// them is a kind of the registry.
import { describe, expect, it } from "vitest";
import {
  CONSUMED_KINDS,
  isKindId,
  isRetiredKindId,
  KINDS,
  kindById,
  kindOfSchema,
  RETIRED_KINDS,
  retiredKindById,
} from "../../shared/kinds/registry.js";

describe("the retired kinds", () => {
  it.each(RETIRED_KINDS.map((kind) => [kind.id, kind] as const))(
    "%s: is no kind to sweep, but its schema is still read, and its successor is swept",
    (id, kind) => {
      expect(isKindId(id)).toBe(false);
      expect(() => kindById(id)).toThrow(RangeError);
      expect(isRetiredKindId(id)).toBe(true);
      expect(retiredKindById(id)).toBe(kind);
      expect(kindOfSchema(kind.schema.id)).toBe(kind);
      expect(isKindId(kind.retired.replacedBy)).toBe(true);
      expect(kind.retired.reason.length).toBeGreaterThan(20);
      // A retired kind declares nothing that would sweep, schedule or monitor it.
      expect(Object.keys(kind).sort()).toEqual([
        "consumer",
        "defaultTopic",
        "id",
        "recordKey",
        "recordPer",
        "retired",
        "schema",
        "title",
        "topicSettings",
        "window",
      ]);
    },
  );

  it("keep their topics, schema ids and metric names apart from every swept kind's", () => {
    const topics = CONSUMED_KINDS.map((kind) => kind.defaultTopic);
    const schemas = CONSUMED_KINDS.map((kind) => kind.schema.id);
    const metrics = CONSUMED_KINDS.flatMap((kind) => kind.consumer.metrics.map((metric) => metric.name));
    expect(new Set(topics).size).toBe(topics.length);
    expect(new Set(schemas).size).toBe(schemas.length);
    expect(new Set(metrics).size).toBe(metrics.length);
    expect(CONSUMED_KINDS).toHaveLength(KINDS.length + RETIRED_KINDS.length);
  });

  it("leave the registry with device-statuses retired in favour of device-availability", () => {
    expect(retiredKindById("device-statuses").retired.replacedBy).toBe("device-availability");
    expect(kindOfSchema("semaphore.device-status.v1")?.id).toBe("device-statuses");
  });
});
