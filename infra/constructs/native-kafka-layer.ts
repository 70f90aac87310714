import { Annotations, CfnParameter, CfnRule, Fn, Stack } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import {
  assertLayerDirectory,
  KAFKA_PACKAGE,
  LAMBDA_TARGET,
  type LayerReport,
} from "../native-layer/verify.js";

export interface NativeKafkaLayerProps {
  /** Absolute path of the layer directory (infra/native-layer/build.ts output). */
  directory: string;
  /** The @confluentinc/kafka-javascript version the functions are bundled against. */
  kafkaVersion: string;
}

/**
 * The Lambda layer providing @confluentinc/kafka-javascript (/opt/nodejs/node_modules) to the
 * sweep functions, whose bundles leave it external. Synthesis fails, naming every problem, unless
 * the directory holds a linux-arm64-glibc build for the runtime's Node ABI (see verify.ts).
 *
 * A test-fixture layer (infra/native-layer/fixture.ts) passes the same checks so templates can be
 * synthesized offline, but it is not a Kafka client: the stack then gets a CloudFormation rule
 * that fails any deployment unless the NativeLayerOrigin parameter is explicitly overridden.
 */
export class NativeKafkaLayer extends Construct {
  readonly layer: lambda.LayerVersion;
  readonly report: LayerReport;

  constructor(scope: Construct, id: string, props: NativeKafkaLayerProps) {
    super(scope, id);
    this.report = assertLayerDirectory(props.directory, props.kafkaVersion);
    for (const warning of this.report.warnings) {
      Annotations.of(this).addWarningV2("semaphore:native-layer", warning);
    }
    this.layer = new lambda.LayerVersion(this, "Layer", {
      code: lambda.Code.fromAsset(props.directory),
      compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      description: `${KAFKA_PACKAGE}@${props.kafkaVersion} for ${LAMBDA_TARGET.runtime} linux-arm64-glibc (${this.report.manifest?.source})`,
    });

    if (this.report.manifest?.source === "test-fixture") {
      const stack = Stack.of(this);
      Annotations.of(this).addWarningV2(
        "semaphore:native-layer-fixture",
        `the native layer at ${props.directory} is a TEST FIXTURE, not the Kafka client: this template can be ` +
          "inspected but not deployed. Build the real layer with `npx tsx infra/native-layer/build.ts`.",
      );
      const origin = new CfnParameter(stack, "NativeLayerOrigin", {
        type: "String",
        default: "test-fixture",
        description:
          "Where the Kafka client layer came from; this template was synthesized with a test fixture.",
      });
      new CfnRule(stack, "NativeLayerIsNotATestFixture", {
        assertions: [
          {
            assert: Fn.conditionNot(Fn.conditionEquals(origin.valueAsString, "test-fixture")),
            assertDescription:
              "This template was synthesized with a test-fixture Kafka layer that cannot talk to Kafka. " +
              "Build the real layer (npx tsx infra/native-layer/build.ts) and synthesize again.",
          },
        ],
      });
    }
  }
}
