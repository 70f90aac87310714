// The READMEs describe every kind the registry lists, as its module declares it, and no other:
// adding a kind without its documentation, or changing a default the docs state, fails here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KINDS } from "../../shared/kinds/registry.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const consumerReadme = readFileSync(new URL("../../shared/consumer/README.md", import.meta.url), "utf8");

/** The cells of the markdown table rows whose first cell is a `code` kind id. */
function kindRows(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split("\n")) {
    const match = /^\| `([a-z-]+)` \|(.*)\|$/.exec(line);
    if (match)
      rows.set(
        match[1]!,
        match[2]!.split("|").map((cell) => cell.trim()),
      );
  }
  return rows;
}

/** The names in backticks of the consumer README's bullet for a kind. */
function documentedFields(kindId: string): string[] {
  const bullet = new RegExp(`^ {2}- \`${kindId}\`[^:]*: ([^;]+);`, "ms").exec(consumerReadme);
  if (bullet === null) return [];
  return [...bullet[1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
}

describe("the README's table of kinds", () => {
  const rows = kindRows(readme.slice(readme.indexOf("## What runs"), readme.indexOf("## Performance")));

  it("has one row per kind of the registry and none other", () => {
    expect([...rows.keys()].sort()).toEqual(KINDS.map((kind) => kind.id).sort());
  });

  it.each(KINDS.map((kind) => [kind.id, kind] as const))(
    "%s: states what one record is, its topic, key and schedule as declared",
    (id, kind) => {
      const [recordPer, , topic, key, schedule] = rows.get(id) ?? [];
      expect(recordPer).toBe(kind.recordPer);
      expect(topic).toBe(`\`${kind.defaultTopic}\``);
      expect(key).toBe(kind.recordKey);
      expect(schedule).toBe(`\`${kind.deployment.schedule}\``);
    },
  );

  it.each(KINDS.flatMap((kind) => Object.keys(kind.monitoring.thresholds).map((name) => [kind.id, name])))(
    "%s: its alarm threshold %s is in the configuration table",
    (id, name) => {
      expect(readme).toMatch(
        new RegExp(`sweeps\\.<kind>\\.alarms\\.<name>\` \\|[^\\n]*\`${id}\`: \`${name}\``),
      );
    },
  );
});

describe("the consumer README", () => {
  it.each(KINDS.map((kind) => [kind.id, kind] as const))("%s: lists its line fields in order", (id, kind) => {
    expect(documentedFields(id)).toEqual(Object.keys(kind.consumer.fields));
  });

  it.each(KINDS.map((kind) => [kind.id, kind] as const))("%s: names each of its metrics", (id, kind) => {
    const row = consumerReadme.split("\n").find((line) => line.startsWith(`| \`${id}\`: `)) ?? "";
    for (const metric of kind.consumer.metrics) expect(row).toContain(`\`${metric.name}\``);
  });
});
