// The CloudWatch names the functions emit and the CDK dashboard, alarms and queries read, written
// once. A telemetry kind's own metric names are declared in its module (shared/kinds/).
//
// Sweeps: Powertools Metrics, namespace METRIC_NAMESPACE, the only dimension `service` =
// sweepServiceName(kind). Consumer: the same namespace, `service` = CONSUMER_SERVICE_NAME, plus the
// dimension sets named below.

export const METRIC_NAMESPACE = "Semaphore";

/**
 * The dimension Powertools Metrics puts in every set of its documents, valued with the function's
 * service name; the consumer's telemetry documents (shared/observability/emf.ts) carry it too.
 */
export const SERVICE_DIMENSION = "service";

/** The consumer's Powertools service: its logs' `service` and its metrics' dimension. */
export const CONSUMER_SERVICE_NAME = "semaphore-consumer";

export function sweepServiceName(kindId: string): string {
  return `semaphore-sweep-${kindId}`;
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
  /** 1 for a sweep its deadline cut short (it delivered what it had, and failed). */
  incomplete: "SweepIncomplete",
} as const;

/** The consumer's own metrics; each kind's telemetry metrics come on top. */
export const CONSUMER_METRICS = {
  /** [service], once per invocation. */
  batchRecords: "BatchRecords",
  /** [service], once per failed invocation. */
  errors: "ConsumerErrors",
  /** [service, Kind]; RecordsRejected also under [service, Reason]. */
  accepted: "RecordsAccepted",
  duplicates: "RecordsDuplicate",
  rejected: "RecordsRejected",
} as const;

/** The consumer's dimension names (Metrics Insights SCHEMA(...) clauses use them too). */
export const CONSUMER_DIMENSIONS = {
  kind: "Kind",
  reason: "Reason",
  /** On every telemetry metric. */
  network: "NetworkId",
  /** On every telemetry metric's second dimension set, in device mode. */
  serial: "Serial",
} as const;

/** Devices in the organisation's inventory but in no network report a null networkId. */
export const UNASSIGNED_NETWORK = "unassigned";
