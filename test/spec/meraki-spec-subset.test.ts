import { describe, expect, it } from "vitest";
import {
  asOpenApiDocument,
  extractSubset,
  type OpenApiDocument,
  operationIdsOf,
  renderSpec,
  SpecError,
  subsetDescription,
} from "../../scripts/meraki-spec-subset.js";

/** A small document with references between components, one unreferenced, and two paths. */
const spec = (): OpenApiDocument => ({
  openapi: "3.0.1",
  info: { title: "API", description: "The whole API", version: "9.1.0" },
  servers: [{ url: "https://api.example/v1" }],
  components: {
    securitySchemes: { key: { type: "apiKey", name: "X-Key", in: "header" }, unused: { type: "http" } },
    schemas: {
      Device: { type: "object", properties: { port: { $ref: "#/components/schemas/Port" } } },
      Port: { type: "object", properties: { speed: { $ref: "#/components/schemas/Speed/properties/x" } } },
      Speed: { type: "object", properties: { x: { type: "integer" } } },
      Unused: { type: "string" },
    },
    parameters: { serial: { name: "serial", in: "path", required: true, schema: { type: "string" } } },
  },
  security: [{ key: [] }],
  paths: {
    "/z/devices/{serial}": {
      parameters: [{ $ref: "#/components/parameters/serial" }],
      get: {
        operationId: "getDevice",
        responses: {
          "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/Device" } } } },
        },
      },
      put: { operationId: "updateDevice", responses: {} },
    },
    "/a/organizations": { get: { operationId: "getOrganizations", security: [{ oauth2: ["read"] }] } },
  },
});

describe("extractSubset", () => {
  it("rejects an unknown operation id, naming it", () => {
    expect(() => extractSubset(spec(), ["getDevice", "getNothing"])).toThrow(
      new SpecError("unknown operation id: getNothing"),
    );
  });

  it("names every unknown operation id at once", () => {
    expect(() => extractSubset(spec(), ["getA", "getB"])).toThrow(
      new SpecError("unknown operation ids: getA, getB"),
    );
  });

  it("rejects an empty list of operation ids", () => {
    expect(() => extractSubset(spec(), [])).toThrow(new SpecError("no operation ids given"));
  });

  it("keeps only the named operations of a path, with the path's own fields", () => {
    const subset = extractSubset(spec(), ["getDevice"]);
    expect(subset.paths).toEqual({
      "/z/devices/{serial}": {
        parameters: spec().paths["/z/devices/{serial}"]?.parameters,
        get: spec().paths["/z/devices/{serial}"]?.get,
      },
    });
  });

  it("copies the components the operations reference, transitively, and no others", () => {
    const subset = extractSubset(spec(), ["getDevice"]);
    const { schemas, parameters } = spec().components ?? {};
    expect(subset.components).toEqual({
      securitySchemes: { key: spec().components?.securitySchemes?.key },
      schemas: { Device: schemas?.Device, Port: schemas?.Port, Speed: schemas?.Speed },
      parameters,
    });
  });

  it("copies the declared security schemes the requirements name, leaving undeclared ones as they are", () => {
    const subset = extractSubset(spec(), ["getOrganizations"]);
    expect(subset.components).toEqual({ securitySchemes: { key: spec().components?.securitySchemes?.key } });
    expect(subset.paths["/a/organizations"]).toEqual(spec().paths["/a/organizations"]);
  });

  it("sorts the paths", () => {
    const subset = extractSubset(spec(), ["getDevice", "getOrganizations"]);
    expect(Object.keys(subset.paths)).toEqual(["/a/organizations", "/z/devices/{serial}"]);
  });

  it("keeps the document's fields and says in the description what the subset is", () => {
    const { openapi, info, servers, security } = extractSubset(spec(), ["getOrganizations"]);
    expect({ openapi, info, servers, security }).toEqual({
      openapi: "3.0.1",
      info: { title: "API", description: subsetDescription("9.1.0"), version: "9.1.0" },
      servers: [{ url: "https://api.example/v1" }],
      security: [{ key: [] }],
    });
  });

  it("rejects a $ref that names no component of the document", () => {
    const broken = spec();
    broken.paths["/a/organizations"] = {
      get: { operationId: "getOrganizations", $ref: "#/components/schemas/Gone" },
    };
    expect(() => extractSubset(broken, ["getOrganizations"])).toThrow(
      new SpecError("$ref does not resolve to a component of the document: #/components/schemas/Gone"),
    );
  });

  it("rejects a $ref outside the document", () => {
    const broken = spec();
    broken.paths["/a/organizations"] = { get: { operationId: "getOrganizations", $ref: "other.json#/x" } };
    expect(() => extractSubset(broken, ["getOrganizations"])).toThrow(
      new SpecError("$ref does not resolve to a component of the document: other.json#/x"),
    );
  });
});

describe("operationIdsOf", () => {
  it("lists the operation ids in path and method order", () => {
    expect(operationIdsOf(spec())).toEqual(["getDevice", "updateDevice", "getOrganizations"]);
  });
});

describe("asOpenApiDocument", () => {
  it.each([
    ["a JSON array", [], "not an OpenAPI document: not a JSON object"],
    [
      "no openapi field",
      { info: { version: "1" }, paths: {} },
      "not an OpenAPI document: no 'openapi' version",
    ],
    [
      "no info.version",
      { openapi: "3.0.1", info: {}, paths: {} },
      "not an OpenAPI document: no 'info.version'",
    ],
    ["no paths", { openapi: "3.0.1", info: { version: "1" } }, "not an OpenAPI document: no 'paths' object"],
  ])("rejects %s", (_name, value, message) => {
    expect(() => asOpenApiDocument(value)).toThrow(new SpecError(message));
  });
});

describe("renderSpec", () => {
  it("indents by one space and ends with a newline", () => {
    const doc: OpenApiDocument = { openapi: "3.0.1", info: { version: "1" }, paths: {} };
    expect(renderSpec(doc)).toBe(
      '{\n "openapi": "3.0.1",\n "info": {\n  "version": "1"\n },\n "paths": {}\n}\n',
    );
  });
});
