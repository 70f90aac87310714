// `npm run consume -- <kind or topic>`: reads a topic of the real broker like the original
// semaphore `consumer.py` and prints the consumer's own lines for its records; `--replay` feeds a
// range through the consumer handler. The topic holds known records: the consumer's sample
// records of two kinds (each kind's real sweep at the sample slot), then one cut short.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createTopics } from "../../infra/local/kafka/admin.js";
import type { TelemetryRecord } from "../../shared/kafka/record.js";
import { type CliRun, jsonLines, kafkaArgs, runCli } from "./support/cli.js";
import { notJsonRecord, produceRecords, recordIds, sampleRecords } from "./support/records.js";

const suffix = randomUUID().slice(0, 8);
const topic = `test.consume.${suffix}`;
let kafka: string[];

/** Offsets 0-2: uplink-loss-latency, produced first; 3-5: network-clients, then 6: not JSON. */
let before: TelemetryRecord[];
let after: TelemetryRecord[];
let rejected: TelemetryRecord;
/** A time after every record of `before` and at or before every later one. */
let between: Date;

const consume = (args: string[]): Promise<CliRun> => runCli("consume", [topic, ...args, ...kafka]);

function succeeded(run: CliRun): CliRun {
  expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
  return run;
}

const linesOf = (run: CliRun, message: string) =>
  jsonLines(succeeded(run).stdout).filter((line) => line.message === message);

/** Where each consumer line (telemetry or rejected record) came from, in the order printed. */
const offsetsOf = (run: CliRun) =>
  jsonLines(succeeded(run).stdout)
    .filter((line) => line.message === "telemetry" || line.message === "rejected record")
    .map((line) => line.offset);

beforeAll(async () => {
  kafka = kafkaArgs();
  const conn = inject("kafka");
  await createTopics(conn, [{ name: topic, partitions: 1 }]);
  before = sampleRecords("uplink-loss-latency", topic);
  after = sampleRecords("network-clients", topic);
  rejected = notJsonRecord(topic);
  await produceRecords(conn, before);
  // Record timestamps are milliseconds: let one pass so that no later record shares the last one's.
  const last = Date.now();
  while (Date.now() <= last) await new Promise((resolve) => setTimeout(resolve, 1));
  between = new Date();
  await produceRecords(conn, [...after, rejected]);
});

