// `npm run invoke -- <function> --event <file>`: one invocation through the function's own handler
// and middlewares, its log lines on stderr and its result on stdout, like `sam local invoke`.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { parseStackConfig } from "../../infra/config/stack-config.js";
import { createTopics } from "../../infra/local/kafka/admin.js";
import { kindById } from "../../shared/kinds/registry.js";
import { readRecords } from "../support/kafka-read.js";
import { jsonLines, kafkaArgs, runCli } from "./support/cli.js";
import { stillRunning, watchDescendants } from "./support/processes.js";

const config = parseStackConfig(stackConfig);
const topic = `test.invoke.${randomUUID().slice(0, 8)}`;
let kafka: string[];

beforeAll(async () => {
  kafka = kafkaArgs();
  await createTopics(inject("kafka"), [{ name: topic, partitions: 3 }]);
});

describe("npm run invoke", () => {
  it("runs a sweep with a sample event against the given cluster and prints its summary on stdout", async () => {
    const run = await runCli("invoke", [
      "device-availability",
      "--event",
      "test/events/scheduler.json",
      "--topic",
      topic,
      "--json",
      ...kafka,
    ]);
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    const summary = JSON.parse(run.stdout) as {
      sweep: string;
      sweepId: string;
      topic: string;
      records: { produced: number };
    };
    expect(summary).toMatchObject({ sweep: "device-availability", sweepId: "2026-11-22T10:05:00Z", topic });
    // The logs are the function's CloudWatch lines, on stderr.
    expect(jsonLines(run.stderr).find((line) => line.message === "sweep completed")?.summary).toEqual(
      summary,
    );
    const records = await readRecords(inject("kafka"), topic, summary.records.produced);
    expect(new Set(records.map((r) => r.headers.schema))).toEqual(
      new Set([kindById("device-availability").schema.id]),
    );
  });

  it("runs the consumer with a sample batch and prints the batch's summary, the telemetry lines on stderr", async () => {
    const run = await runCli("invoke", [
      "consumer",
      "--event",
      "test/events/consumer/uplink-loss-latency.json",
      "--json",
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      records: 3,
      accepted: 3,
      duplicates: 0,
      rejected: 0,
      rejectedByReason: {},
      kinds: { "uplink-loss-latency": { accepted: 3, duplicates: 0, rejected: 0 } },
    });
    expect(jsonLines(run.stderr).filter((line) => line.message === "telemetry")).toHaveLength(3);
  });

  it("answers a failed invocation with Lambda's error object on stdout and exit code 1", async () => {
    const run = await runCli("invoke", ["consumer", "--event", "test/events/scheduler.json", "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      errorType: "InvalidKafkaEventError",
      errorMessage:
        "the event is not a Kafka event: it has no `records` object keyed by topic-partition " +
        '(expected {"eventSource": "SelfManagedKafka", "records": {"<topic>-<partition>": [...]}})',
    });
  });

  it("shows the sweep readably with --pretty: the summary line, then the result", async () => {
    const run = await runCli("invoke", ["device-availability", "--topic", topic, "--pretty", ...kafka]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^\d\d:\d\d:\d\d ✓ device-availability · window \d\d:\d\d–\d\d:\d\d · \d+ records · → test\.invoke\./m,
    );
    expect(run.stderr).not.toContain('"message":"sweep completed"');
  });

  it("refuses a topic the cluster lacks before sweeping, saying how to create it", async () => {
    const run = await runCli("invoke", [
      "network-clients",
      "--topic",
      "test.invoke.missing",
      "--json",
      ...kafka,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `invoke: MissingTopicsError: topic(s) test.invoke.missing do not exist at ${inject("kafka").bootstrapServers}: ` +
        "create them first, with `npm run topics -- create-all`",
    );
  });

  it("refuses an event file that is not JSON, naming it", async () => {
    const run = await runCli("invoke", ["consumer", "--event", "README.md"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^invoke: InputFileError: the event file README\.md is not JSON: /);
  });

  it("refuses an unknown function with the list of functions", async () => {
    const run = await runCli("invoke", ["uplinks"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invoke: no function "uplinks": name a sweep kind (uplink-loss-latency,');
  });

  it("with nothing given, starts the broker, moto and the simulator for the invocation and leaves none running", async () => {
    let watch: { stop(): number[] } | undefined;
    const run = await runCli("invoke", ["uplink-loss-latency", "--json"], {
      onSpawn: (child) => {
        watch = watchDescendants(child.pid!);
      },
    });
    const started = watch!.stop();
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      sweep: "uplink-loss-latency",
      topic: config.sweeps["uplink-loss-latency"].topic,
      organizations: { swept: 1, failed: [] },
    });
    expect(started.length).toBeGreaterThan(0);
    expect(stillRunning(started)).toEqual([]);
  }, 120_000);
});
