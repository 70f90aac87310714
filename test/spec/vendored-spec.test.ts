import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  asOpenApiDocument,
  extractSubset,
  type JsonObject,
  operationIdsOf,
  renderSpec,
} from "../../scripts/meraki-spec-subset.js";
import {
  MERAKI_FULL_SPEC_URL,
  MERAKI_SUBSET_SPEC_URL,
  readJsonFile,
} from "../../shared/meraki/openapi/spec-files.js";
import { MERAKI_API_SPEC_VERSION } from "../../shared/meraki/operation.js";

const full = asOpenApiDocument(readJsonFile(MERAKI_FULL_SPEC_URL));
const subset = asOpenApiDocument(readJsonFile(MERAKI_SUBSET_SPEC_URL));

describe("the vendored Meraki spec", () => {
  it("is the full spec of the version the file names say", () => {
    expect(full.info.version).toBe(MERAKI_API_SPEC_VERSION);
    expect(subset.info.version).toBe(MERAKI_API_SPEC_VERSION);
  });

  it("regenerates exactly: the subset is what the full spec gives for the subset's operation ids", () => {
    const regenerated = extractSubset(full, operationIdsOf(subset));
    expect(regenerated).toEqual(subset);
  });

  it("is stored in the script's format, so regenerating leaves the file unchanged", () => {
    const regenerated = extractSubset(full, operationIdsOf(subset));
    expect(renderSpec(regenerated)).toBe(readFileSync(MERAKI_SUBSET_SPEC_URL, "utf8"));
  });

  it("copies every operation unchanged from the same path and method of the full spec", () => {
    const pairs = Object.entries(subset.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        at: `${method} ${path}`,
        operation,
        original: full.paths[path]?.[method] as JsonObject | undefined,
      })),
    );
    expect(pairs).toHaveLength(25);
    for (const { at, operation, original } of pairs) expect(operation, at).toEqual(original);
  });

  it("keeps the full spec's servers, security and security schemes", () => {
    expect({ servers: subset.servers, security: subset.security, components: subset.components }).toEqual({
      servers: full.servers,
      security: full.security,
      components: { securitySchemes: full.components?.securitySchemes },
    });
  });
});
