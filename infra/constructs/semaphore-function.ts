import { join } from "node:path";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { FUNCTION_BUNDLE } from "./function-bundle.js";

export interface SemaphoreFunctionProps {
  /** Repository root: entries, package-lock.json and node_modules (esbuild) are resolved from it. */
  projectRoot: string;
  /** Entry file relative to the root, e.g. functions/sweep.ts. */
  entry: string;
  description: string;
  environment: Record<string, string>;
  memoryMb: number;
  timeoutSeconds: number;
  logRetentionDays: number;
  reservedConcurrency?: number;
  layers?: lambda.ILayerVersion[];
}

/**
 * One Lambda function the way every Semaphore function is built: Node.js 24 on ARM64, bundled
 * locally by esbuild (never Docker) into one CommonJS file with the native Kafka client left
 * external (a layer provides it at /opt/nodejs/node_modules, which require() searches), its own
 * log group with a retention, and its own role that may write to that log group and nothing else
 * until grants are added.
 */
export class SemaphoreFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SemaphoreFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `${props.description}: writes its own log group`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new nodejs.NodejsFunction(this, "Function", {
      entry: join(props.projectRoot, props.entry),
      handler: "handler",
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, "package-lock.json"),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      layers: props.layers ?? [],
      ...(props.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrency }
        : {}),
      environment: { ...props.environment, NODE_OPTIONS: "--enable-source-maps" },
      bundling: {
        format: nodejs.OutputFormat.CJS,
        target: FUNCTION_BUNDLE.target,
        minify: FUNCTION_BUNDLE.minify,
        keepNames: FUNCTION_BUNDLE.keepNames,
        mainFields: [...FUNCTION_BUNDLE.mainFields],
        sourceMap: FUNCTION_BUNDLE.sourcemap,
        sourcesContent: FUNCTION_BUNDLE.sourcesContent,
        externalModules: [...FUNCTION_BUNDLE.external],
        forceDockerBundling: false,
      },
    });
  }
}
