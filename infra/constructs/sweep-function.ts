import { Annotations, Duration, Stack, TimeZone, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as destinations from "aws-cdk-lib/aws-lambda-destinations";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as targets from "aws-cdk-lib/aws-scheduler-targets";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { KindId } from "../../shared/kinds/registry.js";
import { capacityWarning, sweepCapacity } from "../config/budget.js";
import { sweepFunctionEnvironment } from "../config/function-env.js";
import { scheduleInput, shardScheduleExpression, sweepShards } from "../config/schedule.js";
import type { StackConfig } from "../config/stack-config.js";
import type { BudgetTable } from "./budget-table.js";
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
  budgetTable: BudgetTable;
}

/** The synth warning of a per-network kind whose expected organisation does not fit (budget.ts). */
export const CAPACITY_WARNING_ID = "semaphore:sweep-capacity";

/**
 * One sweep: its function (one invocation per shard at a time: reserved concurrency = shards, 1
 * for an unsharded kind, so a slow sweep is never overlapped by the next), and the EventBridge
 * Scheduler schedule that invokes it with {"scheduledTime": <aws.scheduler.scheduled-time>} (one per
 * shard, each at its turn of the period, adding "shard" and "shards"). A failed sweep is retried by
 * Lambda with the same event (same window, same record ids) and then left in the dead-letter queue.
 */
export class SweepFunction extends Construct {
  readonly fn: SemaphoreFunction;
  readonly schedules: scheduler.Schedule[];

  constructor(scope: Construct, id: string, props: SweepFunctionProps) {
    super(scope, id);
    const { config, kind } = props;
    const sweep = config.sweeps[kind];
    this.fn = new SemaphoreFunction(this, "Sweep", {
      projectRoot: props.projectRoot,
      // One entry for every kind; SWEEP_KIND in the environment picks the kind.
      entry: FUNCTION_ENTRIES.sweep,
      description: `Semaphore ${kind} sweep: Meraki Dashboard API -> Kafka topic ${sweep.topic}`,
      environment: sweepFunctionEnvironment(
        config,
        kind,
        { meraki: props.merakiSecret.secretArn, kafka: props.kafkaSecret.secretArn },
        props.budgetTable.table.tableName,
      ),
      memoryMb: sweep.memoryMb,
      timeoutSeconds: sweep.timeoutSeconds,
      logRetentionDays: config.observability.logRetentionDays,
      // The shards of one slot take turns but may overlap when one runs long; two slots of one
      // shard never do (stack-config.ts keeps a late firing's whole timeout within the period).
      reservedConcurrency: sweep.shards,
      layers: [props.kafkaLayer],
    });
    props.budgetTable.grantBudget(this.fn.role);
    // Scheduler invokes the function asynchronously ("EventBridge Scheduler invokes your Lambda
    // function asynchronously", docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html):
    // Scheduler's retry policy and dead-letter queue only cover firings it could not hand over.
    // A sweep that fails while running is retried here, and after the last retry its event (with
    // the scheduled time: re-runnable as is) goes to the same dead-letter queue instead of nowhere.
    this.fn.function.configureAsyncInvoke({
      retryAttempts: config.sweepRetries.retryAttempts,
      maxEventAge: Duration.seconds(config.sweepRetries.maximumEventAgeSeconds),
      onFailure: new destinations.SqsDestination(props.deadLetterQueue),
    });
    const capacity = sweepCapacity(config, kind);
    if (capacity !== undefined && !capacity.fits) {
      Annotations.of(this).addWarningV2(CAPACITY_WARNING_ID, capacityWarning(capacity));
    }
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

    // Staggering: with a flexible time window Scheduler invokes each firing at a moment of its own
    // within that many minutes after the scheduled time ("it invokes the target within 15 minutes
    // after the scheduled time", docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html),
    // so kinds of the same period no longer call Meraki in the same second. The window the sweep
    // covers does not move with it: the payload's <aws.scheduler.scheduled-time> is "the time you
    // specified for the schedule to invoke its target" (docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html),
    // the slot's time rather than the moment of the late invocation, and the sweep derives its window
    // from it (shared/sweeps/window.ts), so a late firing and its retries sweep the same window with
    // the same record ids. The docs do not say it in so many words for flexible windows; that
    // reading is the one both pages give.
    const timeWindow =
      sweep.flexibleWindowMinutes === 0
        ? scheduler.TimeWindow.off()
        : scheduler.TimeWindow.flexible(Duration.minutes(sweep.flexibleWindowMinutes));
    this.schedules = sweepShards(sweep.shards).map(
      (shard) =>
        new scheduler.Schedule(this, shard ? `Schedule-shard-${shard.index}` : "Schedule", {
          description: shard
            ? `Semaphore ${kind} sweep, shard ${shard.index} of ${shard.count}: invokes the function with the scheduled time and the shard`
            : `Semaphore ${kind} sweep: invokes the function with the scheduled time`,
          // A shard fires at its turn of the period (schedule.ts), in UTC like the sweep's period grid.
          schedule: shard
            ? scheduler.ScheduleExpression.expression(
                shardScheduleExpression(sweep.schedule, shard),
                TimeZone.ETC_UTC,
              )
            : scheduler.ScheduleExpression.expression(sweep.schedule, TimeZone.of(sweep.timeZone)),
          timeWindow,
          target: new targets.LambdaInvoke(this.fn.function, {
            input: scheduler.ScheduleTargetInput.fromObject(
              scheduleInput(scheduler.ContextAttribute.scheduledTime, shard),
            ),
            retryAttempts: config.scheduler.maximumRetryAttempts,
            maxEventAge: Duration.seconds(config.scheduler.maximumEventAgeSeconds),
            deadLetterQueue: props.deadLetterQueue,
            role: schedulerRole,
          }),
          enabled: true,
        }),
    );
  }
}
