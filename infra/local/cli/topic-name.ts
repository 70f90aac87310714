import { isKindId, isRetiredKindId } from "../../../shared/kinds/registry.js";
import type { StackConfig } from "../../config/stack-config.js";

/**
 * What a topic argument names: a kind's topic in the stack config (a retired kind's old one too),
 * or, for anything else, the topic of that name.
 */
export function topicOf(config: StackConfig, name: string): string {
  if (isKindId(name) || isRetiredKindId(name)) return config.sweeps[name].topic;
  return name;
}
