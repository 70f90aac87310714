/**
 * The synthesized template's shared Meraki budget, staggered schedules and shards: the DynamoDB
 * table and exactly the access each sweep has to it, the variables that point the functions at it,
 * the flexible time windows, one schedule per shard, and the synth warning of an organisation too
 * large for its shards.
 */
import { type Stack, Validations } from "aws-cdk-lib";
import { Annotations, Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { capacityWarning, sweepCapacity } from "../../infra/config/budget.js";
import { stackConfig } from "../../infra/config/default.js";
import { applyConfigOverride } from "../../infra/config/overrides.js";
import { parseStackConfig } from "../../infra/config/stack-config.js";
import { CAPACITY_WARNING_ID } from "../../infra/constructs/sweep-function.js";
import { KIND_IDS } from "../../shared/kinds/registry.js";
import { resourcesOfType, type Synthesized, synth, type TemplateProps } from "./synth.js";

let s: Synthesized;
beforeAll(() => {
  s = synth();
});

const logicalPrefix = (kind: string) => `Sweep${kind.replaceAll("-", "")}`;
const tableId = (template = s.template) =>
  resourcesOfType(template, "AWS::DynamoDB::Table").find((t) => t.id.startsWith("MerakiBudget"))!.id;
const sweepFunction = (template: Synthesized["template"], kind: string) =>
  resourcesOfType(template, "AWS::Lambda::Function").find((f) =>
    f.id.startsWith(`${logicalPrefix(kind)}Sweep`),
  )!;
const schedulesOf = (template: Synthesized["template"], kind: string) =>
  resourcesOfType(template, "AWS::Scheduler::Schedule").filter((r) =>
    r.id.startsWith(`${logicalPrefix(kind)}Schedule`),
  );
const stackOf = (synthesized: Synthesized) => synthesized.app.node.findChild(synthesized.stackName) as Stack;
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the Meraki budget table", () => {
  it("is one on-demand table keyed by the string pk, deleted with the stack, without point-in-time recovery", () => {
    // The consumer's deliveries table is the other one (test/infra/consumer-health-alarms.test.ts).
    const tables = resourcesOfType(s.template, "AWS::DynamoDB::Table").filter((t) =>
      t.id.startsWith("MerakiBudget"),
    );
    expect(tables).toHaveLength(1);
    expect(tables[0]!.props).toEqual({
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
    const resource = s.template.Resources[tables[0]!.id] as Record<string, unknown>;
    expect(resource.DeletionPolicy).toBe("Delete");
    expect(resource.UpdateReplacePolicy).toBe("Delete");
    expect(s.template.Outputs?.MerakiBudgetTableName?.Value).toEqual({ Ref: tables[0]!.id });
  });

  it("acknowledges cdk-nag's point-in-time recovery finding with the reason", () => {
    const acknowledged: string[] = [];
    const table = stackOf(s).node.findChild("MerakiBudget").node.findChild("Table");
    for (const entry of table.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        acknowledged.push(...Object.keys(entry.data as Record<string, string>));
      }
    }
    expect(acknowledged.some((id) => id.endsWith("AwsSolutions-DDB3"))).toBe(true);
  });

  it("lets every sweep role GetItem and UpdateItem on that table, and nothing else of DynamoDB", () => {
    const policies = resourcesOfType(s.template, "AWS::IAM::Policy");
    const dynamo = policies.flatMap((policy) =>
      (policy.props.PolicyDocument.Statement as TemplateProps[])
        .filter((statement) => JSON.stringify(statement.Action).includes("dynamodb:"))
        .map((statement) => ({ policy: policy.id, statement })),
    );
    expect(dynamo.filter((d) => !d.policy.startsWith("Consumer"))).toHaveLength(KIND_IDS.length);
    for (const kind of KIND_IDS) {
      const ofKind = dynamo.filter((d) => d.policy.startsWith(`${logicalPrefix(kind)}SweepRole`));
      expect(
        ofKind.map((d) => d.statement),
        kind,
      ).toEqual([
        {
          Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          Effect: "Allow",
          Resource: { "Fn::GetAtt": [tableId(), "Arn"] },
        },
      ]);
    }
    // The consumer's one DynamoDB grant is on its own deliveries table, never on the budget.
    expect(JSON.stringify(dynamo.filter((d) => d.policy.startsWith("Consumer")))).not.toContain(tableId());
  });

  it("is named to every sweep function, with the number of schedules as its fallback share", () => {
    for (const kind of KIND_IDS) {
      const variables = sweepFunction(s.template, kind).props.Environment.Variables;
      expect(variables, kind).toMatchObject({
        MERAKI_BUDGET_TABLE: { Ref: tableId() },
        MERAKI_BUDGET_SHARES: String(KIND_IDS.length),
        MERAKI_REQUESTS_PER_SECOND: "8",
      });
      expect(variables).not.toHaveProperty("MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION");
    }
    const consumer = resourcesOfType(s.template, "AWS::Lambda::Function").find((f) =>
      f.id.startsWith("Consumer"),
    )!;
    expect(consumer.props.Environment.Variables).not.toHaveProperty("MERAKI_BUDGET_TABLE");
  });

  it("passes the per-organisation rates of the stack config to every sweep function", () => {
    const other = synth({ meraki: { requestsPerSecondByOrganization: { "123": 4, "456": 10 } } });
    for (const kind of KIND_IDS) {
      expect(sweepFunction(other.template, kind).props.Environment.Variables).toMatchObject({
        MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION: "123=4,456=10",
      });
    }
  });
});

