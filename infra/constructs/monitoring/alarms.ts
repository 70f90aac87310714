// The pipeline's alarms, all notifying one SNS topic (optionally e-mailed): per sweep (failed,
// organisations unreadable, no records), the consumer's failed batches, dead-letter queues, and
// each kind's own telemetry alarms as its module declares them.

import { Duration, Stack, Validations } from "aws-cdk-lib";
import * as cw from "aws-cdk-lib/aws-cloudwatch";
import * as cwActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { type KindId, kindById } from "../../../shared/kinds/registry.js";
import { SWEEP_METRICS } from "../../../shared/observability/names.js";
import type { StackConfig } from "../../config/stack-config.js";
import { FIVE_MINUTES, insights, kindMetricQuery, offsetLagQuery, sweepMetric } from "./metrics.js";
import type { MonitoringProps } from "./monitoring.js";

/** Five-minute periods in a row the consumer must be behind before its lag alarms. */
export const CONSUMER_LAG_PERIODS = 3;

export class PipelineAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cw.Alarm[] = [];
  readonly #action: cwActions.SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    const thresholds = config.observability.alarms;
    const stackName = Stack.of(this).stackName;

    this.topic = new sns.Topic(this, "AlarmTopic", { displayName: "Semaphore alarms", enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: "AwsSolutions-SNS2",
      reason:
        "Alarm notifications carry alarm names and states only, no telemetry or credentials; CloudWatch cannot " +
        "publish to a topic encrypted with the AWS-managed SNS key, and a customer key costs more than the data is worth.",
    });
    for (const email of config.observability.alarmEmails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    this.#action = new cwActions.SnsAction(this.topic);

    for (const kind of Object.keys(props.sweeps) as KindId[]) {
      const sweep = props.sweeps[kind]!;
      const period = Duration.seconds(config.sweeps[kind].windowSeconds);
      this.#alarm(`${kind}-Errors`, {
        alarmName: `${stackName}-${kind}-sweep-errors`,
        alarmDescription: `The ${kind} sweep failed (Lambda Errors: crashes, timeouts and sweep errors); Lambda retries it, then dead-letters its event.`,
        metric: sweep.function.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
        threshold: thresholds.sweepErrors,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      this.#alarm(`${kind}-FailedOrganizations`, {
        alarmName: `${stackName}-${kind}-failed-organizations`,
        alarmDescription: `The ${kind} sweep could not read some Meraki organisations (the others were delivered); see the sweep's log.`,
        metric: sweepMetric(kind, SWEEP_METRICS.failedOrganizations, "Maximum", { period }),
        threshold: thresholds.failedOrganizations,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      this.#alarm(`${kind}-NoRecords`, {
        alarmName: `${stackName}-${kind}-no-records`,
        alarmDescription: `The ${kind} sweep produced no record for ${thresholds.noRecordsPeriods} schedule periods in a row (or did not run).`,
        metric: sweepMetric(kind, SWEEP_METRICS.recordsProduced, "Sum", { period }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: thresholds.noRecordsPeriods,
        treatMissingData: cw.TreatMissingData.BREACHING,
      });
      this.#kindAlarms(kind, stackName, config);
    }

    this.#alarm("Consumer-Errors", {
      alarmName: `${stackName}-consumer-errors`,
      alarmDescription:
        "The consumer failed batches (Lambda Errors); the mapping retries them, then sends them to the failure queue.",
      metric: props.consumer.function.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
      threshold: thresholds.consumerErrors,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    // A mapping whose lag keeps growing: the consumer fails, is throttled, or cannot keep up, and
    // the topic's retention will eventually delete what it has not read. For the swept kinds: a
    // retired kind's drained topic is a backlog read once, whose lag the dashboard shows going down.
    for (const kind of Object.keys(props.sweeps) as KindId[]) {
      const mapping = props.consumerMappings[kind];
      if (mapping === undefined) continue;
      this.#alarm(`Consumer-OffsetLag-${kind}`, {
        alarmName: `${stackName}-consumer-lag-${kind}`,
        alarmDescription:
          `The consumer's mapping on the ${kind} topic stayed more than ${thresholds.consumerOffsetLag} records behind ` +
          `for ${CONSUMER_LAG_PERIODS * 5} minutes (Lambda OffsetLag): see the consumer's errors and throttles.`,
        metric: insights(offsetLagQuery(mapping.eventSourceMappingId), `max OffsetLag ${kind}`),
        threshold: thresholds.consumerOffsetLag,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: CONSUMER_LAG_PERIODS,
        datapointsToAlarm: CONSUMER_LAG_PERIODS,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.#alarm(`${name}-Depth`, {
        alarmName: `${stackName}-${name}-not-empty`,
        alarmDescription: `Messages are waiting in ${name}: failed invocations to inspect and replay.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: "Maximum",
        }),
        threshold: thresholds.deadLetterMessages,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }
  }

  /** The kind's telemetry alarms, on the consumer's metrics, thresholds from `sweeps.<kind>.alarms`. */
  #kindAlarms(kindId: KindId, stackName: string, config: StackConfig): void {
    const kind = kindById(kindId);
    const thresholds = config.sweeps[kindId].alarms;
    for (const declared of kind.monitoring.alarms) {
      const threshold = thresholds[declared.threshold];
      // Off until the stack config sets it (the kind declares no default for it).
      if (threshold === undefined) continue;
      this.#alarm(`${kindId}-${declared.id}`, {
        alarmName: `${stackName}-${kindId}-${declared.id}`,
        alarmDescription: declared.description(threshold),
        metric: insights(
          kindMetricQuery(kind, declared.metric, declared.statistic),
          `${declared.statistic.toLowerCase()} ${declared.metric}`,
        ),
        threshold,
        comparisonOperator:
          declared.comparison === "above"
            ? cw.ComparisonOperator.GREATER_THAN_THRESHOLD
            : cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: declared.evaluationPeriods,
        datapointsToAlarm: declared.datapointsToAlarm,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }
  }

  #alarm(alarmId: string, alarmProps: cw.AlarmProps): cw.Alarm {
    const created = new cw.Alarm(this, alarmId, alarmProps);
    created.addAlarmAction(this.#action);
    created.addOkAction(this.#action);
    this.alarms.push(created);
    return created;
  }
}
