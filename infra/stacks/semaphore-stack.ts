import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { KIND_IDS, type KindId } from "../../shared/kinds/registry.js";
import { drainedKinds, type StackConfig } from "../config/stack-config.js";
import { BudgetTable } from "../constructs/budget-table.js";
import { ConsumerFunction } from "../constructs/consumer-function.js";
import { DeliveriesTable } from "../constructs/deliveries-table.js";
import { type MonitoredFunction, Monitoring } from "../constructs/monitoring/monitoring.js";
import { NativeKafkaLayer } from "../constructs/native-kafka-layer.js";
import { DeadLetterQueue } from "../constructs/secure-queue.js";
import { SweepFunction } from "../constructs/sweep-function.js";

export interface SemaphoreStackProps extends StackProps {
  config: StackConfig;
  /** Repository root (entries, lock file, node_modules). */
  projectRoot: string;
  /** Absolute path of the verified native Kafka layer directory. */
  nativeLayerDirectory: string;
  /** The @confluentinc/kafka-javascript version in package.json. */
  kafkaVersion: string;
}

/**
 * Everything Semaphore runs in one AWS account and region: a function and a schedule per enabled
 * sweep (a schedule per shard of a kind split into shards), the DynamoDB table of the Meraki budget
 * every sweep shares, the consumer with its Kafka event source mappings (one per enabled sweep's topic, and one
 * per retired kind's old topic while it is drained), the two secrets (imported by complete
 * ARN, or created without a value in the template), dead-letter queues, alarms, the dashboard and
 * saved queries.
 */
export class SemaphoreStack extends Stack {
  constructor(scope: Construct, id: string, props: SemaphoreStackProps) {
    super(scope, id, props);
    const { config } = props;

    const merakiSecret = this.secret(
      "MerakiSecret",
      config.meraki,
      'Meraki Dashboard API key (plain text or {"apiKey": "..."})',
    );
    const kafkaSecret = this.secret(
      "KafkaSecret",
      config.kafka,
      'Confluent Cloud API key for the cluster: {"username": "<API key>", "password": "<API secret>"}',
    );

    const layer = new NativeKafkaLayer(this, "KafkaClientLayer", {
      directory: props.nativeLayerDirectory,
      kafkaVersion: props.kafkaVersion,
    });
    const schedulerDlq = new DeadLetterQueue(this, "SchedulerDeadLetterQueue");
    const consumerFailures = new DeadLetterQueue(this, "ConsumerFailureQueue");
    const budgetTable = new BudgetTable(this, "MerakiBudget");
    const deliveries = new DeliveriesTable(this, "ConsumerDeliveries");

    const enabled = KIND_IDS.filter((kind) => config.sweeps[kind].enabled);
    const sweeps: Partial<Record<KindId, MonitoredFunction>> = {};
    for (const kind of enabled) {
      const sweep = new SweepFunction(this, `Sweep-${kind}`, {
        projectRoot: props.projectRoot,
        config,
        kind,
        kafkaLayer: layer.layer,
        merakiSecret,
        kafkaSecret,
        deadLetterQueue: schedulerDlq,
        budgetTable,
      });
      sweeps[kind] = { function: sweep.fn.function, logGroup: sweep.fn.logGroup };
      new CfnOutput(this, `SweepFunction-${kind}`, {
        description: `${kind} sweep function (invoke with {} or {"scheduledTime": "..."})`,
        value: sweep.fn.function.functionName,
      });
      new CfnOutput(this, `SweepLogGroup-${kind}`, {
        description: `${kind} sweep log group`,
        value: sweep.fn.logGroup.logGroupName,
      });
    }

    const consumer = new ConsumerFunction(this, "Consumer", {
      projectRoot: props.projectRoot,
      config,
      kinds: enabled,
      drained: drainedKinds(config),
      kafkaSecret,
      failureQueue: consumerFailures,
      deliveries,
    });

    const monitoring = new Monitoring(this, "Monitoring", {
      config,
      sweeps,
      consumer: { function: consumer.fn.function, logGroup: consumer.fn.logGroup },
      deadLetterQueues: { "scheduler-dlq": schedulerDlq, "consumer-failures": consumerFailures },
      consumerMappings: consumer.mappings,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      ConsumerFunction: { value: consumer.fn.function.functionName, description: "consumer function" },
      ConsumerLogGroup: {
        value: consumer.fn.logGroup.logGroupName,
        description: 'consumer log group: one "telemetry" JSON line per record',
      },
      DashboardName: { value: monitoring.dashboard.dashboardName, description: "CloudWatch dashboard" },
      DashboardUrl: {
        value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${monitoring.dashboard.dashboardName}`,
        description: "CloudWatch dashboard in the console",
      },
      AlarmTopicArn: { value: monitoring.topic.topicArn, description: "SNS topic every alarm notifies" },
      SchedulerDeadLetterQueueUrl: {
        value: schedulerDlq.queueUrl,
        description:
          "sweep events that failed every retry (Lambda on-failure records, Scheduler dead-letter events)",
      },
      ConsumerFailureQueueUrl: {
        value: consumerFailures.queueUrl,
        description: "consumer batches that could not be processed",
      },
      MerakiSecretArn: {
        value: merakiSecret.secretArn,
        description: "Meraki API key secret (the ARN, not the value)",
      },
      KafkaSecretArn: {
        value: kafkaSecret.secretArn,
        description: "Kafka credentials secret (the ARN, not the value)",
      },
      KafkaClientLayerArn: { value: layer.layer.layerVersionArn, description: "native Kafka client layer" },
      ConsumerDeliveriesTableName: {
        value: deliveries.table.tableName,
        description: "DynamoDB table of the record ids the consumer wrote, so that repeats are written once",
      },
      MerakiBudgetTableName: {
        value: budgetTable.table.tableName,
        description:
          "DynamoDB table of the Meraki request budget every sweep shares, one item per organisation",
      },
    };
    for (const [outputId, output] of Object.entries(outputs)) new CfnOutput(this, outputId, output);
  }

  /** An existing secret by complete ARN, or a new one whose value the template never contains. */
  private secret(
    id: string,
    settings: { secretName: string; secretArn?: string | undefined },
    description: string,
  ): secretsmanager.ISecret {
    if (settings.secretArn) return secretsmanager.Secret.fromSecretCompleteArn(this, id, settings.secretArn);
    // CloudFormation cannot create a secret without a value: it generates a random placeholder
    // server-side (never in the template); `aws secretsmanager put-secret-value` sets the real one.
    const secret = new secretsmanager.Secret(this, id, {
      secretName: settings.secretName,
      description: `Semaphore: ${description}. Created with a random placeholder: set the real value with aws secretsmanager put-secret-value.`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Holds a third-party API key (Meraki Dashboard / Confluent Cloud) that is issued and rotated in that " +
        "vendor's console; no Lambda rotation function can create new keys there.",
    });
    return secret;
  }
}