describe("staggered schedules", () => {
  it("lets Scheduler invoke every schedule within a flexible window of two minutes by default", () => {
    for (const kind of KIND_IDS) {
      const [schedule] = schedulesOf(s.template, kind);
      expect(schedule!.props.FlexibleTimeWindow, kind).toEqual({
        Mode: "FLEXIBLE",
        MaximumWindowInMinutes: 2,
      });
      // The window is the scheduled time's, however late the invocation.
      expect(JSON.parse(schedule!.props.Target.Input)).toEqual({
        scheduledTime: "<aws.scheduler.scheduled-time>",
      });
    }
  });

  it("follows sweeps.<kind>.flexibleWindowMinutes, 0 turning the window off", () => {
    const other = synth({
      sweeps: {
        "network-clients": { flexibleWindowMinutes: 5 },
        "api-requests": { flexibleWindowMinutes: 0 },
      },
    });
    expect(schedulesOf(other.template, "network-clients")[0]!.props.FlexibleTimeWindow).toEqual({
      Mode: "FLEXIBLE",
      MaximumWindowInMinutes: 5,
    });
    expect(schedulesOf(other.template, "api-requests")[0]!.props.FlexibleTimeWindow).toEqual({ Mode: "OFF" });
  });
});

describe("a per-network kind split into shards", () => {
  let sharded: Synthesized;
  beforeAll(() => {
    sharded = synth({ sweeps: { "network-clients": { shards: 3 } } });
  });

  it("has one schedule per shard, each sending the scheduled time and its shard, with the same role", () => {
    const schedules = schedulesOf(sharded.template, "network-clients");
    expect(schedules.map((schedule) => JSON.parse(schedule.props.Target.Input))).toEqual([
      { scheduledTime: "<aws.scheduler.scheduled-time>", shard: 0, shards: 3 },
      { scheduledTime: "<aws.scheduler.scheduled-time>", shard: 1, shards: 3 },
      { scheduledTime: "<aws.scheduler.scheduled-time>", shard: 2, shards: 3 },
    ]);
    const unsharded = schedulesOf(s.template, "network-clients")[0]!.props;
    for (const { props } of schedules) {
      expect(props.FlexibleTimeWindow).toEqual(unsharded.FlexibleTimeWindow);
      expect(props.Target.RoleArn).toEqual(schedules[0]!.props.Target.RoleArn);
      expect(props.Target.Arn).toEqual(schedules[0]!.props.Target.Arn);
    }
    expect(resourcesOfType(sharded.template, "AWS::Scheduler::Schedule")).toHaveLength(KIND_IDS.length + 2);
    expect(resourcesOfType(sharded.template, "AWS::Lambda::Function")).toHaveLength(KIND_IDS.length + 1);
  });

  it("fires the shards in turn, a third of the 15-minute period apart, in UTC", () => {
    const schedules = schedulesOf(sharded.template, "network-clients");
    expect(
      schedules.map(({ props }) => [props.ScheduleExpression, props.ScheduleExpressionTimezone]),
    ).toEqual([
      ["cron(0/15 * * * ? *)", "Etc/UTC"],
      ["cron(5/15 * * * ? *)", "Etc/UTC"],
      ["cron(10/15 * * * ? *)", "Etc/UTC"],
    ]);
  });

  it("reserves one concurrent execution per shard, and counts each shard in every function's budget share", () => {
    expect(sweepFunction(sharded.template, "network-clients").props.ReservedConcurrentExecutions).toBe(3);
    expect(sweepFunction(sharded.template, "device-availability").props.ReservedConcurrentExecutions).toBe(1);
    for (const kind of KIND_IDS) {
      expect(sweepFunction(sharded.template, kind).props.Environment.Variables.MERAKI_BUDGET_SHARES).toBe(
        String(KIND_IDS.length + 2),
      );
    }
  });
});

describe("the synth warning of an organisation too large for its shards", () => {
  it("warns on the kind's sweep with the numbers and the shards that would fit", () => {
    const override = {
      sweeps: { "network-clients": { expectedNetworks: 10_000, schedule: "rate(30 minutes)" } },
    };
    const large = synth(override);
    const config = parseStackConfig(applyConfigOverride(stackConfig, override));
    const message = capacityWarning(sweepCapacity(config, "network-clients")!);
    // 10,001 calls at ~7.96 req/s: 1,256 s against the 600 s timeout; 3 shards make 3,335 calls in
    // 419 s, within both the timeout and their 600 s turn (2 would need 628 s).
    expect(message).toContain("10001 Meraki calls per shard, 1256 s at 7.96 req/s");
    expect(message).toContain("3 shards would fit (sweeps.network-clients.shards)");
    Annotations.fromStack(stackOf(large)).hasWarning(
      `/${large.stackName}/Sweep-network-clients`,
      Match.stringLikeRegexp(`^${literal(message)} \\[ack: ${literal(CAPACITY_WARNING_ID)}\\]$`),
    );
  });

  it("says nothing when the stated organisation fits, or when none is stated", () => {
    const fitting = synth({
      sweeps: { "network-clients": { expectedNetworks: 10_000, schedule: "rate(30 minutes)", shards: 3 } },
    });
    for (const synthesized of [s, fitting]) {
      Annotations.fromStack(stackOf(synthesized)).hasNoWarning(
        "*",
        Match.stringLikeRegexp(`\\[ack: ${literal(CAPACITY_WARNING_ID)}\\]`),
      );
    }
  });
});