describe("npm run consume", () => {
  it("from earliest, prints the consumer's telemetry line for each record, in the topic's order", async () => {
    const run = await consume(["--from", "earliest", "--max", "7", "--json"]);
    const telemetry = linesOf(run, "telemetry");
    expect(telemetry.map((line) => line.recordId)).toEqual(recordIds([...before, ...after]));
    expect(telemetry.map((line) => [line.kind, line.topic, line.partition, line.offset])).toEqual([
      ["uplink-loss-latency", topic, 0, 0],
      ["uplink-loss-latency", topic, 0, 1],
      ["uplink-loss-latency", topic, 0, 2],
      ["network-clients", topic, 0, 3],
      ["network-clients", topic, 0, 4],
      ["network-clients", topic, 0, 5],
    ]);
  });

  it("prints a rejected record's line with its reason, location and the start of its value", async () => {
    const run = await consume(["--max", "7", "--json"]);
    expect(linesOf(run, "rejected record")).toEqual([
      expect.objectContaining({
        level: "WARN",
        service: "semaphore-consumer",
        reason: "not-json",
        detail: "the value is not JSON: Unexpected end of JSON input",
        schema: "semaphore.uplink-loss-latency.v1",
        topic,
        partition: 0,
        offset: 6,
        key: rejected.key,
        valueBytes: Buffer.byteLength(rejected.value),
        preview: rejected.value,
      }),
    ]);
  });

  it("readably, shows the telemetry as a table per kind, the rejected record's reason, and the totals", async () => {
    const run = succeeded(await consume(["--max", "7", "--pretty"]));
    expect(run.stdout).toMatch(/^── uplink-loss-latency · 3 records · window 09:58–10:03 · /m);
    expect(run.stdout).toMatch(/^── network-clients · 3 records · window /m);
    expect(run.stdout).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d ! rejected ${topic.replaceAll(".", "\\.")}-0@6 not-json: ` +
          "the value is not JSON: Unexpected end of JSON input",
        "m",
      ),
    );
    expect(run.stdout).toMatch(
      /^\d\d:\d\d:\d\d read 7 records: 6 accepted, 0 duplicate, 1 rejected \(not-json 1\)$/m,
    );
  });

  it("with --max, stops after that many records", async () => {
    expect(offsetsOf(await consume(["--max", "2", "--json"]))).toEqual([0, 1]);
  });

  it("with --timeout, reads what there is and stops once that long passes without a record", async () => {
    expect(offsetsOf(await consume(["--timeout", "2", "--json"]))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("from latest, skips the records the topic already holds", async () => {
    const run = succeeded(await consume(["--from", "latest", "--timeout", "2", "--pretty"]));
    expect(run.stdout).toMatch(/^\d\d:\d\d:\d\d read 0 records: 0 accepted, 0 duplicate, 0 rejected$/m);
  });

  it("with --group, commits what it read: the group's next read goes on from there", async () => {
    const group = `test-consume-${suffix}`;
    expect(offsetsOf(await consume(["--group", group, "--max", "3", "--json"]))).toEqual([0, 1, 2]);
    expect(offsetsOf(await consume(["--group", group, "--timeout", "2", "--json"]))).toEqual([3, 4, 5, 6]);
  });

  it("without --group, commits nothing: each read starts from the beginning again", async () => {
    expect(offsetsOf(await consume(["--max", "2", "--json"]))).toEqual([0, 1]);
    expect(offsetsOf(await consume(["--max", "2", "--json"]))).toEqual([0, 1]);
  });

  it("with --verbose, prints each record's partition, offset, key, timestamp, headers and value before its line", async () => {
    const run = await consume(["--max", "1", "--verbose", "--json"]);
    const [record, line] = jsonLines(succeeded(run).stdout);
    expect(record).toEqual({
      level: "DEBUG",
      message: "kafka record",
      timestamp: expect.any(String),
      service: "semaphore-consume",
      topic,
      partition: 0,
      offset: 0,
      recordTimestamp: expect.any(String),
      key: before[0]!.key,
      headers: before[0]!.headers,
      value: JSON.parse(before[0]!.value),
    });
    expect(new Date(record!.recordTimestamp as string).getTime()).toBeLessThan(between.getTime());
    expect(line).toMatchObject({ message: "telemetry", offset: 0, recordId: recordIds(before)[0] });
  });

  it("with --verbose, readably, heads each record with where it is, its key and headers", async () => {
    const run = succeeded(await consume(["--max", "1", "--verbose", "--pretty"]));
    const headers = Object.entries(before[0]!.headers)
      .map(([name, value]) => `${name}=${value}`)
      .join(" ");
    expect(run.stdout).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d ${topic.replaceAll(".", "\\.")}-0@0 key=${before[0]!.key} at \\d\\d:\\d\\d:\\d\\d ${headers}$`,
        "m",
      ),
    );
    expect(run.stdout).toContain(`"id": "${recordIds(before)[0]}"`);
  });

  it("refuses a topic the cluster lacks, naming it", async () => {
    const run = await runCli("consume", [`test.consume.${suffix}.missing`, "--max", "1", ...kafka]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `consume: UnknownTopicsError: topic(s) test.consume.${suffix}.missing do not exist at ` +
        `${inject("kafka").bootstrapServers} (\`npm run topics -- list\` shows those there are)\n`,
    );
  });
});

describe("npm run consume -- --replay", () => {
  it("--from-offset N feeds offsets N to the end through the consumer handler, as one event", async () => {
    const run = await consume(["--replay", "--from-offset", "5", "--json"]);
    expect(offsetsOf(run)).toEqual([5, 6]);
    // The handler's own line for the batch, as the deployed consumer logs it.
    expect(linesOf(run, "batch processed")).toHaveLength(1);
  });

  it("--from-offset N, readably, says which offsets it replays and what the handler made of them", async () => {
    const run = succeeded(await consume(["--replay", "--from-offset", "5", "--pretty"]));
    expect(run.stdout).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d replaying ${topic.replaceAll(".", "\\.")}-0 offsets 5\\.\\.6 through the consumer handler, `,
        "m",
      ),
    );
    expect(run.stdout).toMatch(/ ! rejected .*-0@6 not-json: the value is not JSON/);
    expect(run.stdout).toMatch(
      /^\d\d:\d\d:\d\d read 2 records: 1 accepted, 0 duplicate, 1 rejected \(not-json 1\)$/m,
    );
  });

  it("--from-time feeds the records from the first at or after that time", async () => {
    const run = await consume(["--replay", "--from-time", between.toISOString(), "--json"]);
    expect(offsetsOf(run)).toEqual([3, 4, 5, 6]);
    expect(linesOf(run, "telemetry").map((line) => line.recordId)).toEqual(recordIds(after));
  });

  it("--from-time after the last record has nothing to replay, and says so", async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const run = succeeded(await consume(["--replay", "--from-time", later, "--pretty"]));
    expect(run.stdout).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d nothing to replay: ${topic.replaceAll(".", "\\.")} has no record in that range$`,
        "m",
      ),
    );
  });

  it("--max bounds the records replayed", async () => {
    expect(offsetsOf(await consume(["--replay", "--from-offset", "1", "--max", "2", "--json"]))).toEqual([
      1, 2,
    ]);
  });

  it("refuses --from-offset without --replay", async () => {
    const run = await consume(["--from-offset", "3"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("consume: --from-offset and --from-time go with --replay");
  });

  it("refuses --replay without a start", async () => {
    const run = await consume(["--replay"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "consume: --replay needs one of --from-offset <n> or --from-time <ISO time>",
    );
  });
});
