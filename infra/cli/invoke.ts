/** `npm run invoke -- <function> [--event <file>]`: see infra/local/commands/invoke.ts. */
import { stackConfig } from "../config/default.js";
import { parseStackConfig } from "../config/stack-config.js";
import { UsageError } from "../local/cli/errors.js";
import { readEventFile } from "../local/cli/event-file.js";
import { CONSUMER_FUNCTION, parseFunctionName } from "../local/cli/function-name.js";
import { givenKafka, KAFKA_OPTIONS } from "../local/cli/kafka-target.js";
import { parseCommandLine, positiveInteger, runCommand } from "../local/cli/run-command.js";
import { invoke } from "../local/commands/invoke.js";
import { findSession } from "../local/session.js";
import { outputFormat, startLiveView } from "../local/terminal/live-view.js";

const USAGE = `usage: npm run invoke -- <function> [--event <file>] [options]

  <function>               a sweep kind (uplink-loss-latency, network-clients, ...) or ${CONSUMER_FUNCTION}
  --event <file>           the event, JSON (- for stdin); samples in test/events/. A sweep's default is {}
  --topic <name>           produce to this topic instead of the stack config's (sweeps)
  --standalone             start services for this invocation even when npm start is running
  --json | --pretty        the log lines as CloudWatch gets them, or readable (default: readable on a terminal)
  --rows <n>               telemetry rows shown per kind (readable view, default 8)
  --organizations <n>, --networks <n>, --devices <n>   size of the simulator it starts
  --kafka-bootstrap <host:port>, --kafka-credentials <file>, --kafka-ca <pem>
                           an existing Kafka cluster (as for npm start)

The logs go to stderr, the result to stdout (Lambda's {"errorType", "errorMessage"} when it fails,
exit code 1). Against a running npm start (unless --standalone or another cluster or MERAKI_API_KEY
is given) the records go through its consumer.`;

runCommand("invoke", USAGE, async () => {
  const { values: args, positionals } = parseCommandLine({
    allowPositionals: true,
    options: {
      event: { type: "string" },
      topic: { type: "string" },
      standalone: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      pretty: { type: "boolean", default: false },
      rows: { type: "string" },
      organizations: { type: "string", default: "1" },
      networks: { type: "string", default: "20" },
      devices: { type: "string", default: "100" },
      ...KAFKA_OPTIONS,
    },
  });
  if (positionals.length > 1) throw new UsageError(`one function at a time, not ${positionals.join(", ")}`);
  const fn = parseFunctionName(positionals[0]);
  if (fn === CONSUMER_FUNCTION && args.event === undefined) {
    throw new UsageError("the consumer needs an event: --event test/events/consumer/<kind>.json, for one");
  }
  const config = parseStackConfig(stackConfig);
  const kafka = givenKafka(args, process.env, config);
  const merakiApiKey = process.env.MERAKI_API_KEY || undefined;
  const useSession = fn !== CONSUMER_FUNCTION && !args.standalone && !kafka && !merakiApiKey;
  const view = startLiveView({
    format: outputFormat(args, process.stderr.isTTY === true),
    target: "stderr",
    rows: positiveInteger("rows", args.rows) ?? 8,
  });
  try {
    const outcome = await invoke(
      config,
      {
        function: fn,
        event: args.event === undefined ? {} : readEventFile(args.event),
        eventSource: args.event ?? "{} (a manual run)",
        topic: args.topic,
        kafka,
        merakiApiKey,
        simulator: {
          organizations: positiveInteger("organizations", args.organizations)!,
          networks: positiveInteger("networks", args.networks)!,
          devices: positiveInteger("devices", args.devices)!,
        },
        session: useSession ? findSession() : undefined,
      },
      view,
    );
    view.flush();
    view.say(outcome.ok ? view.paint("green", "✓ result:") : view.paint("red", "✗ the function failed:"));
    view.result(`${JSON.stringify(outcome.ok ? outcome.result : outcome.error, null, 2)}\n`);
    return outcome.ok ? 0 : 1;
  } finally {
    view.stop();
  }
});
