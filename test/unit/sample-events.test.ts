// The sample events of test/events/: the generated ones are what the code makes today, each
// consumer sample is read by the consumer handler as it says, and each sweep sample is an event the
// sweep functions accept. (test/e2e/sample-events.test.ts runs the sweep samples through the sweep
// handlers themselves.)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SelfManagedKafkaEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { consumerFunctionEnvironment } from "../../infra/config/function-env.js";
import { parseStackConfig } from "../../infra/config/stack-config.js";
import {
  renderSampleEvents,
  SAMPLE_RECORDS_PER_KIND,
} from "../../infra/local/sample-events/sample-events.js";
import { SAMPLE_EVENT_DIR } from "../../scripts/generate-sample-events.js";
import { consumerSettingsFromEnv } from "../../shared/consumer/index.js";
import { parseSweepEvent } from "../../shared/handlers/sweep-event.js";
import { KIND_IDS } from "../../shared/kinds/registry.js";
import { consumerUnderTest } from "../consumer/support/consumer.js";

const config = parseStackConfig(stackConfig);
const read = (name: string) => readFileSync(join(SAMPLE_EVENT_DIR, name), "utf8");
const event = (name: string) => JSON.parse(read(name)) as SelfManagedKafkaEvent;
/** The consumer function's handler as the stack configures it, its output captured. */
const consumer = () => consumerUnderTest(consumerSettingsFromEnv(consumerFunctionEnvironment(config)));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the generated sample events", () => {
  it("are exactly what scripts/generate-sample-events.ts makes from the kinds' sweeps", async () => {
    const generated = await renderSampleEvents(config);
    const stale = [...generated].filter(([name, content]) => read(name) !== content).map(([name]) => name);
    expect(
      stale,
      "test/events is out of date: run `npx tsx scripts/generate-sample-events.ts` and commit",
    ).toEqual([]);
  });

  it("are one consumer batch per enabled kind and one with malformed records", () => {
    expect(readdirSync(join(SAMPLE_EVENT_DIR, "consumer")).sort()).toEqual(
      [...KIND_IDS.map((kind) => `${kind}.json`), "malformed.json"].sort(),
    );
  });
});

describe("the consumer handler", () => {
  it.each(KIND_IDS.map((kind) => [kind]))(
    "accepts every record of test/events/consumer/%s.json",
    async (kind) => {
      const summary = await consumer().invoke(event(`consumer/${kind}.json`));
      expect(summary).toEqual({
        records: SAMPLE_RECORDS_PER_KIND,
        accepted: SAMPLE_RECORDS_PER_KIND,
        duplicates: 0,
        rejected: 0,
        rejectedByReason: {},
        kinds: { [kind]: { accepted: SAMPLE_RECORDS_PER_KIND, duplicates: 0, rejected: 0 } },
      });
    },
  );

  it("accepts the valid record of malformed.json and rejects each other one for a reason of its own", async () => {
    const summary = await consumer().invoke(event("consumer/malformed.json"));
    expect(summary).toMatchObject({
      records: 9,
      accepted: 1,
      rejected: 8,
      rejectedByReason: {
        "empty-value": 1,
        "not-base64": 1,
        "not-utf8": 1,
        "not-json": 1,
        "foreign-producer": 1,
        "unknown-schema": 1,
        "invalid-envelope": 1,
        "header-mismatch": 1,
      },
    });
  });
});

describe("the sweep events", () => {
  const now = () => new Date("2026-11-22T10:07:00Z");

  it("manual.json is a manual run of the current slot", () => {
    expect(parseSweepEvent(event("manual.json"), "request-1", now)).toEqual({
      scheduledTime: now(),
      sweepId: "request-1",
      source: "manual",
    });
  });

  it("scheduler.json is what a schedule sends for its slot", () => {
    expect(parseSweepEvent(event("scheduler.json"), "request-1", now)).toEqual({
      scheduledTime: new Date("2026-11-22T10:05:00Z"),
      sweepId: "2026-11-22T10:05:00Z",
      source: "scheduler",
    });
  });

  it("scheduler-shard.json is what the schedule of shard 0 of 2 sends", () => {
    expect(parseSweepEvent(event("scheduler-shard.json"), "request-1", now)).toEqual({
      scheduledTime: new Date("2026-11-22T10:05:00Z"),
      sweepId: "2026-11-22T10:05:00Z",
      source: "scheduler",
      shard: { index: 0, count: 2 },
    });
  });

  it("scheduled-event.json is a classic EventBridge scheduled event", () => {
    expect(parseSweepEvent(event("scheduled-event.json"), "request-1", now)).toEqual({
      scheduledTime: new Date("2026-11-22T10:05:00Z"),
      sweepId: "2026-11-22T10:05:00Z",
      source: "scheduled-event",
    });
  });
});
