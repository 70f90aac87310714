// The HTTP front of the simulator: auth, organisation attribution, faults, rate limiting, the
// request log, and writing (or deliberately mangling) responses. Each request passes the gates in
// the order the real service applies them: key, then route and organisation, then limits.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { buildCatalog, type Catalog } from "./catalog.js";
import { type DatasetOptions, generateDataset } from "./dataset.js";
import { ApiError, notFound } from "./errors.js";
import { FaultState } from "./faults.js";
import { parseQuery } from "./query.js";
import { RateLimiter } from "./rate-limit.js";
import { resolveRoute } from "./routes.js";
import type { RunningSimulator, SimulatorOptions, SimulatorRequest } from "./types.js";

export const API_PREFIX = "/api/v1";
export const DEFAULT_API_KEY = "sim-api-key";
const HOST = "127.0.0.1";
const RATE_LIMIT_MESSAGE = "API rate limit exceeded for organization";

interface Outcome {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface ServerState {
  catalog: Catalog;
  seed: number;
  /** The keys the API accepts now: more than one while a rotation is under way. */
  apiKeys: ReadonlySet<string>;
  faults: FaultState;
  limiter: RateLimiter;
  now: () => Date;
  /** The API clock's reading at start (HandlerContext.startedAtMs). */
  startedAtMs: number;
  requests: SimulatorRequest[];
  origin: string;
  /** Aborts injected-latency sleeps on stop, so stop() does not wait for them. */
  stopping: AbortController;
}

/** The dataset a simulator started with these options serves (the defaults live here only). */
export function datasetOptionsOf(options: SimulatorOptions): DatasetOptions {
  return {
    seed: options.seed ?? 1,
    organizations: options.organizations ?? 2,
    networksPerOrg: options.networksPerOrg ?? 4,
    devicesPerOrg: options.devicesPerOrg ?? 16,
    clientsPerNetwork: options.clientsPerNetwork ?? 12,
  };
}

export async function startMerakiSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const dataset = generateDataset(datasetOptionsOf(options));
  const rate = options.rateLimitPerSecond ?? 10;
  const state: ServerState = {
    catalog: buildCatalog(dataset),
    seed: dataset.options.seed,
    apiKeys: new Set([options.apiKey ?? DEFAULT_API_KEY]),
    faults: new FaultState(options.faults),
    limiter: new RateLimiter(rate, options.rateLimitBurst ?? rate),
    now: options.now ?? (() => new Date()),
    startedAtMs: (options.now ?? (() => new Date()))().getTime(),
    requests: [],
    origin: "",
    stopping: new AbortController(),
  };
  const server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      // Only a bug in the simulator lands here; make it loud rather than a silent hang.
      console.error("meraki-simulator: unhandled error", error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  state.origin = `http://${HOST}:${port}`;
  return {
    baseUrl: `${state.origin}${API_PREFIX}`,
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    dataset,
    requests: state.requests,
    resetLog: () => {
      // In place: callers may hold the array.
      state.requests.length = 0;
    },
    setApiKeys: (keys) => {
      if (keys.length === 0)
        throw new RangeError("setApiKeys: give at least one key (revoke by replacing it)");
      state.apiKeys = new Set(keys);
    },
    setFaults: (faults) => state.faults.set(faults),
    stop: async () => {
      state.stopping.abort();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const receivedAt = Date.now();
  req.resume();
  // Concatenated, not resolved: a request target like "//host/x" must stay a path on this server.
  const url = new URL(`${state.origin}${req.url ?? "/"}`);
  const method = req.method ?? "GET";
  const underPrefix = url.pathname.startsWith(`${API_PREFIX}/`);
  const path = underPrefix ? url.pathname.slice(API_PREFIX.length) : url.pathname;
  const query = parseQuery(url.searchParams);
  const latencyMs = state.faults.latencyMs;
  if (latencyMs > 0) {
    try {
      await sleep(latencyMs, undefined, { signal: state.stopping.signal });
    } catch {
      res.destroy();
      return;
    }
  }
  let organizationId: string | undefined;
  let outcome: Outcome;
  try {
    if (!underPrefix) throw notFound();
    if (!authorized(req.headers, state.apiKeys)) throw new ApiError(401, "Invalid API key");
    const route = resolveRoute(state.catalog, method, path);
    organizationId = route.organizationId;
    outcome = gate(state, path, organizationId) ?? {
      status: 200,
      ...route.handle({
        query,
        url,
        nowMs: state.now().getTime(),
        startedAtMs: state.startedAtMs,
        seed: state.seed,
        faults: state.faults,
        requests: state.requests,
      }),
    };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    outcome = { status: error.status, body: { errors: error.errors }, headers: error.headers };
  }
  const entry: SimulatorRequest = { method, path, query, status: outcome.status, at: Date.now(), receivedAt };
  if (organizationId !== undefined) entry.organizationId = organizationId;
  const userAgent = req.headers["user-agent"];
  if (userAgent !== undefined) entry.userAgent = userAgent;
  state.requests.push(entry);
  const truncate = state.faults.takeTruncation({ path, organizationId });
  send(res, outcome, truncate);
}

/** Injected faults, then the real per-organisation limit: the rejection, or undefined to proceed. */
function gate(state: ServerState, path: string, organizationId: string | undefined): Outcome | undefined {
  const target = { path, organizationId };
  const storm = state.faults.takeRateLimitStorm(target);
  if (storm !== undefined) {
    const headers: Record<string, string> =
      storm.retryAfterSeconds === null ? {} : { "Retry-After": String(storm.retryAfterSeconds) };
    return { status: 429, body: { errors: [RATE_LIMIT_MESSAGE] }, headers };
  }
  const serverError = state.faults.takeServerError(target);
  if (serverError !== undefined) {
    return { status: serverError, body: { errors: ["Simulated server error"] }, headers: {} };
  }
  // GET /organizations belongs to no organisation; Meraki meters it per key and IP, not per org.
  if (organizationId !== undefined) {
    const decision = state.limiter.take(organizationId);
    if (!decision.allowed) {
      return {
        status: 429,
        body: { errors: [RATE_LIMIT_MESSAGE] },
        headers: { "Retry-After": String(decision.retryAfterSeconds) },
      };
    }
  }
  return undefined;
}

function authorized(headers: IncomingHttpHeaders, apiKeys: ReadonlySet<string>): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1]?.trim();
  const legacy = headers["x-cisco-meraki-api-key"];
  return (
    (bearer !== undefined && apiKeys.has(bearer)) ||
    (typeof legacy === "string" && apiKeys.has(legacy.trim()))
  );
}

function send(res: ServerResponse, outcome: Outcome, truncate: boolean): void {
  const payload = Buffer.from(JSON.stringify(outcome.body), "utf8");
  res.writeHead(outcome.status, {
    ...outcome.headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(payload.length),
  });
  if (!truncate) {
    res.end(payload);
    return;
  }
  // Declare the full length, send half, then end the connection: the client sees a body that
  // stops mid-JSON, as when a proxy or the network drops a response.
  const socket = res.socket;
  res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => socket?.end());
}
