// `npm run topics -- <subcommand>`: the stack's topics on a real cluster (here the integration
// tier's broker, SASL_SSL + PLAIN like Confluent Cloud), each subcommand run as a user runs it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { kafkaConsumerGroupId, parseStackConfig } from "../../infra/config/stack-config.js";
import { createTopics } from "../../infra/local/kafka/admin.js";
import { deleteTopics, describeTopics, missingTopics } from "../../infra/local/kafka/topics.js";
import { KIND_IDS, kindById } from "../../shared/kinds/registry.js";
import { type CliRun, kafkaArgs, runCli, runCliOnTerminal } from "./support/cli.js";
import { produceRecords, sampleRecords } from "./support/records.js";

const config = parseStackConfig(stackConfig);
const enabled = KIND_IDS.filter((kind) => config.sweeps[kind].enabled);
const kindTopics = enabled.map((kind) => config.sweeps[kind].topic);
const suffix = randomUUID().slice(0, 8);
const topicNamed = (name: string) => `test.topics.${suffix}.${name}`;
let kafka: string[];

const topics = (args: string[]): Promise<CliRun> => runCli("topics", [...args, ...kafka]);

/** The answer of a `--json` run that succeeded. */
function json<T>(run: CliRun): T {
  expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(run.stdout) as T;
}

const row = (...cells: Array<string | number>) =>
  new RegExp(`^\\s*${cells.map((c) => String(c).replaceAll(".", "\\.")).join("\\s+")}\\s*$`, "m");

beforeAll(() => {
  kafka = kafkaArgs();
});

