// The operator's one dashboard: sweeps (duration, records, API calls and 429s, errors), the
// consumer (records by kind and outcome, batches), each enabled kind's telemetry graphs as its
// module declares them, Lambda errors and throttles, dead-letter queues, and the alarms.

import { Duration, Stack } from "aws-cdk-lib";
import * as cw from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { type KindId, kindById } from "../../../shared/kinds/registry.js";
import {
  CONSUMER_METRICS,
  CONSUMER_SERVICE_NAME,
  CONSUMER_DIMENSIONS as D,
  METRIC_NAMESPACE,
  SWEEP_METRICS,
} from "../../../shared/observability/names.js";
import {
  consumerMetric,
  consumerSchema,
  FIVE_MINUTES,
  insights,
  kindMetricQuery,
  offsetLagQuery,
  sweepMetric,
  WHERE_CONSUMER,
} from "./metrics.js";
import type { MonitoringProps } from "./monitoring.js";

export interface PipelineDashboardProps extends Omit<MonitoringProps, "config"> {
  alarms: cw.IAlarm[];
}

const WIDGETS_PER_ROW = 3;

export class PipelineDashboard extends Construct {
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const kinds = Object.keys(props.sweeps) as KindId[];
    const perKind = (name: string, statistic: string) =>
      kinds.map((kind) => sweepMetric(kind, name, statistic, { label: kind }));
    this.dashboard = new cw.Dashboard(this, "Dashboard", {
      dashboardName: `${Stack.of(this).stackName}-pipeline`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cw.TextWidget({
        markdown:
          `# Semaphore\nMeraki sweeps -> Kafka -> consumer. Sweep metrics: namespace \`${METRIC_NAMESPACE}\`, dimension ` +
          `\`service\` = \`semaphore-sweep-<kind>\`; consumer: \`service\` = \`${CONSUMER_SERVICE_NAME}\`.`,
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
        perKind(SWEEP_METRICS.apiRetries, "Sum"),
      ),
      graph(
        "Sweep errors and failed organisations",
        perKind(SWEEP_METRICS.errors, "Sum"),
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
        [consumerMetric(CONSUMER_METRICS.batchRecords, "Sum", "records per 5 min")],
      ),
    );
    const telemetry = kinds.flatMap((kindId) => {
      const kind = kindById(kindId);
      return kind.monitoring.widgets.map((widget) =>
        graph(widget.title, [
          insights(
            kindMetricQuery(kind, widget.metric, widget.statistic, {
              groupBy: widget.groupBy,
              ...(widget.top === undefined ? {} : { top: widget.top }),
            }),
            `${widget.statistic.toLowerCase()} ${widget.metric}`,
          ),
        ]),
      );
    });
    for (let i = 0; i < telemetry.length; i += WIDGETS_PER_ROW) {
      this.dashboard.addWidgets(...telemetry.slice(i, i + WIDGETS_PER_ROW));
    }
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
    );
    this.dashboard.addWidgets(
      graph(
        "Consumer offset lag by topic (records behind)",
        Object.entries(props.consumerMappings).map(([kind, mapping]) =>
          insights(offsetLagQuery(mapping.eventSourceMappingId), kind),
        ),
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
      new cw.AlarmStatusWidget({ title: "Alarms", alarms: props.alarms, width: 24, height: 6 }),
    );
  }
}

function graph(title: string, left: cw.IMetric[], right?: cw.IMetric[]): cw.GraphWidget {
  return new cw.GraphWidget({
    title,
    left,
    ...(right ? { right } : {}),
    width: 24 / WIDGETS_PER_ROW,
    height: 6,
  });
}
