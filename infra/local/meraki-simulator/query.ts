// Query string access with Meraki's conventions: array parameters arrive as `name[]=a&name[]=b`
// (the official SDKs) or as a repeated `name=`; scalars must not repeat.

import { badRequest } from "./errors.js";

export type Query = Record<string, string | string[]>;

export function parseQuery(params: URLSearchParams): Query {
  const query: Query = {};
  for (const [name, value] of params) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[name] = [existing, value];
  }
  return query;
}

export function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw badRequest(`'${name}' must be given at most once`);
  return value;
}

export function list(query: Query, name: string): string[] | undefined {
  const values = [query[`${name}[]`] ?? [], query[name] ?? []].flat();
  return values.length === 0 ? undefined : values;
}

/** Validates an enum-valued scalar parameter (undefined = not given). */
export function enumValue<T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw badRequest(`'${name}' must be one of: ${allowed.join(", ")}`);
  return match;
}

/** Validates an enum-valued array parameter and returns it as a set (undefined = no filter). */
export function enumList<T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): Set<T> | undefined {
  const values = list(query, name);
  if (values === undefined) return undefined;
  const valid = new Set<string>(allowed);
  for (const value of values) {
    if (!valid.has(value)) throw badRequest(`'${name}' must be any of: ${allowed.join(", ")}`);
  }
  return new Set(values as T[]);
}

export function stringSet(query: Query, name: string): Set<string> | undefined {
  const values = list(query, name);
  return values === undefined ? undefined : new Set(values);
}
