/**
 * The CloudWatch names the functions emit, in one place so the dashboard, the alarms and the
 * emitting code can be checked against each other.
 *
 * Sweeps (shared/handlers/sweep-handler.ts): Powertools Metrics, namespace "Semaphore", the only
 * dimension `service` = "semaphore-sweep-<kind>".
 * Consumer (shared/consumer/handler.ts, batch-tally.ts, telemetry-metrics.ts): namespace
 * "Semaphore", `service` = "semaphore-consumer" plus the per-metric dimension sets listed below.
 */
import { CONSUMER_SERVICE_NAME, METRIC_NAMESPACE } from "../config/function-env.js";

export { CONSUMER_SERVICE_NAME, METRIC_NAMESPACE };

export function sweepServiceName(kind: string): string {
  return `semaphore-sweep-${kind}`;
}

/** Emitted once per sweep invocation, dimension set [service]. */
export const SWEEP_METRICS = {
  duration: "SweepDuration",
  recordsProduced: "RecordsProduced",
  recordsDropped: "RecordsDropped",
  failedOrganizations: "FailedOrganizations",
  apiCalls: "ApiCalls",
  apiRateLimited: "ApiRateLimited",
  apiRetries: "ApiRetries",
  errors: "SweepErrors",
} as const;

export const CONSUMER_METRICS = {
  /** [service], once per invocation. */
  batchRecords: "BatchRecords",
  /** [service], once per failed invocation. */
  errors: "ConsumerErrors",
  /** [service, Kind]; RecordsRejected also under [service, Reason]. */
  accepted: "RecordsAccepted",
  duplicates: "RecordsDuplicate",
  rejected: "RecordsRejected",
  /** [service, NetworkId, Uplink] (+ [service, NetworkId, Serial, Uplink] in device mode). */
  lossPercentMax: "LossPercentMax",
  lossPercentAvg: "LossPercentAvg",
  latencyMsMax: "LatencyMsMax",
  latencyMsAvg: "LatencyMsAvg",
  /** [service, NetworkId] (+ Serial) and [service, NetworkId, Status] (+ Serial). */
  clientsSeen: "ClientsSeen",
  devices: "Devices",
} as const;

/** The consumer's dimension names, for Metrics Insights SCHEMA(...) clauses. */
export const CONSUMER_DIMENSIONS = {
  kind: "Kind",
  reason: "Reason",
  network: "NetworkId",
  uplink: "Uplink",
  status: "Status",
} as const;
