// Meraki-style cursor pagination. Cursors are item keys (network id, serial, client id) compared in
// code-unit order, so an unknown or stale cursor still pages sensibly, as a real keyed cursor would.
// Links are absolute and carry every other query parameter, so a client only follows rel=next.

import { badRequest } from "./errors.js";
import { type Query, single } from "./query.js";

export interface PageLimits {
  min: number;
  max: number;
  default: number;
}

export interface Page<T> {
  items: T[];
  link: string;
}

/** Sorts after every key the dataset produces (ids, serials and client ids are alphanumeric). */
const END_CURSOR = "~";

export function parsePerPage(query: Query, limits: PageLimits): number {
  const raw = single(query, "perPage");
  if (raw === undefined) return limits.default;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < limits.min || value > limits.max) {
    throw badRequest(`'perPage' must be an integer between ${limits.min} and ${limits.max}`);
  }
  return value;
}

/**
 * One page of `items`, which must be sorted ascending by `keyOf`. `requestUrl` is the absolute URL
 * the client asked for; links are built from it.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  query: Query,
  limits: PageLimits,
  requestUrl: URL,
): Page<T> {
  const perPage = parsePerPage(query, limits);
  const startingAfter = single(query, "startingAfter");
  const endingBefore = single(query, "endingBefore");
  let start: number;
  let end: number;
  if (startingAfter !== undefined) {
    start = firstIndexAbove(items, keyOf, startingAfter);
    end = Math.min(items.length, start + perPage);
  } else if (endingBefore !== undefined) {
    end = firstIndexAtOrAbove(items, keyOf, endingBefore);
    start = Math.max(0, end - perPage);
  } else {
    start = 0;
    end = Math.min(items.length, perPage);
  }
  const page = items.slice(start, end);
  const links: [string, Record<string, string>][] = [["first", {}]];
  const firstItem = page[0];
  const lastItem = page[page.length - 1];
  if (start > 0 && firstItem !== undefined) links.push(["prev", { endingBefore: keyOf(firstItem) }]);
  if (end < items.length && lastItem !== undefined) links.push(["next", { startingAfter: keyOf(lastItem) }]);
  links.push(["last", { endingBefore: END_CURSOR }]);
  const link = links
    .map(([rel, cursor]) => `<${pageUrl(requestUrl, perPage, cursor)}>; rel=${rel}`)
    .join(", ");
  return { items: page, link };
}

function pageUrl(requestUrl: URL, perPage: number, cursor: Record<string, string>): string {
  const url = new URL(requestUrl);
  url.searchParams.delete("startingAfter");
  url.searchParams.delete("endingBefore");
  url.searchParams.set("perPage", String(perPage));
  for (const [name, value] of Object.entries(cursor)) url.searchParams.set(name, value);
  return url.toString();
}

function firstIndexAbove<T>(items: readonly T[], keyOf: (item: T) => string, key: string): number {
  return lowerBound(items, (item) => keyOf(item) <= key);
}

function firstIndexAtOrAbove<T>(items: readonly T[], keyOf: (item: T) => string, key: string): number {
  return lowerBound(items, (item) => keyOf(item) < key);
}

/** The first index whose item is not `before`; items must be partitioned (all before ones first). */
function lowerBound<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid];
    if (item !== undefined && before(item)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
