// What a simulated operation is: the spec's operationId and path template, and a handler that gets
// the path's parameters already looked up. Lookup happens before rate limiting and faults because
// both need the organisation a request counts against, and an unknown organisation, network or
// device is a 404 no matter what else is going on.

import type { Catalog } from "./catalog.js";
import type { SimDevice, SimNetwork, SimOrganization } from "./dataset.js";
import type { FaultState } from "./faults.js";
import { templateParameters } from "./path-templates.js";
import type { Query } from "./query.js";
import type { SimulatorRequest } from "./types.js";

export interface Reply {
  body: unknown;
  headers: Record<string, string>;
}

export interface HandlerContext {
  query: Query;
  /** Absolute URL of the request, the base for pagination links. */
  url: URL;
  nowMs: number;
  /**
   * When the simulator started, on the same clock as nowMs. The dataset's device statuses are the
   * ones it starts with: the availability history before then ends in them (availability.ts).
   */
  startedAtMs: number;
  seed: number;
  faults: FaultState;
  /** The request log so far (without the request being answered), for the API's own usage reports. */
  requests: readonly SimulatorRequest[];
}

/** What each path parameter names; a template may use only these. */
interface PathResources {
  organizationId: SimOrganization;
  networkId: SimNetwork;
  serial: SimDevice;
}
type ParameterName = keyof PathResources;

interface Lookup<R> {
  find(catalog: Catalog, id: string): R | undefined;
  organizationOf(resource: R): string;
}

const LOOKUPS: { [K in ParameterName]: Lookup<PathResources[K]> } = {
  organizationId: { find: (c, id) => c.organizationById.get(id), organizationOf: (o) => o.id },
  networkId: { find: (c, id) => c.networkById.get(id), organizationOf: (n) => n.organizationId },
  serial: { find: (c, id) => c.deviceBySerial.get(id), organizationOf: (d) => d.organizationId },
};

type ParametersOf<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParametersOf<Rest>
  : never;

/** The resources a template's parameters name, keyed by parameter name. */
export type PathParams<P extends string> = {
  [K in ParametersOf<P>]: K extends ParameterName ? PathResources[K] : never;
};

export interface OperationScope<P extends string> {
  catalog: Catalog;
  params: PathParams<P>;
}

export interface OperationDefinition<P extends string> {
  operationId: string;
  /** The spec's path template, e.g. "/organizations/{organizationId}/devices". */
  path: P;
  handle(scope: OperationScope<P>, ctx: HandlerContext): Reply;
}

/** An operation as the route table keeps it; every simulated operation is a GET. */
export interface SimulatedOperation {
  operationId: string;
  path: string;
  /** Looks the path's parameter values up; undefined when one names nothing (a 404). */
  bind(catalog: Catalog, parameterValues: readonly string[]): BoundOperation | undefined;
}

export interface BoundOperation {
  /**
   * The organisation the request counts against: that of the resource the first path parameter
   * names; undefined for a path without parameters (GET /organizations).
   */
  organizationId: string | undefined;
  handle(ctx: HandlerContext): Reply;
}

/** Throws at load time for a template parameter that names no known kind of resource. */
export function operation<P extends string>(definition: OperationDefinition<P>): SimulatedOperation {
  const names = templateParameters(definition.path).map((name) => {
    if (!Object.hasOwn(LOOKUPS, name)) {
      throw new Error(
        `${definition.operationId}: no lookup for path parameter {${name}}; add one to LOOKUPS`,
      );
    }
    return name as ParameterName;
  });
  return {
    operationId: definition.operationId,
    path: definition.path,
    bind(catalog, parameterValues) {
      const params: Partial<Record<ParameterName, PathResources[ParameterName]>> = {};
      let organizationId: string | undefined;
      for (const [i, name] of names.entries()) {
        // Each Lookup<R> pairs find and organizationOf over the same R; indexing by a union loses that.
        const lookup = LOOKUPS[name] as Lookup<PathResources[ParameterName]>;
        const resource = lookup.find(catalog, parameterValues[i] ?? "");
        if (resource === undefined) return undefined;
        params[name] = resource;
        organizationId ??= lookup.organizationOf(resource);
      }
      // params holds exactly the template's parameters, each looked up by LOOKUPS[name].
      const scope = { catalog, params: params as PathParams<P> };
      return { organizationId, handle: (ctx) => definition.handle(scope, ctx) };
    },
  };
}
