// A Dashboard API operation as data: its spec identity (operationId and path template), the zod
// schema of one response item (the types come from it with z.infer), and how it pages. The client
// runs any operation; a telemetry kind declares the operations it calls next to the code that reads
// them, so adding a kind adds no method here. test/spec checks every declared operation against
// the vendored official spec (same operationId, path, and the largest perPage it allows).

import type * as z from "zod";

/** The Dashboard API version whose official OpenAPI spec the operations follow (vendored in shared/meraki/openapi/). */
export const MERAKI_API_SPEC_VERSION = "1.73.0";

export interface MerakiOperation<Item extends z.ZodType = z.ZodType> {
  /** The spec's operationId, named in errors, logs and metrics. */
  operationId: string;
  /** The spec's path template below the base URL, e.g. `/organizations/{organizationId}/devices`. */
  path: `/${string}`;
  /** One element of the response's item list. */
  item: Item;
  /**
   * The largest `perPage` the spec allows (stated in the parameter's description): fewest calls.
   * Absent for an operation without paging, which answers in one response.
   */
  maxPerPage?: number;
  /** Where a 200 body holds the items: the body is the array (default), or `{"items": [...], "meta": ...}`. */
  itemsAt?: "body" | "items";
  /**
   * Whose rate budget the call draws from. Meraki meters per organisation; only the organisation
   * list itself belongs to none (it is metered per key).
   */
  scope: "organization" | "key";
}

export type OperationItem<Operation extends MerakiOperation> = z.output<Operation["item"]>;

/** Keeps the item schema's type, so `OperationItem<typeof op>` is the schema's output. */
export function defineOperation<const Item extends z.ZodType>(
  operation: MerakiOperation<Item>,
): MerakiOperation<Item> {
  return operation;
}
