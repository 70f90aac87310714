import { Duration, Stack, Validations } from "aws-cdk-lib";
import * as cw from "aws-cdk-lib/aws-cloudwatch";
import * as cwActions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { SweepKind } from "../../shared/sweeps/sweep.js";
import type { StackConfig } from "../config/stack-config.js";
import {
  CONSUMER_METRICS,
  CONSUMER_SERVICE_NAME,
  CONSUMER_DIMENSIONS as D,
  METRIC_NAMESPACE,
  SWEEP_METRICS,
  sweepServiceName,
} from "./metric-names.js";

export interface MonitoredFunction {
  function: lambda.IFunction;
  logGroup: logs.ILogGroup;
}

export interface MonitoringProps {
  config: StackConfig;
  sweeps: Partial<Record<SweepKind, MonitoredFunction>>;
  consumer: MonitoredFunction;
  deadLetterQueues: Record<string, sqs.IQueue>;
}

const FIVE_MINUTES = Duration.minutes(5);

/** Metrics Insights over the consumer's metrics, whatever the per-network/per-device mode. */
function insights(query: string, label: string, period = FIVE_MINUTES): cw.MathExpression {
  return new cw.MathExpression({ expression: query, label, period, usingMetrics: {} });
}

function consumerSchema(...dimensions: string[]): string {
  return `SCHEMA("${METRIC_NAMESPACE}", ${[...dimensions, "service"].sort().join(", ")})`;
}

const WHERE_CONSUMER = `WHERE service = '${CONSUMER_SERVICE_NAME}'`;

