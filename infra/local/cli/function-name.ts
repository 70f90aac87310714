/** The functions of the stack by the names the commands take: a sweep kind's id, or `consumer`. */
import {
  isKindId,
  isRetiredKindId,
  KIND_IDS,
  type KindId,
  retiredKindById,
} from "../../../shared/kinds/registry.js";
import { UsageError } from "./errors.js";

export const CONSUMER_FUNCTION = "consumer";

export type FunctionName = KindId | typeof CONSUMER_FUNCTION;

export function parseFunctionName(name: string | undefined): FunctionName {
  if (name === CONSUMER_FUNCTION || (name !== undefined && isKindId(name))) return name;
  if (name !== undefined && isRetiredKindId(name)) {
    throw new UsageError(
      `${name} is retired and no longer swept (replaced by ${retiredKindById(name).retired.replacedBy}); ` +
        `invoke ${CONSUMER_FUNCTION} with its records instead`,
    );
  }
  throw new UsageError(
    `${name === undefined ? "which function?" : `no function "${name}"`}: name a sweep kind ` +
      `(${KIND_IDS.join(", ")}) or ${CONSUMER_FUNCTION}`,
  );
}
