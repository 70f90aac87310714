/** `npm run topics -- <subcommand>`: see infra/local/commands/topics.ts. */
import { stackConfig } from "../config/default.js";
import { parseStackConfig } from "../config/stack-config.js";
import { confirmOnTerminal } from "../local/cli/confirm.js";
import { UsageError } from "../local/cli/errors.js";
import { commandKafka, KAFKA_OPTIONS } from "../local/cli/kafka-target.js";
import { onCluster } from "../local/cli/on-cluster.js";
import { parseRetentionMs } from "../local/cli/retention.js";
import { parseCommandLine, positiveInteger, runCommand } from "../local/cli/run-command.js";
import { topicOf } from "../local/cli/topic-name.js";
import {
  allKindSpecs,
  createCommand,
  deleteCommand,
  describeCommand,
  lagCommand,
  listCommand,
  type Report,
  topicSpec,
} from "../local/commands/topics.js";

const USAGE = `usage: npm run topics -- <subcommand> [options]

  list [--internal]                      topics, partitions, replicas, and the kind each one is for
  create <topic or kind> [--partitions n] [--replication-factor n] [--retention 7d|36h|<ms>|forever]
         [--cleanup-policy delete|compact|compact,delete] [--config name=value ...]
                                         a kind's name creates its topic with its settings (overridable)
  create-all [--replication-factor n]    every enabled kind's topic from the stack config, with the
                                         kind's partitions, retention and cleanup policy (Confluent Cloud: 3)
  describe <topic or kind> ... [--all-configs]   partitions, leaders, replicas, offsets, configs
  delete <topic or kind> ... [--yes]     asks first on a terminal; --yes to skip (required without one)
  lag [--group <id> ...]                 consumer group lag; default: the stack's groups on their topics

  --json                                 print the answer as JSON
  Kafka: the running npm start's, or --kafka-bootstrap <host:port> with --kafka-credentials <file>
  (the Kafka secret's JSON) or KAFKA_USERNAME/KAFKA_PASSWORD; credentials alone go to the stack
  config's kafka.bootstrapServers. --kafka-ca <pem> for a private CA.`;

runCommand("topics", USAGE, async () => {
  const { values: args, positionals } = parseCommandLine({
    allowPositionals: true,
    options: {
      internal: { type: "boolean", default: false },
      partitions: { type: "string" },
      "replication-factor": { type: "string" },
      retention: { type: "string" },
      "cleanup-policy": { type: "string" },
      config: { type: "string", multiple: true, default: [] },
      "all-configs": { type: "boolean", default: false },
      yes: { type: "boolean", default: false },
      group: { type: "string", multiple: true, default: [] },
      json: { type: "boolean", default: false },
      ...KAFKA_OPTIONS,
    },
  });
  const [subcommand, ...names] = positionals;
  const config = parseStackConfig(stackConfig);
  const replicationFactor = positiveInteger("replication-factor", args["replication-factor"]);
  const noNames = (sub: string) => {
    if (names.length > 0) throw new UsageError(`${sub} takes no topic names (got ${names.join(", ")})`);
  };
  const known = ["list", "create", "create-all", "describe", "delete", "lag"];
  if (subcommand === undefined || !known.includes(subcommand)) {
    throw new UsageError(
      `${subcommand === undefined ? "which subcommand?" : `no subcommand "${subcommand}"`}: ${known.join(", ")}`,
    );
  }
  const kafka = await commandKafka(args, process.env, config);
  const { connection } = kafka;
  let report: Report<unknown>;
  switch (subcommand) {
    case "list":
      noNames(subcommand);
      report = await onCluster(kafka, "listing the topics", () =>
        listCommand(connection, config, { internal: args.internal }),
      );
      break;
    case "create": {
      if (names.length !== 1) throw new UsageError("create takes one topic (or kind) name");
      const spec = topicSpec(config, {
        name: names[0]!,
        partitions: positiveInteger("partitions", args.partitions),
        replicationFactor,
        retentionMs: args.retention === undefined ? undefined : parseRetentionMs(args.retention),
        cleanupPolicy: args["cleanup-policy"],
        configs: Object.fromEntries(args.config.map(configEntry)),
      });
      report = await onCluster(kafka, `creating ${spec.name}`, () => createCommand(connection, [spec]));
      break;
    }
    case "create-all":
      noNames(subcommand);
      report = await onCluster(kafka, "creating the kinds' topics", () =>
        createCommand(connection, allKindSpecs(config, replicationFactor)),
      );
      break;
    case "describe": {
      const topics = names.map((name) => topicOf(config, name));
      report = await onCluster(kafka, `describing ${topics.join(", ")}`, () =>
        describeCommand(connection, topics, { allConfigs: args["all-configs"] }),
      );
      break;
    }
    case "delete": {
      const topics = names.map((name) => topicOf(config, name));
      report = await onCluster(kafka, `deleting ${topics.join(", ")}`, () =>
        deleteCommand(connection, topics, args.yes ? async () => true : confirmOnTerminal),
      );
      break;
    }
    default:
      noNames(subcommand);
      report = await onCluster(kafka, "measuring the consumer groups' lag", () =>
        lagCommand(connection, config, {
          groups: args.group,
          prefix: kafka.session?.consumerGroupPrefix ?? config.consumer.groupId,
        }),
      );
  }
  if (!args.json) process.stderr.write(`Kafka: ${kafka.description}\n`);
  process.stdout.write(
    args.json ? `${JSON.stringify(report.data, null, 2)}\n` : `${report.lines.join("\n")}\n`,
  );
  return 0;
});

function configEntry(entry: string): [string, string] {
  const at = entry.indexOf("=");
  if (at <= 0) throw new UsageError(`--config takes name=value, not "${entry}"`);
  return [entry.slice(0, at), entry.slice(at + 1)];
}
