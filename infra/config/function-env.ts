import type { SweepKind } from "../../shared/sweeps/sweep.js";
import type { StackConfig } from "./stack-config.js";

/**
 * The environment of one sweep function, derived from the stack config. CDK puts it on the Lambda
 * and the local runner hands it to the same handler, so both run with identical settings.
 * Secret names only: the values are read from Secrets Manager at run time.
 */
export function sweepFunctionEnvironment(config: StackConfig, kind: SweepKind): Record<string, string> {
  const sweep = config.sweeps[kind];
  return {
    SWEEP_TOPIC: sweep.topic,
    SWEEP_PERIOD_SECONDS: String(sweep.windowSeconds),
    MERAKI_BASE_URL: config.meraki.baseUrl,
    MERAKI_ORGANIZATION_IDS: config.meraki.organizationIds.join(","),
    MERAKI_REQUESTS_PER_SECOND: String(config.meraki.requestsPerSecond),
    MERAKI_SECRET_ID: config.meraki.secretName,
    KAFKA_BOOTSTRAP_SERVERS: config.kafka.bootstrapServers,
    KAFKA_SECRET_ID: config.kafka.secretName,
  };
}
