// The Meraki Dashboard API operations the sweeps use, typed from the official spec.
//
// Why hand-written: Cisco's official SDK is Python only, and the npm registry has no maintained
// JavaScript/TypeScript client that fits (checked with `npm view`: `meraki` 1.5.0 is a generated
// v0-era client built on the deprecated `request` package; `node-meraki` 5.x wraps axios 0.19
// without types; `meraki-sdk` is a React alpha). None offers per-organisation rate limiting,
// Retry-After handling, Link pagination or typed errors; the six GETs below are small enough to own.

import type { z } from "zod";
import { MerakiUnexpectedResponseError } from "./errors.js";
import {
  type MerakiCall,
  type MerakiClientStats,
  MerakiHttp,
  type MerakiHttpOptions,
  type MerakiPage,
} from "./http.js";
import {
  type Device,
  type DeviceStatus,
  deviceSchema,
  deviceStatusSchema,
  type Network,
  type NetworkClient,
  networkClientSchema,
  networkSchema,
  type Organization,
  organizationSchema,
  type UplinkLossAndLatency,
  uplinkLossAndLatencySchema,
} from "./types.js";

/** Page sizes sent as perPage. Defaults are each operation's maximum, to minimise calls. */
export interface MerakiPageSizes {
  /** spec range 3-100000; default 1000 keeps each response well inside the request timeout. */
  organizationNetworks: number;
  /** spec range 3-1000 */
  organizationDevices: number;
  /** spec range 3-1000 */
  organizationDevicesStatuses: number;
  /** spec range 3-5000 */
  networkClients: number;
}

export interface MerakiClientOptions extends MerakiHttpOptions {
  /** Overrides for tests (small pages) or for very large responses. */
  pageSizes?: Partial<MerakiPageSizes>;
}

export interface MerakiCallOptions {
  /** Aborts waiting, retrying and the request in flight, e.g. when the Lambda nears its deadline. */
  signal?: AbortSignal;
}

export interface LossAndLatencyWindow {
  /** ISO 8601 start. Meraki: at most 60 days back. */
  t0: string;
  /** ISO 8601 end. Meraki: at most 5 minutes after t0 and at least 2 minutes in the past. */
  t1: string;
}

/** Give exactly one of t0 or timespan, or neither for Meraki's default of one day. */
export interface NetworkClientsWindow {
  /** ISO 8601 start; Meraki: at most 31 days back. */
  t0?: string;
  /** Seconds, at most 2 678 400 (31 days). */
  timespan?: number;
}

const DEFAULT_PAGE_SIZES: MerakiPageSizes = {
  organizationNetworks: 1000,
  organizationDevices: 1000,
  organizationDevicesStatuses: 1000,
  networkClients: 5000,
};

export class MerakiClient {
  readonly #http: MerakiHttp;
  readonly #pageSizes: MerakiPageSizes;

  constructor(options: MerakiClientOptions) {
    this.#http = new MerakiHttp(options);
    this.#pageSizes = { ...DEFAULT_PAGE_SIZES, ...options.pageSizes };
  }

  /** Per-organisation request counters since construction or the last resetStats(). */
  stats(): MerakiClientStats {
    return this.#http.stats();
  }

  resetStats(): void {
    this.#http.resetStats();
  }

