// Runs any Dashboard API operation (shared/meraki/operation.ts): fills the path template, pages with
// `Link: rel=next` at the operation's largest perPage, and validates every item with its schema.
//
// Why hand-written: Cisco's official SDK is Python only, and the npm registry has no maintained
// JavaScript/TypeScript client that fits (checked with `npm view`: `meraki` 1.5.0 is a generated
// v0-era client built on the deprecated `request` package; `node-meraki` 5.x wraps axios 0.19
// without types; `meraki-sdk` is a React alpha). None offers per-organisation rate limiting,
// Retry-After handling, Link pagination or typed errors.

import { MerakiUnexpectedResponseError } from "./errors.js";
import {
  type MerakiCall,
  type MerakiClientStats,
  MerakiHttp,
  type MerakiHttpOptions,
  type MerakiPage,
} from "./http.js";
import type { MerakiOperation, OperationItem } from "./operation.js";

export interface MerakiClientOptions extends MerakiHttpOptions {
  /** perPage by operationId, instead of the operation's largest (tests use small pages). */
  pageSizes?: Readonly<Record<string, number>>;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

/** The ids a path template names, plus the query; `organizationId` also selects the rate budget. */
export interface MerakiRequest {
  /** Required for every operation scoped to an organisation, even when the path names a network. */
  organizationId?: string;
  networkId?: string;
  serial?: string;
  /** Arrays are sent the way the Dashboard API reads them: `networkIds[]=a&networkIds[]=b`. */
  query?: Readonly<Record<string, QueryValue>>;
  /** Aborts waiting, retrying and the request in flight, e.g. when the Lambda nears its deadline. */
  signal?: AbortSignal;
}

/** The part of the client the sweeps use, so a sweep's code names nothing HTTP-specific. */
export type MerakiReader = Pick<MerakiClient, "pages" | "all">;

/**
 * A reader whose every request also carries `signal` (the sweep's deadline), so that code written
 * without it (a kind's sweep) still stops calling, waiting and retrying when it aborts.
 */
export function readerWithSignal(reader: MerakiReader, signal: AbortSignal): MerakiReader {
  const withSignal = (request: MerakiRequest = {}): MerakiRequest => ({
    ...request,
    signal: request.signal === undefined ? signal : AbortSignal.any([request.signal, signal]),
  });
  return {
    all: (operation, request) => reader.all(operation, withSignal(request)),
    pages: (operation, request) => reader.pages(operation, withSignal(request)),
  };
}

const PATH_PARAMETERS = ["organizationId", "networkId", "serial"] as const;

export class MerakiClient {
  readonly #http: MerakiHttp;
  readonly #pageSizes: Readonly<Record<string, number>>;

  constructor(options: MerakiClientOptions) {
    this.#http = new MerakiHttp(options);
    this.#pageSizes = options.pageSizes ?? {};
  }

  /** Per-organisation request counters since construction or the last resetStats(). */
  stats(): MerakiClientStats {
    return this.#http.stats();
  }

  resetStats(): void {
    this.#http.resetStats();
  }

  /** Every item of the operation's response, all pages. */
  async all<Operation extends MerakiOperation>(
    operation: Operation,
    request: MerakiRequest = {},
  ): Promise<OperationItem<Operation>[]> {
    const items: OperationItem<Operation>[] = [];
    for await (const page of this.pages(operation, request)) {
      for (const item of page) items.push(item);
    }
    return items;
  }

  /** The response one page per iteration (a single one for an operation without paging). */
  async *pages<Operation extends MerakiOperation>(
    operation: Operation,
    request: MerakiRequest = {},
  ): AsyncGenerator<OperationItem<Operation>[]> {
    const call = this.#call(operation, request);
    if (operation.maxPerPage === undefined) {
      yield validatePage(operation, await this.#http.get(call), call);
      return;
    }
    for await (const page of this.#http.pages(call)) yield validatePage(operation, page, call);
  }

  #call(operation: MerakiOperation, request: MerakiRequest): MerakiCall {
    if (operation.scope === "organization") nonEmpty(request.organizationId, "organizationId", operation);
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const parameter = PATH_PARAMETERS.find((known) => known === name);
      if (parameter === undefined) {
        throw new TypeError(
          `Meraki client: ${operation.operationId} has an unsupported path parameter {${name}}`,
        );
      }
      return encodeURIComponent(nonEmpty(request[parameter], parameter, operation));
    });
    const perPage =
      operation.maxPerPage === undefined
        ? undefined
        : (this.#pageSizes[operation.operationId] ?? operation.maxPerPage);
    return {
      operationId: operation.operationId,
      path,
      query: { ...request.query, ...(perPage === undefined ? {} : { perPage }) },
      organizationId: operation.scope === "organization" ? request.organizationId : undefined,
      networkId: request.networkId,
      signal: request.signal,
    };
  }
}

/** The page's items, each checked and normalised by the operation's item schema. */
function validatePage<Operation extends MerakiOperation>(
  operation: Operation,
  page: MerakiPage,
  call: MerakiCall,
): OperationItem<Operation>[] {
  const fail = (problem: string): never => {
    throw new MerakiUnexpectedResponseError(
      {
        operationId: call.operationId,
        path: new URL(page.url).pathname,
        organizationId: call.organizationId,
        networkId: call.networkId,
        status: 200,
        attempts: page.attempts,
      },
      problem,
    );
  };
  const body = page.body;
  let items: unknown = body;
  if (operation.itemsAt === "items") {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return fail(`expected a JSON object with "items", got ${describe(body)}`);
    }
    items = (body as { items?: unknown }).items;
  }
  if (!Array.isArray(items)) {
    return fail(
      `expected ${operation.itemsAt === "items" ? '"items" to be ' : ""}a JSON array, got ${describe(items)}`,
    );
  }
  const parsed: OperationItem<Operation>[] = [];
  for (const [index, value] of items.entries()) {
    const result = operation.item.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = [`[${index}]`, ...(issue?.path ?? []).map(String)].join(".");
      fail(`item ${where}: ${issue?.message ?? "invalid"}`);
    }
    parsed.push(result.data as OperationItem<Operation>);
  }
  return parsed;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : typeof value;
}

function nonEmpty(value: string | undefined, name: string, operation: MerakiOperation): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(
      `Meraki client: ${operation.operationId} needs ${name} (a non-empty string), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
