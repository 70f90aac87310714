import { Duration } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { KindId, RetiredKindId } from "../../shared/kinds/registry.js";
import { consumerFunctionEnvironment } from "../config/function-env.js";
import { kafkaConsumerGroupId, type StackConfig } from "../config/stack-config.js";
import type { DeliveriesTable } from "./deliveries-table.js";
import { FUNCTION_ENTRIES } from "./function-bundle.js";
import { SemaphoreFunction } from "./semaphore-function.js";

export interface ConsumerFunctionProps {
  projectRoot: string;
  config: StackConfig;
  /** The sweeps whose topics the consumer reads (the enabled ones). */
  kinds: readonly KindId[];
  /** Retired kinds whose old topics it still reads until their backlog is consumed (`drain`). */
  drained: readonly RetiredKindId[];
  kafkaSecret: secretsmanager.ISecret;
  failureQueue: sqs.IQueue;
  /** The records already written, so that a retried sweep's repeats are written and counted once. */
  deliveries: DeliveriesTable;
}

/**
 * The consumer function and one self-managed Kafka event source mapping per topic (a mapping
 * reads exactly one topic, and Lambda wants a distinct consumer group per mapping). The mappings
 * authenticate with SASL/PLAIN (BASIC_AUTH) using the same Kafka secret as the producers, which
 * Lambda sends only over TLS, verifying the brokers' certificates against its trust store
 * (https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html); batches the function
 * cannot process end up, as invocation records, in the failure queue.
 */
export class ConsumerFunction extends Construct {
  readonly fn: SemaphoreFunction;
  readonly mappings: Partial<Record<KindId | RetiredKindId, lambda.EventSourceMapping>> = {};

  constructor(scope: Construct, id: string, props: ConsumerFunctionProps) {
    super(scope, id);
    const { config } = props;
    this.fn = new SemaphoreFunction(this, "Consumer", {
      projectRoot: props.projectRoot,
      entry: FUNCTION_ENTRIES.consumer,
      description: "Semaphore consumer: Kafka telemetry topics -> CloudWatch log lines and metrics",
      environment: consumerFunctionEnvironment(config, props.deliveries.table.tableName),
      memoryMb: config.consumer.memoryMb,
      timeoutSeconds: config.consumer.timeoutSeconds,
      logRetentionDays: config.observability.logRetentionDays,
    });
    // The event source mapping reads the Kafka credentials with the function's role.
    this.fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [props.kafkaSecret.secretArn],
      }),
    );
    props.deliveries.grantClaims(this.fn.role);
    const bootstrapServers = config.kafka.bootstrapServers.split(",").map((server) => server.trim());
    // A drained kind's mapping keeps the construct id, topic and group it had while the kind was
    // swept, so an upgrade leaves that mapping (and its committed offsets) exactly as it was.
    for (const kind of [...props.kinds, ...props.drained]) {
      this.mappings[kind] = new lambda.EventSourceMapping(this, `Mapping-${kind}`, {
        target: this.fn.function,
        kafkaBootstrapServers: bootstrapServers,
        kafkaTopic: config.sweeps[kind].topic,
        kafkaConsumerGroupId: kafkaConsumerGroupId(config, kind),
        startingPosition: lambda.StartingPosition[config.consumer.startingPosition],
        batchSize: config.consumer.batchSize,
        maxBatchingWindow: Duration.seconds(config.consumer.batchingWindowSeconds),
        sourceAccessConfigurations: [
          { type: lambda.SourceAccessConfigurationType.BASIC_AUTH, uri: props.kafkaSecret.secretArn },
        ],
        onFailure: new SqsDlq(props.failureQueue),
      });
    }
  }
}
