// The README's table of runtime dependencies lists exactly package.json's "dependencies", each at
// the version pinned there and with a reason: adding, removing or upgrading one without the README
// fails here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
};

/** package -> [version, why] from the rows of the "Runtime dependencies" table. */
function documented(): Map<string, [string, string]> {
  const start = readme.indexOf("## Runtime dependencies");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const rows = new Map<string, [string, string]>();
  for (const match of section.matchAll(/^\| `([^`]+)` \| ([^|]+) \| (.+) \|$/gm)) {
    rows.set(match[1]!, [match[2]!.trim(), match[3]!.trim()]);
  }
  return rows;
}

describe("the README's runtime dependencies", () => {
  it("are exactly package.json's dependencies", () => {
    expect([...documented().keys()].sort()).toEqual(Object.keys(manifest.dependencies).sort());
  });

  it.each(Object.entries(manifest.dependencies))(
    "%s: at the version package.json pins (%s), exactly",
    (name, version) => {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(documented().get(name)?.[0]).toBe(version);
    },
  );

  it.each(Object.keys(manifest.dependencies))("%s: says why it is needed", (name) => {
    expect(documented().get(name)?.[1].length ?? 0).toBeGreaterThan(20);
  });
});