describe("npm run topics -- list", () => {
  it("lists each topic with its partitions and replicas, and no kind for a topic that is none's", async () => {
    const name = topicNamed("listed");
    await createTopics(inject("kafka"), [{ name, partitions: 2 }]);
    const listed = json<Array<Record<string, unknown>>>(await topics(["list", "--json"]));
    expect(listed).toContainEqual({ name, partitions: 2, replicationFactor: 1, internal: false, kind: null });
  });

  it("shows the list as a table, one row per topic", async () => {
    const name = topicNamed("table");
    await createTopics(inject("kafka"), [{ name, partitions: 4 }]);
    const run = await topics(["list"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^topic\s+partitions\s+replicas\s+kind$/m);
    expect(run.stdout).toMatch(row(name, 4, 1));
  });
});

describe("npm run topics -- create", () => {
  it("creates a topic with the partitions, retention and cleanup policy given, and says so", async () => {
    const name = topicNamed("created");
    const run = await topics([
      "create",
      name,
      "--partitions",
      "3",
      "--retention",
      "36h",
      "--cleanup-policy",
      "compact",
    ]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({
      code: 0,
      stdout: `created ${name}: 3 partitions, replication broker default, cleanup compact, retention 36h\n`,
    });
    const [described] = await describeTopics(inject("kafka"), [name]);
    expect(described!.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(
      described!.configs.filter((c) => c.source === "DYNAMIC_TOPIC_CONFIG").map((c) => [c.name, c.value]),
    ).toEqual(
      expect.arrayContaining([
        ["cleanup.policy", "compact"],
        ["retention.ms", String(36 * 3_600_000)],
      ]),
    );
  });

  it("leaves a topic that exists as it is, and says so", async () => {
    const name = topicNamed("existing");
    await createTopics(inject("kafka"), [{ name, partitions: 2 }]);
    const run = await topics(["create", name, "--partitions", "6"]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({
      code: 0,
      stdout: `exists  ${name} (left as it is; npm run topics -- describe ${name})\n`,
    });
    const [described] = await describeTopics(inject("kafka"), [name]);
    expect(described!.partitions).toHaveLength(2);
  });

  it("refuses a cleanup policy Kafka does not have, before creating anything", async () => {
    const name = topicNamed("refused");
    const run = await topics(["create", name, "--cleanup-policy", "forever"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'topics: --cleanup-policy must be one of delete, compact, compact,delete, not "forever"',
    );
    expect(await missingTopics(inject("kafka"), [name])).toEqual([name]);
  });
});

describe("npm run topics -- describe", () => {
  const name = topicNamed("described");
  const records = () => sampleRecords("uplink-loss-latency", name);

  beforeAll(async () => {
    await createTopics(inject("kafka"), [
      { name, partitions: 2, configs: { "cleanup.policy": "delete", "retention.ms": "3600000" } },
    ]);
    await produceRecords(inject("kafka"), records());
  });

  it("gives each partition's leader, replicas, in-sync replicas and offsets", async () => {
    const [described] = json<Array<{ partitions: Array<Record<string, unknown>> }>>(
      await topics(["describe", name, "--json"]),
    );
    // One broker, node 1: it leads every partition and is its only replica.
    expect(described!.partitions).toEqual([
      { partition: 0, leader: 1, replicas: [1], isr: [1], low: 0, high: expect.any(Number) },
      { partition: 1, leader: 1, replicas: [1], isr: [1], low: 0, high: expect.any(Number) },
    ]);
    const retained = described!.partitions.reduce((n, p) => n + (p.high as number), 0);
    expect(retained).toBe(records().length);
  });

  it("shows the partitions as a table and the configs set on the topic", async () => {
    const run = await topics(["describe", name]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`${name}: 2 partitions, ${records().length} records retained`);
    expect(lines[1]).toMatch(/^ {2}partition\s+leader\s+replicas\s+in sync\s+first offset\s+next offset$/);
    expect(lines[2]).toMatch(/^ {2}0\s+1\s+1\s+1\s+0\s+\d+$/);
    expect(lines[3]).toMatch(/^ {2}1\s+1\s+1\s+1\s+0\s+\d+$/);
    expect(lines.slice(4, 8)).toEqual([
      "  configs set on the topic (--all-configs for the broker's defaults too):",
      "    name            value",
      "    cleanup.policy  delete",
      "    retention.ms    3600000",
    ]);
  });

  it("with --all-configs, shows the broker's defaults too, with where each value comes from", async () => {
    const run = await topics(["describe", name, "--all-configs"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(row("retention.ms", 3600000, "DYNAMIC_TOPIC_CONFIG"));
    expect(run.stdout).toMatch(row("max.message.bytes", "\\d+", "DEFAULT_CONFIG"));
  });

  it("refuses a topic the cluster lacks, naming it", async () => {
    const missing = topicNamed("never-created");
    const run = await topics(["describe", missing]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `topics: UnknownTopicsError: topic(s) ${missing} do not exist at ${inject("kafka").bootstrapServers} ` +
        "(`npm run topics -- list` shows those there are)\n",
    );
  });
});

describe("npm run topics -- delete", () => {
  const question = (name: string) =>
    `delete ${name} and every record in it from ${inject("kafka").bootstrapServers}?`;

  it("without a terminal to ask on and without --yes, refuses and keeps the topic", async () => {
    const name = topicNamed("kept");
    await createTopics(inject("kafka"), [{ name, partitions: 1 }]);
    const run = await topics(["delete", name]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `topics: NotConfirmedError: ${question(name).slice(0, -1)}: not confirmed (no terminal to ask on); pass --yes\n`,
    );
    expect(await missingTopics(inject("kafka"), [name])).toEqual([]);
  });

  it("with --yes, deletes the topic and says so", async () => {
    const name = topicNamed("deleted");
    await createTopics(inject("kafka"), [{ name, partitions: 1 }]);
    const run = await topics(["delete", name, "--yes"]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: `deleted ${name}\n` });
    expect(await missingTopics(inject("kafka"), [name])).toEqual([name]);
  });

  it("on a terminal, asks first and deletes once the answer is yes", async () => {
    const name = topicNamed("confirmed");
    await createTopics(inject("kafka"), [{ name, partitions: 1 }]);
    const run = await runCliOnTerminal("topics", ["delete", name, ...kafka], {
      prompt: `${question(name)} Type "yes" to confirm:`,
      reply: "yes",
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`deleted ${name}`);
    expect(await missingTopics(inject("kafka"), [name])).toEqual([name]);
  });

  it("on a terminal, keeps the topic on any other answer", async () => {
    const name = topicNamed("declined");
    await createTopics(inject("kafka"), [{ name, partitions: 1 }]);
    const run = await runCliOnTerminal("topics", ["delete", name, ...kafka], {
      prompt: `${question(name)} Type "yes" to confirm:`,
      reply: "y",
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `topics: NotConfirmedError: not deleted: ${question(name).slice(0, -1)} was not confirmed`,
    );
    expect(await missingTopics(inject("kafka"), [name])).toEqual([]);
  });

  it("refuses a topic the cluster lacks, deleting none of those named", async () => {
    const name = topicNamed("present");
    const missing = topicNamed("absent");
    await createTopics(inject("kafka"), [{ name, partitions: 1 }]);
    const run = await topics(["delete", name, missing, "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`topics: UnknownTopicsError: topic(s) ${missing} do not exist`);
    expect(await missingTopics(inject("kafka"), [name])).toEqual([]);
  });
});

describe("npm run topics -- lag", () => {
  const name = topicNamed("lagging");
  const group = `test-topics-lag-${suffix}`;
  const records = () => [
    ...sampleRecords("uplink-loss-latency", name),
    ...sampleRecords("network-clients", name),
  ];

  beforeAll(async () => {
    await createTopics(inject("kafka"), [{ name, partitions: 1 }]);
    await produceRecords(inject("kafka"), records());
    // The group reads (and commits) four of the six records, as a consumer would.
    const read = await runCli("consume", [name, "--group", group, "--max", "4", "--json", ...kafka]);
    expect(read.code).toBe(0);
  });

  it("gives a group's committed offset, the partition's end and the records between", async () => {
    expect(json(await topics(["lag", "--group", group, "--json"]))).toEqual([
      {
        groupId: group,
        partitions: [{ topic: name, partition: 0, committed: 4, end: 6, lag: 2 }],
        total: 2,
      },
    ]);
  });

  it("shows the lag as a table and a sentence per group", async () => {
    const run = await topics(["lag", "--group", group]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^group\s+partition\s+committed\s+end\s+lag$/m);
    expect(run.stdout).toMatch(row(group, `${name}-0`, 4, 6, 2));
    expect(run.stdout).toContain(`${group}: 2 records behind`);
  });

  it("lists Kafka's internal topics, where the group committed, only with --internal", async () => {
    const names = (run: CliRun) => json<Array<{ name: string }>>(run).map((topic) => topic.name);
    expect(names(await topics(["list", "--json", "--internal"]))).toContain("__consumer_offsets");
    expect(names(await topics(["list", "--json"]))).not.toContain("__consumer_offsets");
  });

  it("without --group, before the kinds' topics exist, names the stack's groups and the topics missing", async () => {
    const lags = json<Array<{ groupId: string; partitions: unknown[]; total: number }>>(
      await topics(["lag", "--json"]),
    );
    expect(lags).toEqual(
      enabled.map((kind) => ({ groupId: kafkaConsumerGroupId(config, kind), partitions: [], total: 0 })),
    );
    const run = await topics(["lag"]);
    expect(run.stdout).toContain(`topics missing: ${kindTopics.join(", ")} (npm run topics -- create-all)`);
  });
});

describe("npm run topics -- create-all", () => {
  let first: { created: string[]; existing: string[] };

  beforeAll(async () => {
    first = json(await topics(["create-all", "--json"]));
  });

  afterAll(async () => {
    // The broker is the whole run's: leave it without the stack's topics, as it was.
    await deleteTopics(inject("kafka"), kindTopics);
  });

  it("creates the topic of every enabled kind of the stack config", () => {
    expect(first).toEqual({ created: kindTopics, existing: [] });
  });

  it("gives each topic its kind's partitions, cleanup policy and retention", async () => {
    const described = await describeTopics(inject("kafka"), kindTopics);
    const settingsOf = (topic: (typeof described)[number]) => ({
      partitions: topic.partitions.length,
      cleanupPolicy: topic.configs.find((c) => c.name === "cleanup.policy")?.value,
      retentionMs: topic.configs.find((c) => c.name === "retention.ms")?.value,
    });
    expect(Object.fromEntries(described.map((topic) => [topic.name, settingsOf(topic)]))).toEqual(
      Object.fromEntries(
        enabled.map((kind) => {
          const settings = kindById(kind).topicSettings;
          return [
            config.sweeps[kind].topic,
            {
              partitions: settings.partitions,
              cleanupPolicy: settings.cleanupPolicy,
              retentionMs: String(settings.retentionHours * 3_600_000),
            },
          ];
        }),
      ),
    );
  });

  it("then lists each of those topics with its kind", async () => {
    const listed = json<Array<{ name: string; kind: string | null }>>(await topics(["list", "--json"]));
    expect(listed.filter((topic) => topic.kind !== null).map(({ name, kind }) => [name, kind])).toEqual(
      expect.arrayContaining(enabled.map((kind) => [config.sweeps[kind].topic, kind])),
    );
    expect(listed.filter((topic) => topic.kind !== null)).toHaveLength(enabled.length);
  });

  it("then measures each stack group on its kind's topic, nothing behind while the topics are empty", async () => {
    const lags = json<Array<{ groupId: string; partitions: Array<{ topic: string }>; total: number }>>(
      await topics(["lag", "--json"]),
    );
    expect(
      lags.map((lag) => ({
        groupId: lag.groupId,
        topics: [...new Set(lag.partitions.map((p) => p.topic))],
        partitions: lag.partitions.length,
        total: lag.total,
      })),
    ).toEqual(
      enabled.map((kind) => ({
        groupId: kafkaConsumerGroupId(config, kind),
        topics: [config.sweeps[kind].topic],
        partitions: kindById(kind).topicSettings.partitions,
        total: 0,
      })),
    );
  });

  it("then describes a kind's topic by the kind's name", async () => {
    const run = await topics(["describe", "uplink-loss-latency"]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(
      `${config.sweeps["uplink-loss-latency"].topic}: ` +
        `${kindById("uplink-loss-latency").topicSettings.partitions} partitions, 0 records retained`,
    );
  });

  it("run again, creates nothing and reports every topic as existing", async () => {
    expect(json(await topics(["create-all", "--json"]))).toEqual({ created: [], existing: kindTopics });
  });
});