  /** GET /organizations: the organisations the API key can see. */
  async getOrganizations(options: MerakiCallOptions = {}): Promise<Organization[]> {
    // No perPage in spec 1.42.0, but the loop also copes if a later API version adds Link paging.
    return collect(
      this.#list<Organization>(
        organizationSchema,
        { operationId: "getOrganizations", path: "/organizations" },
        options,
      ),
    );
  }

  async getOrganizationNetworks(organizationId: string, options: MerakiCallOptions = {}): Promise<Network[]> {
    return collect(this.iterateOrganizationNetworks(organizationId, options));
  }

  /** GET /organizations/{organizationId}/networks, one page per iteration. */
  async *iterateOrganizationNetworks(
    organizationId: string,
    options: MerakiCallOptions = {},
  ): AsyncGenerator<Network[]> {
    yield* this.#list<Network>(
      networkSchema,
      {
        operationId: "getOrganizationNetworks",
        path: `/organizations/${segment(organizationId, "organizationId")}/networks`,
        query: { perPage: this.#pageSizes.organizationNetworks },
        organizationId,
      },
      options,
    );
  }

  async getOrganizationDevices(organizationId: string, options: MerakiCallOptions = {}): Promise<Device[]> {
    return collect(this.iterateOrganizationDevices(organizationId, options));
  }

  /** GET /organizations/{organizationId}/devices, one page per iteration. */
  async *iterateOrganizationDevices(
    organizationId: string,
    options: MerakiCallOptions = {},
  ): AsyncGenerator<Device[]> {
    yield* this.#list<Device>(
      deviceSchema,
      {
        operationId: "getOrganizationDevices",
        path: `/organizations/${segment(organizationId, "organizationId")}/devices`,
        query: { perPage: this.#pageSizes.organizationDevices },
        organizationId,
      },
      options,
    );
  }

  async getOrganizationDevicesStatuses(
    organizationId: string,
    options: MerakiCallOptions = {},
  ): Promise<DeviceStatus[]> {
    return collect(this.iterateOrganizationDevicesStatuses(organizationId, options));
  }

  /** GET /organizations/{organizationId}/devices/statuses, one page per iteration. */
  async *iterateOrganizationDevicesStatuses(
    organizationId: string,
    options: MerakiCallOptions = {},
  ): AsyncGenerator<DeviceStatus[]> {
    yield* this.#list<DeviceStatus>(
      deviceStatusSchema,
      {
        operationId: "getOrganizationDevicesStatuses",
        path: `/organizations/${segment(organizationId, "organizationId")}/devices/statuses`,
        query: { perPage: this.#pageSizes.organizationDevicesStatuses },
        organizationId,
      },
      options,
    );
  }

  /** GET /organizations/{organizationId}/devices/uplinksLossAndLatency for one window (not paginated). */
  async getOrganizationDevicesUplinksLossAndLatency(
    organizationId: string,
    window: LossAndLatencyWindow,
    options: MerakiCallOptions = {},
  ): Promise<UplinkLossAndLatency[]> {
    const call: MerakiCall = {
      operationId: "getOrganizationDevicesUplinksLossAndLatency",
      path: `/organizations/${segment(organizationId, "organizationId")}/devices/uplinksLossAndLatency`,
      query: { t0: window.t0, t1: window.t1 },
      organizationId,
      signal: options.signal,
    };
    const page = await this.#http.get(call);
    return validatePage<UplinkLossAndLatency>(uplinkLossAndLatencySchema, page, call);
  }

  /**
   * Every client of a network in the window. organizationId is not part of the path: it selects the
   * organisation's rate budget (Meraki counts network calls against their organisation) and names
   * the organisation in errors and counters.
   */
  async getNetworkClients(
    organizationId: string,
    networkId: string,
    window: NetworkClientsWindow = {},
    options: MerakiCallOptions = {},
  ): Promise<NetworkClient[]> {
    return collect(this.iterateNetworkClients(organizationId, networkId, window, options));
  }

  /** GET /networks/{networkId}/clients, one page (up to 5000 clients) per iteration. */
  async *iterateNetworkClients(
    organizationId: string,
    networkId: string,
    window: NetworkClientsWindow = {},
    options: MerakiCallOptions = {},
  ): AsyncGenerator<NetworkClient[]> {
    if (window.t0 !== undefined && window.timespan !== undefined) {
      throw new TypeError(
        "getNetworkClients: give t0 or timespan, not both (Meraki rejects the combination)",
      );
    }
    yield* this.#list<NetworkClient>(
      networkClientSchema,
      {
        operationId: "getNetworkClients",
        path: `/networks/${segment(networkId, "networkId")}/clients`,
        query: { t0: window.t0, timespan: window.timespan, perPage: this.#pageSizes.networkClients },
        organizationId: nonEmpty(organizationId, "organizationId"),
        networkId,
      },
      options,
    );
  }

  async *#list<T>(schema: z.ZodType, call: MerakiCall, options: MerakiCallOptions): AsyncGenerator<T[]> {
    for await (const page of this.#http.pages({ ...call, signal: options.signal })) {
      yield validatePage<T>(schema, page, call);
    }
  }
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) {
    for (const item of page) all.push(item);
  }
  return all;
}

/**
 * Checks that the page is an array whose items carry the identity fields the sweeps rely on, and
 * returns the items as Meraki sent them (extra properties included).
 */
function validatePage<T>(schema: z.ZodType, page: MerakiPage, call: MerakiCall): T[] {
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
  if (!Array.isArray(page.body)) {
    return fail(`expected a JSON array, got ${page.body === null ? "null" : typeof page.body}`);
  }
  for (const [index, item] of page.body.entries()) {
    const result = schema.safeParse(item);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = [`[${index}]`, ...(issue?.path ?? []).map(String)].join(".");
      fail(`item ${where}: ${issue?.message ?? "invalid"}`);
    }
  }
  // The schema accepted every item's identity fields; the remaining properties are typed from the
  // spec but, like any JSON, only as trustworthy as the API that sent them.
  return page.body as T[];
}

function nonEmpty(value: string, name: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`Meraki client: ${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function segment(value: string, name: string): string {
  return encodeURIComponent(nonEmpty(value, name));
}
