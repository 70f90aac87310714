/**
 * The synthesized template (the real app, with a generated AArch64 test-fixture layer, since the
 * real layer needs Confluent's binary from GitHub): schedules, event source mappings, IAM, alarms,
 * dashboard, secrets, functions and cdk-nag.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { CONFIG_CONTEXT_KEY } from "../../infra/config/overrides.js";
import { drainedKinds, parseStackConfig } from "../../infra/config/stack-config.js";
import { buildSemaphoreApp } from "../../infra/stacks/semaphore-app.js";
import { KIND_IDS } from "../../shared/kinds/registry.js";
import { fixtureLayer, resourcesOfType, type Synthesized, synth, type TemplateProps } from "./synth.js";

const config = parseStackConfig(stackConfig);
const KINDS = KIND_IDS;
let s: Synthesized;

beforeAll(() => {
  s = synth();
});

const ref = (id: string) => ({ Ref: id });
const secretId = (name: "MerakiSecret" | "KafkaSecret") =>
  resourcesOfType(s.template, "AWS::SecretsManager::Secret").find((r) => r.id.startsWith(name))!.id;
const statements = (template = s.template) =>
  resourcesOfType(template, "AWS::IAM::Policy").flatMap((p) =>
    (p.props.PolicyDocument.Statement as TemplateProps[]).map(
      (st): TemplateProps => ({ policy: p.id, ...st }),
    ),
  );

describe("schedules", () => {
  it("has one EventBridge Scheduler schedule per sweep with the config's expression and time zone", () => {
    const schedules = resourcesOfType(s.template, "AWS::Scheduler::Schedule");
    expect(schedules).toHaveLength(KINDS.length);
    for (const kind of KINDS) {
      const schedule = schedules.find((r) => r.id.startsWith(`Sweep${kind.replaceAll("-", "")}`))!;
      expect(schedule.props.ScheduleExpression).toBe(config.sweeps[kind].schedule);
      expect(schedule.props.ScheduleExpressionTimezone).toBe(config.sweeps[kind].timeZone);
      expect(schedule.props.State).toBe("ENABLED");
      expect(JSON.parse(schedule.props.Target.Input)).toEqual({
        scheduledTime: "<aws.scheduler.scheduled-time>",
      });
      expect(schedule.props.Target.RetryPolicy).toEqual({
        MaximumRetryAttempts: 3,
        MaximumEventAgeInSeconds: 3600,
      });
      expect(schedule.props.Target.DeadLetterConfig.Arn["Fn::GetAtt"][0]).toMatch(
        /^SchedulerDeadLetterQueue/,
      );
    }
    expect(resourcesOfType(s.template, "AWS::Events::Rule")).toEqual([]);
  });

  it("lets Lambda retry a failed sweep twice and then send its event to the dead-letter queue", () => {
    // Scheduler invokes asynchronously, so its own retry policy never sees a sweep that fails.
    const configs = resourcesOfType(s.template, "AWS::Lambda::EventInvokeConfig");
    const functions = resourcesOfType(s.template, "AWS::Lambda::Function");
    expect(configs).toHaveLength(KINDS.length);
    for (const kind of KINDS) {
      const fn = functions.find((f) => f.id.startsWith(`Sweep${kind.replaceAll("-", "")}Sweep`))!;
      const invokeConfig = configs.find(
        (c) => JSON.stringify(c.props.FunctionName) === JSON.stringify(ref(fn.id)),
      );
      expect(invokeConfig?.props, kind).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        Qualifier: "$LATEST",
      });
      expect(invokeConfig!.props.DestinationConfig.OnFailure.Destination["Fn::GetAtt"][0]).toMatch(
        /^SchedulerDeadLetterQueue/,
      );
      const role = fn.props.Role["Fn::GetAtt"][0] as string;
      expect(
        statements().some(
          (st) =>
            st.policy.startsWith(role.replace(/Role[0-9A-F]{8}$/, "Role")) &&
            JSON.stringify(st.Action).includes("sqs:SendMessage") &&
            JSON.stringify(st.Resource).includes("SchedulerDeadLetterQueue"),
        ),
        kind,
      ).toBe(true);
    }
  });
});

describe("Kafka event source mappings", () => {
  it("reads each topic with BASIC_AUTH, the config's batching, group ids and an on-failure queue", () => {
    const mappings = resourcesOfType(s.template, "AWS::Lambda::EventSourceMapping");
    // The sweeps' topics, and the old topic of each retired kind still drained.
    const read = [...KINDS, ...drainedKinds(config)];
    expect(mappings).toHaveLength(read.length);
    expect(mappings.map((m) => m.props.Topics).sort()).toEqual(
      read.map((k) => [config.sweeps[k].topic]).sort(),
    );
    for (const m of mappings) {
      const kind = read.find((k) => m.props.Topics[0] === config.sweeps[k].topic)!;
      expect(m.props).toMatchObject({
        BatchSize: 500,
        MaximumBatchingWindowInSeconds: 5,
        StartingPosition: "TRIM_HORIZON",
        SelfManagedEventSource: { Endpoints: { KafkaBootstrapServers: [config.kafka.bootstrapServers] } },
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: `semaphore-consumer-${kind}` },
        SourceAccessConfigurations: [{ Type: "BASIC_AUTH", URI: ref(secretId("KafkaSecret")) }],
      });
      expect(m.props.FunctionName.Ref).toMatch(/^ConsumerFunction/);
      expect(m.props.DestinationConfig.OnFailure.Destination["Fn::GetAtt"][0]).toMatch(
        /^ConsumerFailureQueue/,
      );
    }
  });

  it("follows batch size, window, start and group id overrides", () => {
    const other = synth({
      consumer: { batchSize: 1000, batchingWindowSeconds: 30, startingPosition: "LATEST", groupId: "ops" },
      sweeps: { "network-clients": { enabled: false } },
    });
    const mappings = resourcesOfType(other.template, "AWS::Lambda::EventSourceMapping");
    const stillEnabled = KINDS.filter((kind) => kind !== "network-clients");
    expect(mappings.map((m) => m.props.SelfManagedKafkaEventSourceConfig.ConsumerGroupId).sort()).toEqual(
      [...stillEnabled, ...drainedKinds(config)].map((kind) => `ops-${kind}`).sort(),
    );
    for (const m of mappings) {
      expect(m.props).toMatchObject({
        BatchSize: 1000,
        MaximumBatchingWindowInSeconds: 30,
        StartingPosition: "LATEST",
      });
    }
    // The disabled sweep has no function, schedule or mapping.
    expect(resourcesOfType(other.template, "AWS::Scheduler::Schedule")).toHaveLength(stillEnabled.length);
    expect(resourcesOfType(other.template, "AWS::Lambda::Function")).toHaveLength(stillEnabled.length + 1);
  });
});

describe("IAM", () => {
  it("grants GetSecretValue on exactly the two secrets, and nothing else on Secrets Manager", () => {
    const secretStatements = statements().filter((st) =>
      JSON.stringify(st.Action).includes("secretsmanager"),
    );
    expect(secretStatements).toHaveLength(KINDS.length + 1); // the sweeps + the consumer (for its event source mapping)
    for (const st of secretStatements) {
      expect(st.Action).toBe("secretsmanager:GetSecretValue");
      expect(st.Effect).toBe("Allow");
      const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
      if (st.policy.startsWith("Consumer")) expect(resources).toEqual([ref(secretId("KafkaSecret"))]);
      else expect(resources).toEqual([ref(secretId("MerakiSecret")), ref(secretId("KafkaSecret"))]);
    }
    // No statement anywhere grants on "*".
    for (const st of statements()) expect(JSON.stringify(st.Resource)).not.toMatch(/"\*"/);
  });

  it("scopes to the complete ARNs of imported secrets and creates no secret for them", () => {
    const merakiArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:semaphore/meraki-api-key-Xy12Ab";
    const kafkaArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:semaphore/kafka-AbC123";
    const other = synth({ meraki: { secretArn: merakiArn }, kafka: { secretArn: kafkaArn } });
    expect(resourcesOfType(other.template, "AWS::SecretsManager::Secret")).toEqual([]);
    const secretStatements = statements(other.template).filter(
      (st) => st.Action === "secretsmanager:GetSecretValue",
    );
    expect(secretStatements.map((st) => st.Resource)).toEqual(
      expect.arrayContaining([[merakiArn, kafkaArn], kafkaArn]),
    );
    for (const m of resourcesOfType(other.template, "AWS::Lambda::EventSourceMapping")) {
      expect(m.props.SourceAccessConfigurations).toEqual([{ Type: "BASIC_AUTH", URI: kafkaArn }]);
    }
    const sweepEnv = resourcesOfType(other.template, "AWS::Lambda::Function").find((f) =>
      f.id.startsWith("Sweepdevice"),
    )!.props.Environment.Variables;
    expect(sweepEnv).toMatchObject({ MERAKI_SECRET_ID: merakiArn, KAFKA_SECRET_ID: kafkaArn });
  });
});

describe("secrets", () => {
  it("creates named secrets whose value is generated by AWS, never written in the template", () => {
    const secrets = resourcesOfType(s.template, "AWS::SecretsManager::Secret");
    expect(secrets.map((x) => x.props.Name).sort()).toEqual(["semaphore/kafka", "semaphore/meraki-api-key"]);
    for (const secret of secrets) {
      expect(secret.props.SecretString).toBeUndefined();
      expect(secret.props.GenerateSecretString).toEqual({});
    }
    const text = JSON.stringify(s.template);
    expect(text).not.toMatch(/"SecretString"/);
    expect(text).not.toMatch(/SecretsManager::Secret[^}]*"SecretString"/);
    // Environment variables hold secret ids, never values.
    for (const fn of resourcesOfType(s.template, "AWS::Lambda::Function")) {
      for (const [name, value] of Object.entries(fn.props.Environment.Variables as Record<string, unknown>)) {
        expect(name).not.toMatch(/PASSWORD|API_KEY$|TOKEN|CREDENTIAL/);
        if (name.endsWith("_SECRET_ID"))
          expect(value).toEqual(expect.objectContaining({ Ref: expect.any(String) }));
      }
    }
  });
});

describe("functions", () => {
  it("runs Node.js 24 on ARM64 with explicit log groups, one sweep at a time, the layer on the sweeps only", () => {
    const functions = resourcesOfType(s.template, "AWS::Lambda::Function");
    expect(functions).toHaveLength(KINDS.length + 1);
    const layer = resourcesOfType(s.template, "AWS::Lambda::LayerVersion")[0]!;
    expect(layer.props.CompatibleArchitectures).toEqual(["arm64"]);
    expect(layer.props.CompatibleRuntimes).toEqual(["nodejs24.x"]);
    for (const fn of functions) {
      expect(fn.props.Runtime).toBe("nodejs24.x");
      expect(fn.props.Architectures).toEqual(["arm64"]);
      expect(fn.props.LoggingConfig.LogGroup.Ref).toMatch(/Logs/);
    }
    for (const kind of KINDS) {
      const fn = functions.find((f) => f.id.startsWith(`Sweep${kind.replaceAll("-", "")}`))!;
      expect(fn.props.ReservedConcurrentExecutions).toBe(1);
      expect(fn.props.Timeout).toBe(config.sweeps[kind].timeoutSeconds);
      expect(fn.props.MemorySize).toBe(config.sweeps[kind].memoryMb);
      expect(fn.props.Layers).toEqual([ref(layer.id)]);
      expect(fn.props.Environment.Variables).toMatchObject({
        SWEEP_TOPIC: config.sweeps[kind].topic,
        SWEEP_PERIOD_SECONDS: String(config.sweeps[kind].windowSeconds),
        KAFKA_BOOTSTRAP_SERVERS: config.kafka.bootstrapServers,
      });
    }
    const consumer = functions.find((f) => f.id.startsWith("Consumer"))!;
    expect(consumer.props.Layers).toBeUndefined();
    expect(consumer.props.Environment.Variables).toMatchObject({ CONSUMER_METRIC_DIMENSIONS: "network" });
    for (const group of resourcesOfType(s.template, "AWS::Logs::LogGroup"))
      expect(group.props.RetentionInDays).toBe(30);
    expect(resourcesOfType(s.template, "AWS::Logs::LogGroup")).toHaveLength(KINDS.length + 1);
  });

  it("bundles one sweep entry for every kind with the Kafka client left external (from the layer), the consumer without it", () => {
    const bundles = readdirSync(s.outdir)
      .filter((d) => existsSync(join(s.outdir, d, "index.js")))
      .map((d) => readFileSync(join(s.outdir, d, "index.js"), "utf8"));
    expect(bundles).toHaveLength(2);
    const requiring = bundles.filter((b) => b.includes('require("@confluentinc/kafka-javascript")'));
    expect(requiring).toHaveLength(1);
    for (const b of bundles) expect(b).not.toMatch(/node-pre-gyp|librdkafka\.js/);
  });

  it("gives every sweep function the same code and its own kind in SWEEP_KIND", () => {
    const functions = resourcesOfType(s.template, "AWS::Lambda::Function");
    const sweeps = KINDS.map(
      (kind) => functions.find((f) => f.id.startsWith(`Sweep${kind.replaceAll("-", "")}`))!,
    );
    expect(sweeps.map((f) => f.props.Environment.Variables.SWEEP_KIND)).toEqual([...KINDS]);
    expect(new Set(sweeps.map((f) => JSON.stringify(f.props.Code))).size).toBe(1);
  });

  it("refuses to deploy the test-fixture layer (a CloudFormation rule fails the deployment)", () => {
    expect(JSON.stringify(s.template.Rules)).toMatch(/NativeLayerOrigin.*test-fixture/);
  });

  it("fails the synth, naming the problem, when the layer holds a binary for the wrong machine", async () => {
    const { copyFileSync, cpSync, mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = join(mkdtempSync(join(tmpdir(), "semaphore-bad-layer-")), "layer");
    cpSync(fixtureLayer(), dir, { recursive: true });
    copyFileSync(
      "node_modules/@confluentinc/kafka-javascript/build/Release/confluent-kafka-javascript.node",
      join(
        dir,
        "nodejs/node_modules/@confluentinc/kafka-javascript/build/Release/confluent-kafka-javascript.node",
      ),
    );
    expect(() => synth({ nativeLayer: { directory: dir } })).toThrow(/built for x86-64 \(e_machine 62\)/);
  });
});

describe("monitoring", () => {
  it("has the alarms, all notifying the SNS topic", () => {
    const alarms = resourcesOfType(s.template, "AWS::CloudWatch::Alarm");
    const names = alarms.map((a) => JSON.stringify(a.props.AlarmName));
    for (const kind of KINDS) {
      for (const suffix of ["sweep-errors", "failed-organizations", "no-records"]) {
        expect(names.some((n) => n.includes(`${kind}-${suffix}`))).toBe(true);
      }
    }
    for (const suffix of [
      "consumer-errors",
      "scheduler-dlq-not-empty",
      "consumer-failures-not-empty",
      "uplink-loss-latency-loss-above-threshold",
    ]) {
      expect(names.some((n) => n.includes(suffix))).toBe(true);
    }
    const topic = resourcesOfType(s.template, "AWS::SNS::Topic")[0]!;
    for (const alarm of alarms) expect(alarm.props.AlarmActions).toEqual([ref(topic.id)]);
    const noRecords = alarms.find((a) =>
      JSON.stringify(a.props.AlarmName).includes("network-clients-no-records"),
    )!;
    expect(noRecords.props).toMatchObject({
      MetricName: "RecordsProduced",
      Namespace: "Semaphore",
      Dimensions: [{ Name: "service", Value: "semaphore-sweep-network-clients" }],
      Period: 900,
      EvaluationPeriods: 3,
      TreatMissingData: "breaching",
    });
    const loss = alarms.find(
      (a) => a.props.AlarmName === "Semaphore-uplink-loss-latency-loss-above-threshold",
    )!;
    expect(loss.props.Metrics[0].Expression).toBe(
      `SELECT MAX(LossPercentMax) FROM SCHEMA("Semaphore", NetworkId, Uplink, service) WHERE service = 'semaphore-consumer'`,
    );
    expect(loss.props.Threshold).toBe(5);
    expect(loss.props).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 2 });
  });

  it("has a dashboard with the sweep and consumer metrics, saved queries and outputs for everything", () => {
    const dashboards = resourcesOfType(s.template, "AWS::CloudWatch::Dashboard");
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.props.DashboardBody);
    for (const metric of [
      "SweepDuration",
      "RecordsProduced",
      "RecordsDropped",
      "ApiCalls",
      "ApiRateLimited",
      "SweepErrors",
      "RecordsAccepted",
      "RecordsRejected",
      "LossPercentMax",
      "LatencyMsAvg",
    ]) {
      expect(body).toContain(metric);
    }
    expect(body).toContain("semaphore-sweep-uplink-loss-latency");
    const queries = resourcesOfType(s.template, "AWS::Logs::QueryDefinition").map((q) => q.props.Name);
    expect(queries).toEqual(
      expect.arrayContaining([
        "Semaphore/consumer - latest telemetry",
        "Semaphore/uplink-loss-latency - latest",
        "Semaphore/uplink-loss-latency - uplink loss above threshold",
        "Semaphore/network-clients - latest",
        "Semaphore/device-availability - devices by availability status",
        "Semaphore/consumer - rejected records",
      ]),
    );
    const outputs = Object.keys(s.template.Outputs ?? {});
    for (const kind of KINDS) {
      const id = kind.replaceAll("-", "");
      expect(outputs).toEqual(expect.arrayContaining([`SweepFunction${id}`, `SweepLogGroup${id}`]));
    }
    expect(outputs).toEqual(
      expect.arrayContaining(["ConsumerFunction", "ConsumerLogGroup", "DashboardName", "AlarmTopicArn"]),
    );
  });
});

describe("cdk-nag AwsSolutions", () => {
  it("reports no unacknowledged finding, and every acknowledgement has a reason", () => {
    const report = JSON.parse(readFileSync(join(s.outdir, "validation-report.json"), "utf8"));
    expect(
      report.pluginReports.filter((r: { pluginName: string }) => r.pluginName === "AwsSolutions"),
    ).toEqual([]);
    const acknowledgements: Array<{ path: string; id: string; reason: string }> = [];
    const visit = (node: IConstruct) => {
      for (const entry of node.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        // { "<namespace>::<rule id>": "<reason>" }
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledgements.push({ path: node.node.path, id, reason: String(reason ?? "") });
        }
      }
      for (const child of node.node.children) visit(child);
    };
    visit(s.app);
    expect(acknowledgements.length).toBeGreaterThanOrEqual(7);
    for (const ack of acknowledgements)
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
  });

  it("is active: an unacknowledged finding fails the synth", () => {
    const app = new App({
      outdir: join(s.outdir, "nag-probe"),
      context: { [CONFIG_CONTEXT_KEY]: JSON.stringify({ nativeLayer: { directory: fixtureLayer() } }) },
    });
    const { stack } = buildSemaphoreApp(app);
    new sqs.Queue(Stack.of(stack), "ProbeQueueWithoutTls", { encryption: sqs.QueueEncryption.SQS_MANAGED });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
    const report = readFileSync(join(s.outdir, "nag-probe", "validation-report.json"), "utf8");
    expect(report).toContain("AwsSolutions-SQS4");
  });
});

describe("the device-statuses migration (retired kind, replaced by device-availability)", () => {
  const mappingsOn = (template: Synthesized["template"], topic: string) =>
    resourcesOfType(template, "AWS::Lambda::EventSourceMapping").filter((m) => m.props.Topics[0] === topic);
  let stopped: Synthesized;
  beforeAll(() => {
    stopped = synth({ sweeps: { "device-statuses": { drain: false } } });
  });

  it("keeps, by default, the old topic's mapping exactly as the version that swept the kind deployed it", () => {
    // Logical id and properties as synthesized at the last commit that swept device-statuses: the
    // deploy leaves the mapping and its consumer group's offsets untouched, so the backlog drains.
    expect(mappingsOn(s.template, "meraki.devices.statuses")).toEqual([
      {
        id: "ConsumerMappingdevicestatuses2008C552",
        props: {
          BatchSize: 500,
          DestinationConfig: {
            OnFailure: { Destination: { "Fn::GetAtt": ["ConsumerFailureQueueC9EDE0B1", "Arn"] } },
          },
          FunctionName: { Ref: "ConsumerFunction829CC35C" },
          MaximumBatchingWindowInSeconds: 5,
          SelfManagedEventSource: { Endpoints: { KafkaBootstrapServers: [config.kafka.bootstrapServers] } },
          SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: "semaphore-consumer-device-statuses" },
          SourceAccessConfigurations: [{ Type: "BASIC_AUTH", URI: { Ref: "KafkaSecret78EF3770" } }],
          StartingPosition: "TRIM_HORIZON",
          Topics: ["meraki.devices.statuses"],
        },
      },
    ]);
  });

  it("deploys no function, schedule, alarm, saved query or output for the retired kind", () => {
    const text = (type: string) => JSON.stringify(resourcesOfType(s.template, type));
    expect(text("AWS::Lambda::Function")).not.toContain('"SWEEP_KIND":"device-statuses"');
    expect(text("AWS::Scheduler::Schedule")).not.toContain("device-statuses");
    expect(text("AWS::CloudWatch::Alarm")).not.toContain("device-statuses");
    expect(text("AWS::Logs::QueryDefinition")).not.toContain("device-statuses");
    expect(Object.keys(s.template.Outputs ?? {}).filter((id) => id.includes("devicestatuses"))).toEqual([]);
  });

  it("removes only the old topic's mapping when drain is off", () => {
    const before = Object.keys(s.template.Resources);
    const after = Object.keys(stopped.template.Resources);
    expect(before.filter((id) => !after.includes(id))).toEqual(["ConsumerMappingdevicestatuses2008C552"]);
    expect(after.filter((id) => !before.includes(id))).toEqual([]);
  });

  it("drains the topic the stack config names for the retired kind", () => {
    const renamed = synth({ sweeps: { "device-statuses": { topic: "ops.meraki.statuses" } } });
    expect(mappingsOn(renamed.template, "ops.meraki.statuses")).toHaveLength(1);
    expect(mappingsOn(renamed.template, "meraki.devices.statuses")).toEqual([]);
  });
});

describe("the device availability and assurance alerts alarms", () => {
  const alarmNamed = (template: Synthesized["template"], name: string) =>
    resourcesOfType(template, "AWS::CloudWatch::Alarm").find((a) => a.props.AlarmName === name);

  it("alarms on critical assurance alerts open by default, over every network", () => {
    const alarm = alarmNamed(s.template, "Semaphore-assurance-alerts-critical-alerts-open")!;
    expect(alarm.props.Metrics[0].Expression).toBe(
      `SELECT SUM(CriticalAlertsOpen) FROM SCHEMA("Semaphore", NetworkId, service) WHERE service = 'semaphore-consumer'`,
    );
    expect(alarm.props).toMatchObject({
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
    });
  });

  it("has no devices-offline alarm until the stack config sets its threshold, then the worst network's", () => {
    expect(alarmNamed(s.template, "Semaphore-device-availability-devices-offline")).toBeUndefined();
    const set = synth({ sweeps: { "device-availability": { alarms: { devicesOffline: 3 } } } });
    const alarm = alarmNamed(set.template, "Semaphore-device-availability-devices-offline")!;
    expect(alarm.props.Metrics[0].Expression).toBe(
      `SELECT MAX(DevicesOffline) FROM SCHEMA("Semaphore", NetworkId, service) WHERE service = 'semaphore-consumer'`,
    );
    expect(alarm.props).toMatchObject({
      Threshold: 3,
      ComparisonOperator: "GreaterThanThreshold",
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
    });
  });
});
