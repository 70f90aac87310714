// A subset of an OpenAPI 3 document: the named operations copied unchanged, with every component
// they reference (transitively) and the security schemes their requirements name, so the subset
// is a valid document on its own. Pure: scripts/vendor-meraki-spec.ts does the file work.

import { SemaphoreError } from "../shared/errors.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface OpenApiDocument {
  openapi: string;
  info: JsonObject & { version: string };
  servers?: JsonValue;
  components?: Record<string, JsonObject>;
  security?: JsonValue;
  paths: Record<string, JsonObject>;
}

/** The document or the operation ids do not allow a subset; the message says which and why. */
export class SpecError extends SemaphoreError {}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)(?:\/.*)?$/;

export const subsetDescription = (version: string): string =>
  `Subset of the official Meraki Dashboard API OpenAPI spec v${version}: the operations Semaphore uses, unchanged, with the components they reference.`;

/** Checks the parts of an OpenAPI document the subset relies on. */
export function asOpenApiDocument(value: unknown): OpenApiDocument {
  if (!isObject(value)) throw new SpecError("not an OpenAPI document: not a JSON object");
  if (typeof value.openapi !== "string") throw new SpecError("not an OpenAPI document: no 'openapi' version");
  if (!isObject(value.info) || typeof value.info.version !== "string") {
    throw new SpecError("not an OpenAPI document: no 'info.version'");
  }
  if (!isObject(value.paths) || !Object.values(value.paths).every(isObject)) {
    throw new SpecError("not an OpenAPI document: no 'paths' object");
  }
  if (
    value.components !== undefined &&
    !(isObject(value.components) && Object.values(value.components).every(isObject))
  ) {
    throw new SpecError("not an OpenAPI document: 'components' is not an object of objects");
  }
  // Every property the type declares was checked above.
  return value as unknown as OpenApiDocument;
}

/** The operation ids of a document, in path and method order. */
export function operationIdsOf(doc: OpenApiDocument): string[] {
  return operationsOf(doc).map((op) => op.operationId);
}

/** Throws SpecError naming every id the document lacks, and for a $ref that does not resolve. */
export function extractSubset(full: OpenApiDocument, operationIds: readonly string[]): OpenApiDocument {
  const wanted = new Set(operationIds);
  if (wanted.size === 0) throw new SpecError("no operation ids given");
  const selected = operationsOf(full).filter((op) => wanted.has(op.operationId));
  const missing = [...wanted].filter((id) => !selected.some((op) => op.operationId === id));
  if (missing.length > 0) {
    throw new SpecError(`unknown operation id${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);
  }
  const paths: Record<string, JsonObject> = {};
  for (const path of [...new Set(selected.map((op) => op.path))].sort()) {
    const item = full.paths[path] ?? {};
    const keep = new Set(selected.filter((op) => op.path === path).map((op) => op.method));
    // Path-level fields (shared parameters, servers, summary) apply to every operation of the path.
    paths[path] = Object.fromEntries(
      Object.entries(item).filter(([key]) => !METHODS.has(key) || keep.has(key)),
    );
  }
  const requirements = [full.security, ...selected.map((op) => op.operation.security)];
  const components = referencedComponents(full, Object.values(paths), requirements);
  return {
    openapi: full.openapi,
    info: { ...full.info, description: subsetDescription(full.info.version) },
    ...(full.servers === undefined ? {} : { servers: full.servers }),
    ...(components === undefined ? {} : { components }),
    ...(full.security === undefined ? {} : { security: full.security }),
    paths,
  };
}

/** One space of indentation and a final newline, the format the vendored subset is kept in. */
export function renderSpec(doc: OpenApiDocument): string {
  return `${JSON.stringify(doc, null, 1)}\n`;
}

interface Operation {
  path: string;
  method: string;
  operationId: string;
  operation: JsonObject;
}

function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method) || !isObject(operation)) continue;
      const { operationId } = operation;
      if (typeof operationId === "string") operations.push({ path, method, operationId, operation });
    }
  }
  return operations;
}

/**
 * The components `roots` reference, followed through the components themselves, in the full
 * document's order; undefined when there are none.
 */
function referencedComponents(
  full: OpenApiDocument,
  roots: readonly JsonValue[],
  securityRequirements: readonly (JsonValue | undefined)[],
): Record<string, JsonObject> | undefined {
  const available = full.components ?? {};
  const wanted = new Map<string, Set<string>>();
  const pending: JsonValue[] = [...roots];
  const want = (kind: string, name: string): void => {
    const names = wanted.get(kind) ?? new Set<string>();
    wanted.set(kind, names);
    if (names.has(name)) return;
    names.add(name);
    pending.push(available[kind]?.[name] ?? null);
  };
  for (const requirement of securityRequirements.flatMap((r) => (Array.isArray(r) ? r : []))) {
    if (!isObject(requirement)) continue;
    for (const scheme of Object.keys(requirement)) {
      // Only declared schemes can be copied. The official spec (1.73.0) also names an "oauth2"
      // scheme in its operations' requirements without declaring it; those stay as published.
      if (available.securitySchemes?.[scheme] !== undefined) want("securitySchemes", scheme);
    }
  }
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    for (const ref of refsIn(value)) {
      const component = componentOf(ref);
      if (component === undefined || available[component.kind]?.[component.name] === undefined) {
        throw new SpecError(`$ref does not resolve to a component of the document: ${ref}`);
      }
      want(component.kind, component.name);
    }
  }
  const components: Record<string, JsonObject> = {};
  for (const [kind, entries] of Object.entries(available)) {
    const names = wanted.get(kind);
    if (names === undefined) continue;
    components[kind] = Object.fromEntries(Object.entries(entries).filter(([name]) => names.has(name)));
  }
  return Object.keys(components).length === 0 ? undefined : components;
}

function* refsIn(value: JsonValue): Generator<string> {
  if (Array.isArray(value)) {
    for (const item of value) yield* refsIn(item);
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") yield child;
      else yield* refsIn(child);
    }
  }
}

/** The component a local reference points into ("#/components/schemas/Name/properties/x": Name). */
function componentOf(ref: string): { kind: string; name: string } | undefined {
  const [, kind, name] = COMPONENT_REF.exec(ref) ?? [];
  if (kind === undefined || name === undefined) return undefined;
  return { kind: unescapePointer(kind), name: unescapePointer(name) };
}

/** JSON Pointer (RFC 6901) escapes in a reference token. */
function unescapePointer(token: string): string {
  return token.replaceAll("~1", "/").replaceAll("~0", "~");
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
