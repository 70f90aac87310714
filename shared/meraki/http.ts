// One Dashboard API GET, done the way Meraki asks clients to behave: Bearer auth, a per-organisation
// token bucket, Retry-After on 429, bounded jittered retries on 5xx and network failures, a timeout
// on every request, and `Link: rel=next` pagination followed verbatim. Everything that decides a
// delay lives in retry-policy.ts / token-bucket.ts; this module only sequences requests.

import { setTimeout as sleepTimer } from "node:timers/promises";
import { LocalBudget, policiesFrom, type RequestBudget } from "./budget.js";
import {
  MerakiAuthError,
  type MerakiErrorContext,
  MerakiNetworkError,
  MerakiNotFoundError,
  MerakiRateLimitError,
  MerakiRequestError,
  MerakiServerError,
  MerakiUnexpectedResponseError,
} from "./errors.js";
import { findLinkByRel } from "./link-header.js";
import { backoffDelayMs, parseRetryAfterMs, rateLimitDelayMs } from "./retry-policy.js";
import type { Sleep } from "./token-bucket.js";

/** Structural, so an AWS Lambda Powertools Logger (or console) can be passed as is. */
export interface MerakiLogger {
  debug(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface MerakiHttpOptions {
  /** Dashboard API key. Sent only as `Authorization: Bearer`, never logged or put in errors. */
  apiKey: string;
  /** Default https://api.meraki.com/api/v1; regional hosts (https://api.meraki.ca/api/v1, ...) by config. */
  baseUrl?: string;
  /** Per-organisation sustained rate. Default 8: Meraki allows 10/s per org, shared by every application. */
  requestsPerSecond?: number;
  /** Per-organisation burst after idle. Default 8. */
  burst?: number;
  /**
   * Where each request's permission comes from. Default: a bucket per organisation in this process
   * at `requestsPerSecond`/`burst`; the sweeps pass the budget shared by every function.
   */
  budget?: RequestBudget;
  /** Per-request timeout (headers and body). Default 10 000 ms. A timeout is retried like a network error. */
  timeoutMs?: number;
  /** Attempts in total when requests fail with 5xx / network errors / timeouts. Default 5. */
  maxAttempts?: number;
  /** First backoff ceiling for 5xx / network retries (doubles per retry). Default 500 ms. */
  baseDelayMs?: number;
  /** Largest single backoff for 5xx / network retries. Default 8 000 ms. */
  maxDelayMs?: number;
  /** Re-sends after 429 before giving up with MerakiRateLimitError. Default 6. */
  maxRateLimitRetries?: number;
  /** Upper bound of any wait after a 429, whatever Retry-After says. Default 30 000 ms. */
  maxRetryAfterMs?: number;
  /** First backoff ceiling after a 429 without Retry-After (doubles per retry). Default 1 000 ms. */
  rateLimitFallbackDelayMs?: number;
  /** Pages fetched per listing before assuming the server is misbehaving. Default 10 000. */
  maxPages?: number;
  /**
   * Largest response body read, in bytes; a longer one (a proxy streaming without end) fails the
   * call instead of filling the function's memory. Default 64 MiB, above any Dashboard API page.
   */
  maxResponseBytes?: number;
  /** Meraki asks integrations to identify themselves ("ApplicationName/version VendorName"). */
  userAgent?: string;
  logger?: MerakiLogger | undefined;
  /** Injectable for tests. */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
}

export interface MerakiCallStats {
  /** HTTP requests sent (retries and redirect hops included). */
  apiCalls: number;
  /** 429 responses received. */
  rateLimited: number;
  /** Requests re-sent after a 429, 5xx or network failure. */
  retries: number;
}

export interface MerakiClientStats {
  byOrganization: Record<string, MerakiCallStats>;
  /** Calls not tied to an organisation (getOrganizations). */
  unscoped: MerakiCallStats;
  total: MerakiCallStats;
}

export interface MerakiCall {
  /** operationId from the spec; named in errors and logs. */
  operationId: string;
  /** Path below the base URL, e.g. `/organizations/123/devices`. Ids are URL-encoded by the caller. */
  path: string;
  /** Arrays go out as `name[]=a&name[]=b`, the form the Dashboard API reads. */
  query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  /** Selects the token bucket and the counters; named in errors. */
  organizationId?: string | undefined;
  networkId?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface MerakiPage {
  body: unknown;
  /** The URL that produced this page (after redirects). */
  url: string;
  /** HTTP attempts it took (for error context). */
  attempts: number;
}

export const DEFAULT_BASE_URL = "https://api.meraki.com/api/v1";
/** Meraki's `ApplicationName/Version VendorName` form, by which the API attributes traffic to us. */
export const SEMAPHORE_USER_AGENT = "Semaphore/0.1 Semaphore";
const MAX_REDIRECTS = 5;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** What an HTTP header value can carry; a Meraki key is 40 hex digits. */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;
const EXCERPT_LENGTH = 300;
const UNSCOPED = "";

type Resolved = Required<Omit<MerakiHttpOptions, "logger" | "budget">> & { logger: MerakiLogger | undefined };

type Outcome =
  | { kind: "ok"; page: Omit<MerakiPage, "attempts">; link: string | null }
  | { kind: "status"; status: number; retryAfter: string | null; body: string; url: URL }
  | { kind: "network"; reason: string; cause: unknown; url: URL };

/** Rejects with the signal's own reason (e.g. the sweep's deadline), not a generic AbortError. */
export const abortableSleep: Sleep = async (ms, signal) => {
  try {
    await sleepTimer(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
};

export class MerakiHttp {
  readonly #options: Resolved;
  readonly #base: URL;
  readonly #budget: RequestBudget;
  readonly #stats = new Map<string, MerakiCallStats>();

  constructor(options: MerakiHttpOptions) {
    if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
      throw new TypeError(
        "Meraki client: apiKey is empty; load the Meraki API key secret before creating the client",
      );
    }
    if (!HEADER_TOKEN.test(options.apiKey.trim())) {
      // Never quoted: fetch's own error for such a header would carry the key into logs.
      throw new TypeError(
        "Meraki client: the API key contains spaces, line breaks or non-ASCII characters, which an " +
          "Authorization header cannot carry; check the Meraki API key secret",
      );
    }
    this.#options = {
      baseUrl: DEFAULT_BASE_URL,
      requestsPerSecond: 8,
      burst: 8,
      timeoutMs: 10_000,
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 8_000,
      maxRateLimitRetries: 6,
      maxRetryAfterMs: 30_000,
      rateLimitFallbackDelayMs: 1_000,
      maxPages: 10_000,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      userAgent: SEMAPHORE_USER_AGENT,
      fetch: (input, init) => globalThis.fetch(input, init),
      now: Date.now,
      sleep: abortableSleep,
      random: Math.random,
      ...withoutUndefined(options),
      apiKey: options.apiKey.trim(),
      logger: options.logger,
    };
    if (!(this.#options.maxAttempts >= 1))
      throw new RangeError("Meraki client: maxAttempts must be at least 1");
    // A trailing slash would make `new URL("organizations", base)` and string joins disagree.
    this.#base = new URL(this.#options.baseUrl.replace(/\/+$/, ""));
    this.#budget =
      options.budget ??
      new LocalBudget({
        policyFor: policiesFrom(this.#options.requestsPerSecond, {}, this.#options.burst),
        now: this.#options.now,
        sleep: this.#options.sleep,
      });
  }

  /** A single, unpaginated GET. */
  async get(call: MerakiCall): Promise<MerakiPage> {
    const outcome = await this.#request(call, this.#firstUrl(call));
    return outcome.page;
  }

  /** Every page of a listing, following `Link: rel=next` until there is none. */
  async *pages(call: MerakiCall): AsyncGenerator<MerakiPage, void, undefined> {
    let url: URL | undefined = this.#firstUrl(call);
    const seen = new Set<string>();
    while (url !== undefined) {
      seen.add(url.href);
      const { page, link } = await this.#request(call, url);
      yield page;
      const next = findLinkByRel(link, "next");
      if (next === undefined) return;
      const current = new URL(page.url);
      let nextUrl: URL;
      try {
        nextUrl = new URL(next, current);
      } catch (cause) {
        throw new MerakiUnexpectedResponseError(
          this.#context(call, current, 1, { cause }),
          `the rel=next link "${next}" is not a valid URL`,
        );
      }
      if (seen.has(nextUrl.href)) {
        throw new MerakiUnexpectedResponseError(
          this.#context(call, current, 1),
          `pagination loops: the rel=next link points back to an already fetched page (${nextUrl.pathname}${nextUrl.search})`,
        );
      }
      if (seen.size >= this.#options.maxPages) {
        throw new MerakiUnexpectedResponseError(
          this.#context(call, current, 1),
          `more than ${this.#options.maxPages} pages (maxPages); stopping rather than paging forever`,
        );
      }
      this.#assertTrusted(call, current, nextUrl, "rel=next link");
      url = nextUrl;
    }
  }

  stats(): MerakiClientStats {
    const byOrganization: Record<string, MerakiCallStats> = {};
    const total: MerakiCallStats = { apiCalls: 0, rateLimited: 0, retries: 0 };
    let unscoped: MerakiCallStats = { apiCalls: 0, rateLimited: 0, retries: 0 };
    for (const [key, counters] of this.#stats) {
      if (key === UNSCOPED) unscoped = { ...counters };
      else byOrganization[key] = { ...counters };
      total.apiCalls += counters.apiCalls;
      total.rateLimited += counters.rateLimited;
      total.retries += counters.retries;
    }
    return { byOrganization, unscoped, total };
  }

  resetStats(): void {
    this.#stats.clear();
  }

  #firstUrl(call: MerakiCall): URL {
    const url = new URL(`${this.#base.href}${call.path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const element of value) url.searchParams.append(`${name}[]`, element);
      else url.searchParams.set(name, String(value));
    }
    return url;
  }

  async #request(call: MerakiCall, url: URL): Promise<{ page: MerakiPage; link: string | null }> {
    const o = this.#options;
    let attempts = 0;
    let transientFailures = 0;
    let rateLimitHits = 0;
    for (;;) {
      attempts++;
      const outcome = await this.#send(call, url, attempts);
      if (outcome.kind === "ok") return { page: { ...outcome.page, attempts }, link: outcome.link };

      let delayMs: number;
      if (outcome.kind === "network") {
        transientFailures++;
        if (transientFailures >= o.maxAttempts) {
          throw new MerakiNetworkError(
            this.#context(call, outcome.url, attempts, { cause: outcome.cause }),
            outcome.reason,
          );
        }
        delayMs = backoffDelayMs(transientFailures, o);
        this.#log("warn", "Meraki request failed, retrying", call, outcome.url, {
          attempt: attempts,
          reason: outcome.reason,
          delayMs,
        });
      } else if (outcome.status === 429) {
        this.#counters(call.organizationId).rateLimited++;
        rateLimitHits++;
        const context = this.#context(call, outcome.url, attempts, { status: 429, body: outcome.body });
        if (rateLimitHits > o.maxRateLimitRetries) throw new MerakiRateLimitError(context);
        const retryAfterMs = parseRetryAfterMs(outcome.retryAfter, o.now());
        const decision = rateLimitDelayMs(retryAfterMs, rateLimitHits, {
          baseDelayMs: o.rateLimitFallbackDelayMs,
          maxDelayMs: o.maxRetryAfterMs,
          maxRetryAfterMs: o.maxRetryAfterMs,
          random: o.random,
        });
        delayMs = decision.delayMs;
        // Every request for this organisation waits, not only this one: they share Meraki's bucket.
        this.#budget.rateLimited(call.organizationId, delayMs);
        this.#log("debug", "Meraki rate limit (429), backing off", call, outcome.url, {
          attempt: attempts,
          retryAfter: outcome.retryAfter ?? undefined,
          delaySource: decision.source,
          delayMs,
        });
      } else if (outcome.status >= 500) {
        transientFailures++;
        const context = this.#context(call, outcome.url, attempts, {
          status: outcome.status,
          body: outcome.body,
        });
        if (transientFailures >= o.maxAttempts) throw new MerakiServerError(context);
        delayMs = backoffDelayMs(transientFailures, o);
        this.#log("warn", "Meraki server error, retrying", call, outcome.url, {
          attempt: attempts,
          status: outcome.status,
          delayMs,
        });
      } else {
        const context = this.#context(call, outcome.url, attempts, {
          status: outcome.status,
          body: outcome.body,
        });
        if (outcome.status === 401) throw new MerakiAuthError(context);
        if (outcome.status === 404) throw new MerakiNotFoundError(context);
        if (outcome.status >= 400) throw new MerakiRequestError(context);
        throw new MerakiUnexpectedResponseError(context, `unexpected HTTP status ${outcome.status}`);
      }
      this.#counters(call.organizationId).retries++;
      await o.sleep(delayMs, call.signal);
    }
  }

  /** One attempt: waits for a token, sends, follows redirects, reads the body. */
  async #send(call: MerakiCall, start: URL, attempt: number): Promise<Outcome> {
    const o = this.#options;
    let url = start;
    for (let hop = 0; ; hop++) {
      // An aborted caller (the sweep's deadline) sends nothing more, even when no wait is needed.
      call.signal?.throwIfAborted();
      await this.#budget.take(call.organizationId, call.signal);
      this.#counters(call.organizationId).apiCalls++;
      const timeout = AbortSignal.timeout(o.timeoutMs);
      const signal = call.signal === undefined ? timeout : AbortSignal.any([call.signal, timeout]);
      let response: Response;
      let text: string | undefined;
      try {
        response = await o.fetch(url, {
          method: "GET",
          headers: {
            Authorization: `Bearer ${o.apiKey}`,
            Accept: "application/json",
            "User-Agent": o.userAgent,
          },
          // Followed by hand: fetch drops Authorization on a cross-origin redirect, and Meraki
          // redirects to regional shards (n123.meraki.com).
          redirect: "manual",
          signal,
        });
        text = await readBody(response, o.maxResponseBytes);
      } catch (cause) {
        if (call.signal?.aborted) throw call.signal.reason;
        const reason = timeout.aborted ? `timed out after ${o.timeoutMs} ms` : describeNetworkError(cause);
        return { kind: "network", reason, cause, url };
      }

      if (text === undefined) {
        throw new MerakiUnexpectedResponseError(
          this.#context(call, url, attempt, { status: response.status }),
          `the HTTP ${response.status} body is larger than ${o.maxResponseBytes} bytes (maxResponseBytes); ` +
            "stopped reading it",
        );
      }
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get("location");
        if (location === null || hop >= MAX_REDIRECTS) {
          throw new MerakiUnexpectedResponseError(
            this.#context(call, url, attempt, { status: response.status }),
            location === null
              ? `HTTP ${response.status} without a Location header`
              : `more than ${MAX_REDIRECTS} redirects`,
          );
        }
        const next = new URL(location, url);
        this.#assertTrusted(call, url, next, "redirect");
        url = next;
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        return {
          kind: "status",
          status: response.status,
          retryAfter: response.headers.get("retry-after"),
          body: text,
          url,
        };
      }
      try {
        return {
          kind: "ok",
          page: { body: JSON.parse(text), url: url.href },
          link: response.headers.get("link"),
        };
      } catch (cause) {
        // A 200 whose JSON does not parse is almost always a body cut short in transit.
        return {
          kind: "network",
          reason: `the HTTP ${response.status} body is not complete JSON (${text.length} characters received)`,
          cause,
          url,
        };
      }
    }
  }

  /**
   * The Bearer key goes only to the configured API host, or to a sibling host of the same Meraki
   * domain (shard redirects such as api.meraki.com -> n123.meraki.com), never to an arbitrary URL
   * a header happened to contain.
   */
  #assertTrusted(call: MerakiCall, from: URL, to: URL, what: string): void {
    if (to.origin === this.#base.origin) return;
    const labels = this.#base.hostname.split(".");
    const isIp = /^[\d.]+$|:/.test(this.#base.hostname);
    const domain = labels.slice(1).join(".");
    if (!isIp && labels.length >= 3 && to.protocol === "https:" && to.hostname.endsWith(`.${domain}`)) return;
    throw new MerakiUnexpectedResponseError(
      this.#context(call, from, 1),
      `the ${what} leads to ${to.origin}, outside the configured API host ${this.#base.origin}; not sending the API key there`,
    );
  }

  #counters(organizationId: string | undefined): MerakiCallStats {
    const key = organizationId ?? UNSCOPED;
    let counters = this.#stats.get(key);
    if (counters === undefined) {
      counters = { apiCalls: 0, rateLimited: 0, retries: 0 };
      this.#stats.set(key, counters);
    }
    return counters;
  }

  #context(
    call: MerakiCall,
    url: URL,
    attempts: number,
    extra: { status?: number; body?: string; cause?: unknown } = {},
  ): MerakiErrorContext {
    return {
      operationId: call.operationId,
      path: url.pathname,
      organizationId: call.organizationId,
      networkId: call.networkId,
      status: extra.status,
      attempts,
      merakiErrors: extra.body === undefined ? undefined : this.#excerpt(extra.body),
      cause: extra.cause,
    };
  }

  /** Meraki error bodies are `{"errors": ["..."]}`; anything else (a proxy's HTML page) is cut short. */
  #excerpt(body: string): string | undefined {
    let text = body;
    try {
      const parsed: unknown = JSON.parse(body);
      if (isRecord(parsed) && Array.isArray(parsed.errors)) text = parsed.errors.map(String).join("; ");
    } catch {
      // Not JSON: keep the raw text.
    }
    // Belt and braces: a proxy that echoes request headers must not leak the key into logs.
    text = text.split(this.#options.apiKey).join("[redacted]").replace(/\s+/g, " ").trim();
    if (text === "") return undefined;
    return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}...` : text;
  }

  #log(
    level: "debug" | "warn",
    message: string,
    call: MerakiCall,
    url: URL,
    attributes: Record<string, unknown>,
  ): void {
    this.#options.logger?.[level](message, {
      operationId: call.operationId,
      path: url.pathname,
      ...(call.organizationId === undefined ? {} : { organizationId: call.organizationId }),
      ...(call.networkId === undefined ? {} : { networkId: call.networkId }),
      ...attributes,
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The body as text, or undefined once it exceeds `maxBytes` (the rest is not read). */
async function readBody(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.body === null) return "";
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    // Leaving the loop cancels the stream: the connection stops receiving.
    if (bytes > maxBytes) return undefined;
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** fetch reports every transport failure as TypeError("fetch failed") with the real error as cause. */
function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    const code = typeof current.code === "string" ? `${current.code}: ` : "";
    if (typeof current.message === "string" && current.message !== "")
      parts.push(`${code}${current.message}`);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(" <- ") : String(error);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
