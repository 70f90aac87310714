import { describe, expect, it } from "vitest";
import { findLinkByRel, parseLinkHeader } from "../../shared/meraki/link-header.js";

const base = "https://api.meraki.com/api/v1/organizations/1/devices";

describe("parseLinkHeader", () => {
  it("parses Meraki's comma-separated first/next/last links with unquoted rel", () => {
    const header =
      `<${base}?perPage=3&startingAfter=a>; rel=first, ` +
      `<${base}?perPage=3&startingAfter=Q2XX-1>; rel=next, ` +
      `<${base}?perPage=3&endingBefore=zzz>; rel=last`;
    expect(parseLinkHeader(header)).toEqual([
      { uri: `${base}?perPage=3&startingAfter=a`, params: { rel: "first" } },
      { uri: `${base}?perPage=3&startingAfter=Q2XX-1`, params: { rel: "next" } },
      { uri: `${base}?perPage=3&endingBefore=zzz`, params: { rel: "last" } },
    ]);
  });

  it("keeps commas and semicolons inside the URI and inside quoted parameter values", () => {
    const header = `<${base}?tags=a,b;c>; rel="next"; title="x, y; z", <${base}?p=2>; rel=last`;
    expect(parseLinkHeader(header)).toEqual([
      { uri: `${base}?tags=a,b;c`, params: { rel: "next", title: "x, y; z" } },
      { uri: `${base}?p=2`, params: { rel: "last" } },
    ]);
  });

  it("lower-cases parameter names, unescapes quoted-pairs and keeps the first duplicate", () => {
    expect(parseLinkHeader(`<u>; REL="ne\\"xt"; rel=other`)).toEqual([
      { uri: "u", params: { rel: 'ne"xt' } },
    ]);
  });

  it("skips a malformed member and keeps the well-formed ones around it", () => {
    expect(parseLinkHeader(`garbage; rel=next, <a>; rel=first, <b> junk; rel=x, <c>; rel=next`)).toEqual([
      { uri: "a", params: { rel: "first" } },
      { uri: "c", params: { rel: "next" } },
    ]);
  });

  it("returns no links for null, empty or unterminated headers", () => {
    expect(parseLinkHeader(null)).toEqual([]);
    expect(parseLinkHeader("")).toEqual([]);
    expect(parseLinkHeader("<https://x/y; rel=next")).toEqual([]);
  });
});

describe("findLinkByRel", () => {
  it("finds next among several, with quoted or unquoted rel, whatever the case", () => {
    expect(findLinkByRel(`<a>; rel=first, <b>; rel="Next"`, "next")).toBe("b");
    expect(findLinkByRel(`<a>; rel=first,<b>;rel=next`, "next")).toBe("b");
  });

  it("matches one of several space-separated relation types", () => {
    expect(findLinkByRel(`<a>; rel="prev first", <b>; rel="next last"`, "next")).toBe("b");
  });

  it("does not mistake a relation that merely contains the word", () => {
    expect(findLinkByRel(`<a>; rel=nextpage, <b>; rel=first`, "next")).toBeUndefined();
  });

  it("returns undefined on the last page, where Meraki sends no next link", () => {
    expect(findLinkByRel(`<a>; rel=first, <b>; rel=prev, <c>; rel=last`, "next")).toBeUndefined();
  });
});
