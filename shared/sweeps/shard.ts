// Shards of a per-network kind: N invocations of the same sweep, each covering the networks whose
// stable hash falls in its shard, so that an organisation too large for one invocation is covered by
// N of them. The hash is of the network id alone (not of its position in a list, which changes as
// networks come and go), so a network stays in its shard from one period to the next, and record
// ids and keys are what an unsharded sweep would have made.

/** One of `count` shards; `index` is 0 .. count - 1. */
export interface Shard {
  index: number;
  count: number;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`: stable across processes, runtimes and releases. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash;
}

/** The shard (0 .. count - 1) a network belongs to when its kind is split into `count` shards. */
export function shardOfNetwork(networkId: string, count: number): number {
  return fnv1a32(networkId) % count;
}

/** The networks one shard sweeps, in their original order; without a shard, all of them. */
export function networksOfShard<T extends { id: string }>(
  networks: Iterable<T>,
  shard: Shard | undefined,
): T[] {
  const all = [...networks];
  if (shard === undefined) return all;
  return all.filter((network) => shardOfNetwork(network.id, shard.count) === shard.index);
}
