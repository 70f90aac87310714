// Shared plumbing for the simulator suites: authenticated requests and a fixed API clock.

import type { RunningSimulator } from "../../infra/local/meraki-simulator/index.js";

/** The API clock the suites freeze, so time windows and timestamps are exact. */
export const NOW = new Date("2026-11-22T10:00:00.000Z");
export const fixedClock = (): Date => NOW;

/** The User-Agent the suites' requests carry, so the request log's attribution can be checked. */
export const SUITE_USER_AGENT = "SimulatorSuites/1.0 Semaphore";

/** GET `pathAndQuery` (relative to the base URL, or an absolute URL from a Link header). */
export function get(
  sim: RunningSimulator,
  pathAndQuery: string,
  headers?: Record<string, string>,
): Promise<Response> {
  const url = pathAndQuery.startsWith("http") ? pathAndQuery : `${sim.baseUrl}${pathAndQuery}`;
  return fetch(url, {
    headers: headers ?? { Authorization: `Bearer ${sim.apiKey}`, "User-Agent": SUITE_USER_AGENT },
  });
}

export async function getJson<T = unknown>(sim: RunningSimulator, pathAndQuery: string): Promise<T> {
  const response = await get(sim, pathAndQuery);
  if (response.status !== 200)
    throw new Error(`GET ${pathAndQuery}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** rel -> URL of a Link header in the simulator's format (`<url>; rel=name, ...`). */
export function linkRels(header: string | null): Record<string, string> {
  const rels: Record<string, string> = {};
  for (const match of (header ?? "").matchAll(/<([^>]*)>; rel=(\w+)/g)) {
    const [, url, rel] = match;
    if (url !== undefined && rel !== undefined) rels[rel] = url;
  }
  return rels;
}

/** Follows rel=next from `firstPath`, returning every page's items and the number of requests. */
export async function walkPages<T>(
  sim: RunningSimulator,
  firstPath: string,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let next: string | undefined = firstPath;
  let pages = 0;
  while (next !== undefined) {
    const response = await get(sim, next);
    if (response.status !== 200) throw new Error(`GET ${next}: ${response.status}`);
    items.push(...((await response.json()) as T[]));
    pages++;
    next = linkRels(response.headers.get("link")).next;
  }
  return { items, pages };
}
