// The `{items, meta}` body of the newer paged operations: a page of items, and how many items the
// whole answer has and how many are left after this page (meta.counts.items).

import type { Reply } from "./operation.js";
import { type PageLimits, paginate } from "./pagination.js";
import type { Query } from "./query.js";

/** One page of `items` (sorted ascending by `keyOf`) as `{items, meta}` with its Link header. */
export function itemsPage<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  render: (item: T) => object,
  ctx: { query: Query; url: URL },
  limits: PageLimits,
): Reply {
  const page = paginate(items, keyOf, ctx.query, limits, ctx.url);
  const last = page.items[page.items.length - 1];
  const lastKey = last === undefined ? undefined : keyOf(last);
  const remaining = lastKey === undefined ? 0 : items.filter((item) => keyOf(item) > lastKey).length;
  return {
    body: {
      items: page.items.map(render),
      meta: { counts: { items: { total: items.length, remaining } } },
    },
    headers: { Link: page.link },
  };
}
