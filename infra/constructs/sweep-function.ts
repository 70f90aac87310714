import { Duration, Stack, TimeZone, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as targets from "aws-cdk-lib/aws-scheduler-targets";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { KindId } from "../../shared/kinds/registry.js";
import { sweepFunctionEnvironment } from "../config/function-env.js";
import type { StackConfig } from "../config/stack-config.js";
import { FUNCTION_ENTRIES } from "./function-bundle.js";
import { SemaphoreFunction } from "./semaphore-function.js";

export interface SweepFunctionProps {
  projectRoot: string;
  config: StackConfig;
  kind: KindId;
  kafkaLayer: lambda.ILayerVersion;
  merakiSecret: secretsmanager.ISecret;
  kafkaSecret: secretsmanager.ISecret;
  deadLetterQueue: sqs.IQueue;
}

/**
 * One sweep: its function (one at a time: reserved concurrency 1, so a slow sweep is never
 * overlapped by the next), and the EventBridge Scheduler schedule that invokes it with
 * {"scheduledTime": <aws.scheduler.scheduled-time>}, retries a failed invocation with the same
 * scheduled time (same window, same record ids) and then leaves it in the dead-letter queue.
 */
export class SweepFunction extends Construct {
  readonly fn: SemaphoreFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: SweepFunctionProps) {
    super(scope, id);
    const { config, kind } = props;
    const sweep = config.sweeps[kind];
    this.fn = new SemaphoreFunction(this, "Sweep", {
      projectRoot: props.projectRoot,
      // One entry for every kind; SWEEP_KIND in the environment picks the kind.
      entry: FUNCTION_ENTRIES.sweep,
      description: `Semaphore ${kind} sweep: Meraki Dashboard API -> Kafka topic ${sweep.topic}`,
      environment: sweepFunctionEnvironment(config, kind, {
        meraki: props.merakiSecret.secretArn,
        kafka: props.kafkaSecret.secretArn,
      }),
      memoryMb: sweep.memoryMb,
      timeoutSeconds: sweep.timeoutSeconds,
      logRetentionDays: config.observability.logRetentionDays,
      reservedConcurrency: 1,
      layers: [props.kafkaLayer],
    });
    // Exactly the two secrets, read-only; no DescribeSecret, no wildcards.
    this.fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [props.merakiSecret.secretArn, props.kafkaSecret.secretArn],
      }),
    );

    // The schedule's own role; the target grants it lambda:InvokeFunction on this function only.
    const schedulerRole = new iam.Role(this, "SchedulerRole", {
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
      description: `Lets EventBridge Scheduler invoke the ${kind} sweep and dead-letter failed invocations`,
    });
    const functionLogicalId = Stack.of(this).getLogicalId(
      this.fn.function.node.defaultChild as lambda.CfnFunction,
    );
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason:
        "Granted by aws-scheduler-targets.LambdaInvoke: the ARN of this one function followed by :* (its versions " +
        "and aliases); no other function is reachable.",
    });

    this.schedule = new scheduler.Schedule(this, "Schedule", {
      description: `Semaphore ${kind} sweep: invokes the function with the scheduled time`,
      schedule: scheduler.ScheduleExpression.expression(sweep.schedule, TimeZone.of(sweep.timeZone)),
      target: new targets.LambdaInvoke(this.fn.function, {
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: config.scheduler.maximumRetryAttempts,
        maxEventAge: Duration.seconds(config.scheduler.maximumEventAgeSeconds),
        deadLetterQueue: props.deadLetterQueue,
        role: schedulerRole,
      }),
      enabled: true,
    });
  }
}
