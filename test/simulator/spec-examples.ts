// Some operations' 200 schemas declare only "array of object" and describe the items solely by the
// documentation example. For those, the example is the contract: this derives a JSON Schema from it
// (property names and JSON types), which spec-schemas.ts's strictValidator then closes.

import { readFileSync } from "node:fs";
import { SPEC_URL } from "./spec-schemas.js";

type JsonSchema = Record<string, unknown>;

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { example?: unknown }> }> }>
  >;
}

const spec = JSON.parse(readFileSync(SPEC_URL, "utf8")) as OpenApiDocument;

/** The 200 application/json example of `GET {path}`. */
export function responseExample(path: string): unknown {
  const example = spec.paths[path]?.get?.responses["200"]?.content?.["application/json"]?.example;
  if (example === undefined) throw new Error(`no 200 JSON example for GET ${path} in the spec`);
  return example;
}

/** A schema of the example's shape: arrays take their first item's shape, numbers any number. */
export function schemaOfExample(value: unknown): JsonSchema {
  if (Array.isArray(value))
    return { type: "array", items: value.length > 0 ? schemaOfExample(value[0]) : {} };
  if (value === null) return { type: "null" };
  if (typeof value === "object") {
    const properties: Record<string, JsonSchema> = {};
    for (const [name, child] of Object.entries(value)) properties[name] = schemaOfExample(child);
    return { type: "object", properties };
  }
  if (typeof value === "number") return { type: "number" };
  return { type: typeof value };
}
