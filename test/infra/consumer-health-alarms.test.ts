// Consumer health in AWS: an alarm per event source mapping on Lambda's OffsetLag (the consumer
// falling behind its topic) and one on the consumer failure queue's depth, each with its threshold
// from the stack config; and the deliveries table that keeps a retried sweep's repeats from being
// written or counted twice, which only the consumer may write to.
import { beforeAll, describe, expect, it } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { drainedKinds, parseStackConfig } from "../../infra/config/stack-config.js";
import { KIND_IDS } from "../../shared/kinds/registry.js";
import { resourcesOfType, type Synthesized, synth, type TemplateProps } from "./synth.js";

const config = parseStackConfig(stackConfig);
let defaults: Synthesized;
let tuned: Synthesized;

beforeAll(() => {
  defaults = synth();
  tuned = synth({ observability: { alarms: { consumerOffsetLag: 2500, deadLetterMessages: 5 } } });
});

const alarms = (s: Synthesized) => resourcesOfType(s.template, "AWS::CloudWatch::Alarm");
const alarm = (s: Synthesized, name: string): TemplateProps =>
  alarms(s).find((a) => a.props.AlarmName === `Semaphore-${name}`)!.props;
const mappingOf = (s: Synthesized, kind: string) =>
  resourcesOfType(s.template, "AWS::Lambda::EventSourceMapping").find(
    (m) => m.props.Topics[0] === config.sweeps[kind as keyof typeof config.sweeps].topic,
  )!;

describe("the consumer's offset lag alarms", () => {
  it("exist once per swept kind's event source mapping, none for a retired kind's drained topic", () => {
    const names = alarms(defaults)
      .map((a) => String(a.props.AlarmName))
      .filter((name) => name.startsWith("Semaphore-consumer-lag-"));
    expect(names.sort()).toEqual(KIND_IDS.map((kind) => `Semaphore-consumer-lag-${kind}`).sort());
    expect(drainedKinds(config)).toEqual(["device-statuses"]);
  });

  it("graph every mapping's lag on the dashboard, the drained topic's too", () => {
    const body = JSON.stringify(resourcesOfType(defaults.template, "AWS::CloudWatch::Dashboard")[0]!.props);
    for (const kind of [...KIND_IDS, ...drainedKinds(config)]) {
      expect(body, kind).toContain(JSON.stringify({ Ref: mappingOf(defaults, kind).id }));
    }
  });

  it.each(KIND_IDS.map((kind) => [kind]))(
    "%s: reads the worst OffsetLag of that mapping's UUID over 5 minutes",
    (kind) => {
      const props = alarm(defaults, `consumer-lag-${kind}`);
      expect(props.Metrics).toEqual([
        {
          Id: expect.any(String),
          Label: `max OffsetLag ${kind}`,
          Expression: {
            "Fn::Join": [
              "",
              [
                `SELECT MAX(OffsetLag) FROM "AWS/Lambda" WHERE EventSourceMappingUUID = '`,
                { Ref: mappingOf(defaults, kind).id },
                "'",
              ],
            ],
          },
          Period: 300,
          ReturnData: true,
        },
      ]);
    },
  );

  it("alarms above 10,000 records behind in three 5-minute periods in a row by default", () => {
    expect(alarm(defaults, "consumer-lag-network-clients")).toMatchObject({
      Threshold: 10_000,
      ComparisonOperator: "GreaterThanThreshold",
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: "notBreaching",
    });
  });

  it("takes its threshold from observability.alarms.consumerOffsetLag", () => {
    expect(alarm(tuned, "consumer-lag-network-clients").Threshold).toBe(2500);
  });

  it("notifies the alarm topic on alarm and on recovery", () => {
    const topic = resourcesOfType(defaults.template, "AWS::SNS::Topic")[0]!;
    const props = alarm(defaults, "consumer-lag-uplink-loss-latency");
    expect(props.AlarmActions).toEqual([{ Ref: topic.id }]);
    expect(props.OKActions).toEqual([{ Ref: topic.id }]);
  });
});

describe("the consumer failure queue's depth alarm", () => {
  const queueId = (s: Synthesized) =>
    resourcesOfType(s.template, "AWS::SQS::Queue").find((q) => q.id.startsWith("ConsumerFailureQueue"))!.id;

  it("alarms on the queue's visible messages, the worst minute of 5, from one message by default", () => {
    expect(alarm(defaults, "consumer-failures-not-empty")).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId(defaults), "QueueName"] } }],
      Statistic: "Maximum",
      Period: 300,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      EvaluationPeriods: 1,
      TreatMissingData: "notBreaching",
    });
  });

  it("takes its threshold from observability.alarms.deadLetterMessages", () => {
    expect(alarm(tuned, "consumer-failures-not-empty").Threshold).toBe(5);
  });
});

describe("the consumer's deliveries table", () => {
  const table = () =>
    resourcesOfType(defaults.template, "AWS::DynamoDB::Table").find((t) =>
      t.id.startsWith("ConsumerDeliveries"),
    )!;

  it("is keyed by record id and expires its items by their expiresAt", () => {
    expect(table().props).toMatchObject({
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
  });

  it("is named in the consumer's environment with the days an id is remembered", () => {
    const consumer = resourcesOfType(defaults.template, "AWS::Lambda::Function").find((f) =>
      f.id.startsWith("ConsumerFunction"),
    )!;
    expect(consumer.props.Environment.Variables).toMatchObject({
      CONSUMER_DELIVERIES_TABLE: { Ref: table().id },
      CONSUMER_REMEMBER_DELIVERIES_DAYS: "14",
    });
  });

  it("may be written by the consumer only, with PutItem only", () => {
    const grants = resourcesOfType(defaults.template, "AWS::IAM::Policy").flatMap((policy) =>
      (policy.props.PolicyDocument.Statement as TemplateProps[])
        .filter((st) => JSON.stringify(st.Resource).includes(table().id))
        .map((st) => ({ policy: policy.id, action: st.Action })),
    );
    expect(grants).toEqual([{ policy: expect.stringMatching(/^ConsumerRole/), action: "dynamodb:PutItem" }]);
  });
});

describe("the functions' Kafka transport", () => {
  it("is never relaxed in a deployed function's environment", () => {
    for (const fn of resourcesOfType(defaults.template, "AWS::Lambda::Function")) {
      const variables = Object.keys(fn.props.Environment?.Variables ?? {});
      expect(variables, fn.id).not.toContain("KAFKA_INSECURE_TRANSPORT");
    }
  });
});
