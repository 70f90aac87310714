// What an operator looks at, composed from its three parts: alarms to an SNS topic, one dashboard,
// and saved Logs Insights queries. Each part reads the enabled kinds' declarations from the registry.

import type * as cw from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { ConsumedKindId, KindId } from "../../../shared/kinds/registry.js";
import type { StackConfig } from "../../config/stack-config.js";
import { PipelineAlarms } from "./alarms.js";
import { PipelineDashboard } from "./dashboard.js";
import { SavedQueries } from "./saved-queries.js";

export interface MonitoredFunction {
  function: lambda.IFunction;
  logGroup: logs.ILogGroup;
}

export interface MonitoringProps {
  config: StackConfig;
  /** The enabled sweeps' functions, by kind. */
  sweeps: Partial<Record<KindId, MonitoredFunction>>;
  consumer: MonitoredFunction;
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** The consumer's event source mappings, one per topic it reads, by kind. */
  consumerMappings: Partial<Record<ConsumedKindId, lambda.IEventSourceMapping>>;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cw.Dashboard;
  readonly alarms: cw.Alarm[];
  readonly queries: logs.QueryDefinition[];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const alarms = new PipelineAlarms(this, "Alarms", props);
    this.topic = alarms.topic;
    this.alarms = alarms.alarms;
    this.dashboard = new PipelineDashboard(this, "Dashboard", { ...props, alarms: this.alarms }).dashboard;
    this.queries = new SavedQueries(this, "Queries", props).queries;
  }
}
