// Response validators and parameter vocabularies from the vendored official OpenAPI document, so the
// simulator is checked against the spec rather than against our memory of it. Validation is
// stricter than the spec in one way:
// undeclared properties are errors, and declared ones must be present unless listed as optional,
// which is how "exactly the shape of the 200 schema" is tested.

import { Ajv, type ValidateFunction } from "ajv";
import formatsModule, { type FormatsPlugin } from "ajv-formats";
import { MERAKI_SUBSET_SPEC_URL, readJsonFile } from "../../shared/meraki/openapi/spec-files.js";

type JsonSchema = Record<string, unknown>;

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; schema: JsonSchema & { items?: { enum?: string[] } } }[];
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

const spec = readJsonFile(MERAKI_SUBSET_SPEC_URL) as OpenApiDocument;

// ajv-formats is CommonJS with `exports.default`; depending on the loader the default import is
// either the plugin or the module object holding it.
const addFormats: FormatsPlugin = typeof formatsModule === "function" ? formatsModule : formatsModule.default;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// OpenAPI's numeric formats are not JSON Schema formats; they only describe the wire width.
for (const format of ["float", "double", "int32", "int64"])
  ajv.addFormat(format, { type: "number", validate: () => true });

/** The 200 application/json schema of `GET {path}` exactly as the spec declares it. */
export function responseSchema(path: string): JsonSchema {
  const schema = spec.paths[path]?.get?.responses["200"]?.content?.["application/json"]?.schema;
  if (schema === undefined) throw new Error(`no 200 JSON schema for GET ${path} in the spec`);
  return schema;
}

/** The operationId of `GET {path}`, or undefined when the spec has no such operation. */
export function getOperationId(path: string): string | undefined {
  return spec.paths[path]?.get?.operationId;
}

/** The allowed values of the array query parameter `name` of `GET {path}`. */
export function queryArrayEnum(path: string, name: string): string[] {
  const parameter = spec.paths[path]?.get?.parameters?.find((p) => p.in === "query" && p.name === name);
  const values = parameter?.schema.items?.enum;
  if (values === undefined) throw new Error(`no enum-valued array query parameter ${name} for GET ${path}`);
  return values;
}

/** A validator for the declared schema with every object closed and every property required. */
export function strictValidator(schema: JsonSchema, optional: readonly string[] = []): ValidateFunction {
  return ajv.compile(closeObjects(structuredClone(schema), new Set(optional)));
}

export function describeErrors(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors, { separator: "\n" });
}

function closeObjects(schema: JsonSchema, optional: ReadonlySet<string>): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties !== undefined) {
    schema.additionalProperties = false;
    schema.required = Object.keys(properties).filter((name) => !optional.has(name));
    for (const child of Object.values(properties)) closeObjects(child, optional);
  }
  const items = schema.items as JsonSchema | undefined;
  if (items !== undefined) closeObjects(items, optional);
  return schema;
}
