import { describe, expect, it } from "vitest";
import { fnv1a32, networksOfShard, shardOfNetwork } from "../../shared/sweeps/shard.js";

/** Network ids shaped like the Dashboard API's (L_ and N_ followed by 18 digits). */
function networkIds(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `${i % 2 === 0 ? "L" : "N"}_${String(6468 + i * 7919).padStart(18, "0")}`,
  );
}

describe("fnv1a32", () => {
  it("is FNV-1a 32 over UTF-8: the published test vectors", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("hashes the UTF-8 bytes, not UTF-16 code units", () => {
    // "é" is U+00E9, two bytes in UTF-8 (0xc3 0xa9); value from an independent implementation.
    expect(fnv1a32("é")).toBe(0x1e9de8c1);
  });
});

describe("shardOfNetwork", () => {
  it("is stable: the same network is in the same shard on every call and in every process", () => {
    // Fixed values (from an independent implementation): a change of hash or of modulo would move
    // networks between the shards of a deployed stack, and this fails first.
    expect(shardOfNetwork("L_646829496481105433", 4)).toBe(1);
    expect(shardOfNetwork("L_646829496481105433", 3)).toBe(2);
    expect(["N_1", "N_2", "N_3", "L_1"].map((id) => shardOfNetwork(id, 4))).toEqual([1, 0, 3, 3]);
    const ids = networkIds(100);
    expect(ids.map((id) => shardOfNetwork(id, 5))).toEqual(ids.map((id) => shardOfNetwork(id, 5)));
  });

  it("puts every network in a shard of 0 .. count - 1, and in shard 0 when there is one shard", () => {
    for (const id of networkIds(500)) {
      expect(shardOfNetwork(id, 1)).toBe(0);
      const shard = shardOfNetwork(id, 7);
      expect(Number.isInteger(shard) && shard >= 0 && shard < 7).toBe(true);
    }
  });

  it.each([2, 4, 10])(
    "balances 10,000 networks over %i shards, each within a tenth of an equal share",
    (count) => {
      const sizes = new Array<number>(count).fill(0);
      for (const id of networkIds(10_000)) sizes[shardOfNetwork(id, count)]! += 1;
      const equal = 10_000 / count;
      for (const size of sizes) expect(Math.abs(size - equal) / equal).toBeLessThan(0.1);
    },
  );
});

describe("networksOfShard", () => {
  const networks = networkIds(300).map((id) => ({ id, name: `network ${id}` }));

  it("gives every network to exactly one of the shards, keeping the list's order", () => {
    const shards = [0, 1, 2].map((index) => networksOfShard(networks, { index, count: 3 }));
    const all = shards.flat().map((n) => n.id);
    expect(all.sort()).toEqual(networks.map((n) => n.id).sort());
    expect(new Set(all).size).toBe(networks.length);
    for (const shard of shards) {
      const positions = shard.map((n) => networks.indexOf(n));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it("gives every network when no shard is named", () => {
    expect(networksOfShard(networks, undefined)).toEqual(networks);
  });
});
