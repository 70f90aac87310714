import { describe, expect, it } from "vitest";
import { operation } from "../../infra/local/meraki-simulator/operation.js";
import { SIMULATED_OPERATIONS } from "../../infra/local/meraki-simulator/routes.js";
import { getOperationId } from "./spec-schemas.js";

describe("the simulator's route table", () => {
  it.each(SIMULATED_OPERATIONS.map((op) => [op.operationId, op.path]))(
    "serves %s at GET %s, as the vendored spec declares it",
    (operationId, path) => {
      expect(getOperationId(path)).toBe(operationId);
    },
  );

  it("serves each operation once", () => {
    const ids = SIMULATED_OPERATIONS.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("refuses an operation whose path parameter names no kind of resource it can look up", () => {
    const define = () =>
      operation({
        operationId: "getThing",
        path: "/things/{thingId}",
        handle: () => ({ body: [], headers: {} }),
      });
    expect(define).toThrow("getThing: no lookup for path parameter {thingId}; add one to LOOKUPS");
  });
});
