// The simulator's public contract. Other suites and the local stack code against these names, so
// they change only together with their callers.

import type { SimulatedDataset } from "./dataset.js";

/**
 * Restricts a counted fault to some requests. Both conditions must hold when both are given.
 * `pathIncludes` is matched against the path without `/api/v1` and without the query string.
 * `organizationId` matches the organisation the request is attributed to, which also covers
 * `/networks/{id}/...` paths of that organisation's networks.
 */
export interface FaultTarget {
  pathIncludes?: string | RegExp;
  organizationId?: string;
}

export interface SimulatorFaults {
  /** Added before every response, faulted or not. */
  latencyMs?: number;
  /** The next `count` matching requests answer `status` (default 500). */
  serverErrors?: { count: number; status?: number } & FaultTarget;
  /** The next `count` matching requests answer 429; `retryAfterSeconds: null` omits Retry-After. */
  rateLimitStorm?: { count: number; retryAfterSeconds?: number | null } & FaultTarget;
  /** Extra uplinksLossAndLatency rows per organisation whose serial is null. */
  nullSerialRows?: number;
  /** Extra uplinksLossAndLatency rows per organisation with `timeSeries: []`. */
  emptyTimeSeriesRows?: number;
  /** The next `count` matching responses send half their body and then end the connection. */
  truncatedBodies?: { count: number } & FaultTarget;
}

export interface SimulatorOptions {
  seed?: number;
  organizations?: number;
  networksPerOrg?: number;
  devicesPerOrg?: number;
  clientsPerNetwork?: number;
  /** Default "sim-api-key". */
  apiKey?: string;
  /** Sustained requests per second per organisation; default 10 like the Dashboard API. */
  rateLimitPerSecond?: number;
  /** Bucket capacity; default equals the rate, which gives Meraki's documented 20 in the first second. */
  rateLimitBurst?: number;
  /** Default 0 (a free port); the host is always 127.0.0.1. */
  port?: number;
  faults?: SimulatorFaults;
  /** The API's notion of "now" (time windows, lastSeen, lastReportedAt). Rate limiting uses a real monotonic clock. */
  now?: () => Date;
}

export interface SimulatorRequest {
  method: string;
  /** Without the `/api/v1` prefix and without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  status: number;
  /** The organisation the request counts against, also for `/networks/{id}/...` paths. */
  organizationId?: string;
  /** The User-Agent header as sent (Meraki attributes API traffic to applications by it). */
  userAgent?: string;
  /** Epoch milliseconds (wall clock) when the response status was decided. */
  at: number;
  /** Epoch milliseconds (wall clock) when the request arrived, before any injected latency. */
  receivedAt: number;
}

export interface RunningSimulator {
  /** e.g. "http://127.0.0.1:PORT/api/v1" */
  baseUrl: string;
  /** The key it accepted at start (`options.apiKey`). */
  apiKey: string;
  dataset: SimulatedDataset;
  requests: SimulatorRequest[];
  resetLog(): void;
  /**
   * The keys the API accepts from now on, replacing the ones before: a key missing here is revoked
   * (401), several at once model a rotation in progress.
   */
  setApiKeys(keys: readonly string[]): void;
  /** Replaces the whole fault configuration (counters start again from the given counts). */
  setFaults(faults: SimulatorFaults): void;
  stop(): Promise<void>;
}
