// Every Dashboard API operation the code calls must be in the vendored spec, as the spec declares
// it: a kind that calls an operation the subset lacks (or names it wrongly, or pages it at a size
// the API refuses) fails here. The simulator's side is test/simulator/operations.test.ts.
import { describe, expect, it } from "vitest";
import { SIMULATED_OPERATIONS } from "../../infra/local/meraki-simulator/routes.js";
import { asOpenApiDocument } from "../../scripts/meraki-spec-subset.js";
import { KINDS } from "../../shared/kinds/registry.js";
import {
  getOrganizationDevices,
  getOrganizationNetworks,
  getOrganizations,
} from "../../shared/meraki/index.js";
import { MERAKI_SUBSET_SPEC_URL, readJsonFile } from "../../shared/meraki/openapi/spec-files.js";
import type { MerakiOperation } from "../../shared/meraki/operation.js";

const spec = asOpenApiDocument(readJsonFile(MERAKI_SUBSET_SPEC_URL));

interface SpecOperation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; description?: string }>;
}

const called = new Map<string, MerakiOperation>();
for (const operation of [
  getOrganizations,
  getOrganizationNetworks,
  getOrganizationDevices,
  ...KINDS.flatMap((kind) => kind.operations),
]) {
  called.set(operation.operationId, operation);
}

/** "Acceptable range is 3 - 5000. Default is 1000." -> 5000 */
function largestPerPage(operation: SpecOperation): number | undefined {
  const perPage = operation.parameters?.find((p) => p.in === "query" && p.name === "perPage");
  if (perPage === undefined) return undefined;
  const range = /Acceptable range is \d+ - (\d+)/.exec(perPage.description ?? "");
  if (range === null)
    throw new Error(`perPage of ${operation.operationId} states no range: ${perPage.description}`);
  return Number(range[1]);
}

describe("the operations the code calls", () => {
  it.each([...called.values()].map((op) => [op.operationId, op] as const))(
    "%s is in the vendored spec at the path the code uses, paged at the largest perPage it allows",
    (operationId, operation) => {
      const declared = spec.paths[operation.path]?.get as SpecOperation | undefined;
      expect(declared, `GET ${operation.path} in the vendored subset`).toBeDefined();
      expect(declared!.operationId).toBe(operationId);
      expect(operation.maxPerPage).toBe(largestPerPage(declared!));
    },
  );

  it("are all served by the simulator, so the local runtime and the tests can run every kind", () => {
    const served = new Set(SIMULATED_OPERATIONS.map((op) => op.operationId));
    expect([...called.keys()].filter((id) => !served.has(id))).toEqual([]);
  });
});