/**
 * What an operator looks at: one dashboard (sweeps, consumer, telemetry, queues, alarms), alarms
 * to an SNS topic (optionally e-mailed), and saved Logs Insights queries over the consumer's
 * "telemetry" and "rejected record" lines and the sweeps' summaries.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cw.Dashboard;
  readonly alarms: cw.Alarm[] = [];
  readonly queries: logs.QueryDefinition[] = [];

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
    const action = new cwActions.SnsAction(this.topic);
    const alarm = (alarmId: string, alarmProps: cw.AlarmProps): cw.Alarm => {
      const created = new cw.Alarm(this, alarmId, alarmProps);
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    const kinds = Object.keys(props.sweeps) as SweepKind[];
    const sweepMetric = (
      kind: SweepKind,
      name: string,
      statistic: string,
      period = FIVE_MINUTES,
      label?: string,
    ) =>
      new cw.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: sweepServiceName(kind) },
        statistic,
        period,
        ...(label ? { label } : {}),
      });

    for (const kind of kinds) {
      const sweep = props.sweeps[kind]!;
      const period = Duration.seconds(config.sweeps[kind].windowSeconds);
      alarm(`${kind}-Errors`, {
        alarmName: `${stackName}-${kind}-sweep-errors`,
        alarmDescription: `The ${kind} sweep failed (Lambda Errors: crashes, timeouts and sweep errors); Scheduler retries, then dead-letters.`,
        metric: sweep.function.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
        threshold: thresholds.sweepErrors,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      alarm(`${kind}-FailedOrganizations`, {
        alarmName: `${stackName}-${kind}-failed-organizations`,
        alarmDescription: `The ${kind} sweep could not read some Meraki organisations (the others were delivered); see the sweep's log.`,
        metric: sweepMetric(kind, SWEEP_METRICS.failedOrganizations, "Maximum", period),
        threshold: thresholds.failedOrganizations,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      alarm(`${kind}-NoRecords`, {
        alarmName: `${stackName}-${kind}-no-records`,
        alarmDescription: `The ${kind} sweep produced no record for ${thresholds.noRecordsPeriods} schedule periods in a row (or did not run).`,
        metric: sweepMetric(kind, SWEEP_METRICS.recordsProduced, "Sum", period),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: thresholds.noRecordsPeriods,
        treatMissingData: cw.TreatMissingData.BREACHING,
      });
    }

    alarm("Consumer-Errors", {
      alarmName: `${stackName}-consumer-errors`,
      alarmDescription:
        "The consumer failed batches (Lambda Errors); the mapping retries them, then sends them to the failure queue.",
      metric: props.consumer.function.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
      threshold: thresholds.consumerErrors,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(`${name}-Depth`, {
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
    const lossQuery = `SELECT MAX(${CONSUMER_METRICS.lossPercentMax}) FROM ${consumerSchema(D.network, D.uplink)} ${WHERE_CONSUMER}`;
    if (props.sweeps["uplink-loss-latency"]) {
      alarm("UplinkLoss", {
        alarmName: `${stackName}-uplink-loss`,
        alarmDescription: `Some uplink lost more than ${thresholds.uplinkLossPercent}% of probes; the "uplink loss above threshold" query names it.`,
        metric: insights(lossQuery, "worst uplink loss %"),
        threshold: thresholds.uplinkLossPercent,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }

    // Dashboard.
    const perKind = (name: string, statistic: string) =>
      kinds.map((kind) => sweepMetric(kind, name, statistic, FIVE_MINUTES, kind));
    const graph = (title: string, left: cw.IMetric[], width = 8, right?: cw.IMetric[]) =>
      new cw.GraphWidget({ title, left, ...(right ? { right } : {}), width, height: 6 });
    this.dashboard = new cw.Dashboard(this, "Dashboard", {
      dashboardName: `${stackName}-pipeline`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cw.TextWidget({
        markdown:
          "# Semaphore\nMeraki sweeps -> Kafka -> consumer. Sweep metrics: namespace `Semaphore`, dimension " +
          "`service` = `semaphore-sweep-<kind>`; consumer: `service` = `semaphore-consumer`.",
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph("Sweep duration (ms, max)", perKind(SWEEP_METRICS.duration, "Maximum")),
      graph("Records produced", perKind(SWEEP_METRICS.recordsProduced, "Sum")),
      graph("Records dropped", perKind(SWEEP_METRICS.recordsDropped, "Sum")),
    );
    this.dashboard.addWidgets(
      graph("Meraki API calls", perKind(SWEEP_METRICS.apiCalls, "Sum")),
      graph(
        "Meraki 429s (rate limited)",
        perKind(SWEEP_METRICS.apiRateLimited, "Sum"),
        8,
        perKind(SWEEP_METRICS.apiRetries, "Sum"),
      ),
      graph(
        "Sweep errors and failed organisations",
        perKind(SWEEP_METRICS.errors, "Sum"),
        8,
        perKind(SWEEP_METRICS.failedOrganizations, "Maximum"),
      ),
    );
    const kindSum = (metric: string, label: string) =>
      insights(
        `SELECT SUM(${metric}) FROM ${consumerSchema(D.kind)} ${WHERE_CONSUMER} GROUP BY ${D.kind}`,
        label,
      );
    this.dashboard.addWidgets(
      graph("Records consumed (accepted) by kind", [kindSum(CONSUMER_METRICS.accepted, "accepted")]),
      graph("Records rejected / duplicate by kind", [
        kindSum(CONSUMER_METRICS.rejected, "rejected"),
        kindSum(CONSUMER_METRICS.duplicates, "duplicate"),
      ]),
      graph(
        "Consumer batches and errors",
        [
          props.consumer.function.metricInvocations({ period: FIVE_MINUTES, label: "invocations" }),
          props.consumer.function.metricErrors({ period: FIVE_MINUTES, label: "Lambda errors" }),
        ],
        8,
        [
          new cw.Metric({
            namespace: METRIC_NAMESPACE,
            metricName: CONSUMER_METRICS.batchRecords,
            dimensionsMap: { service: CONSUMER_SERVICE_NAME },
            statistic: "Sum",
            period: FIVE_MINUTES,
            label: "records per 5 min",
          }),
        ],
      ),
    );
    const topNetworks = (metric: string, stat: "MAX" | "AVG", label: string) =>
      insights(
        `SELECT ${stat}(${metric}) FROM ${consumerSchema(D.network, D.uplink)} ${WHERE_CONSUMER} GROUP BY ${D.network} ORDER BY ${stat}() DESC LIMIT 10`,
        label,
      );
    this.dashboard.addWidgets(
      graph("Uplink loss %, worst 10 networks", [
        topNetworks(CONSUMER_METRICS.lossPercentMax, "MAX", "loss % max"),
      ]),
      graph("Uplink latency ms, worst 10 networks", [
        topNetworks(CONSUMER_METRICS.latencyMsAvg, "AVG", "latency ms avg"),
      ]),
      graph("Devices by status", [
        insights(
          `SELECT SUM(${CONSUMER_METRICS.devices}) FROM ${consumerSchema(D.network, D.status)} ${WHERE_CONSUMER} GROUP BY ${D.status}`,
          "devices",
        ),
      ]),
    );
    const fnMetrics = (pick: (fn: lambda.IFunction) => cw.Metric) => [
      ...kinds.map((kind) => pick(props.sweeps[kind]!.function).with({ label: kind })),
      pick(props.consumer.function).with({ label: "consumer" }),
    ];
    this.dashboard.addWidgets(
      graph(
        "Lambda errors",
        fnMetrics((fn) => fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" })),
      ),
      graph(
        "Lambda throttles",
        fnMetrics((fn) => fn.metricThrottles({ period: FIVE_MINUTES, statistic: "Sum" })),
      ),
      graph(
        "Dead-letter queues (messages)",
        Object.entries(props.deadLetterQueues).map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: "Maximum",
            label: name,
          }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      new cw.AlarmStatusWidget({ title: "Alarms", alarms: this.alarms, width: 24, height: 6 }),
    );

    // Saved Logs Insights queries (CloudWatch console > Logs Insights > Saved queries, folder "Semaphore").
    const consumerLogs = [props.consumer.logGroup];
    const sweepLogs = kinds.map((kind) => props.sweeps[kind]!.logGroup);
    const query = (queryId: string, name: string, groups: logs.ILogGroup[], q: logs.QueryString) =>
      this.queries.push(
        new logs.QueryDefinition(this, queryId, {
          queryDefinitionName: `Semaphore/${name}`,
          queryString: q,
          logGroups: groups,
        }),
      );
    query(
      "TelemetryQuery",
      "consumer - latest telemetry",
      consumerLogs,
      new logs.QueryString({
        fields: [
          "@timestamp",
          "kind",
          "organizationName",
          "networkName",
          "deviceName",
          "serial",
          "uplink",
          "ip",
          "lossPercent",
          "latencyMs",
          "status",
        ],
        filterStatements: ['message = "telemetry"'],
        sort: "@timestamp desc",
        limit: 200,
      }),
    );
    query(
      "LossQuery",
      "consumer - uplink loss above threshold",
      consumerLogs,
      new logs.QueryString({
        filterStatements: [
          'message = "telemetry"',
          'kind = "uplink-loss-latency"',
          `lossPercentMax > ${thresholds.uplinkLossPercent}`,
        ],
        statsStatements: [
          "max(lossPercentMax) as worstLossPercent, avg(latencyMsAvg) as avgLatencyMs, count(*) as windows by networkName, deviceName, serial, uplink, ip",
        ],
        sort: "worstLossPercent desc",
        limit: 100,
      }),
    );
    query(
      "LatencyQuery",
      "consumer - uplink latency by network",
      consumerLogs,
      new logs.QueryString({
        filterStatements: ['message = "telemetry"', 'kind = "uplink-loss-latency"'],
        statsStatements: [
          "avg(latencyMsAvg) as avgLatencyMs, max(latencyMsMax) as maxLatencyMs by networkName, uplink",
        ],
        sort: "avgLatencyMs desc",
        limit: 100,
      }),
    );
    query(
      "DeviceStatusQuery",
      "consumer - devices by status",
      consumerLogs,
      new logs.QueryString({
        filterStatements: ['message = "telemetry"', 'kind = "device-statuses"'],
        statsStatements: ["count_distinct(serial) as devices by networkName, status"],
        sort: "networkName asc",
      }),
    );
    query(
      "RejectedQuery",
      "consumer - rejected records",
      consumerLogs,
      new logs.QueryString({
        fields: [
          "@timestamp",
          "reason",
          "detail",
          "topic",
          "partition",
          "offset",
          "key",
          "schema",
          "preview",
        ],
        filterStatements: ['message = "rejected record"'],
        sort: "@timestamp desc",
        limit: 200,
      }),
    );
    query(
      "FailedBatchesQuery",
      "consumer - failed batches",
      consumerLogs,
      new logs.QueryString({
        fields: ["@timestamp", "message", "error.name", "error.message", "offsets"],
        filterStatements: ['level = "ERROR"'],
        sort: "@timestamp desc",
        limit: 100,
      }),
    );
    query(
      "SweepSummaryQuery",
      "sweeps - summaries and failures",
      sweepLogs,
      new logs.QueryString({
        fields: [
          "@timestamp",
          "service",
          "message",
          "sweepId",
          "summary.records.produced",
          "summary.durationMs",
          "organizationId",
          "error.name",
          "error.message",
        ],
        filterStatements: [
          'message in ["sweep completed", "sweep failed", "sweep could not start", "organization sweep failed"]',
        ],
        sort: "@timestamp desc",
        limit: 200,
      }),
    );
  }
}
