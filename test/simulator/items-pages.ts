// Walking the `{items, meta}` answers of the newer paged operations by their Link headers.

import type { RunningSimulator } from "../../infra/local/meraki-simulator/index.js";
import { get, linkRels } from "./helpers.js";

export interface ItemsMeta {
  counts: { items: { total: number; remaining: number } };
}

/** Follows rel=next from `firstPath`, returning every page's items and meta. */
export async function walkItemPages<T>(
  sim: RunningSimulator,
  firstPath: string,
): Promise<{ items: T[]; metas: ItemsMeta[]; pages: number }> {
  const items: T[] = [];
  const metas: ItemsMeta[] = [];
  let next: string | undefined = firstPath;
  while (next !== undefined) {
    const response = await get(sim, next);
    if (response.status !== 200) throw new Error(`GET ${next}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { items: T[]; meta: ItemsMeta };
    items.push(...body.items);
    metas.push(body.meta);
    next = linkRels(response.headers.get("link")).next;
  }
  return { items, metas, pages: metas.length };
}
