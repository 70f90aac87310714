// Deterministic randomness. Math.random would make every run different; fixtures must be a pure
// function of the seed so that tests can compare bodies byte for byte.

/** mulberry32: tiny and fast; its statistical quality is ample for synthetic inventory. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = hash32(`seed:${seed}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError("pick from an empty list");
    return item;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new RangeError("weighted pick from an empty list");
    return last[0];
  }

  chars(alphabet: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** `count` random bytes as lower-case hex pairs joined by `separator`. */
  bytes(count: number, separator: string): string {
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(this.int(0, 255).toString(16).padStart(2, "0"));
    return parts.join(separator);
  }
}

/** FNV-1a with a murmur3 finaliser: a stable 32-bit hash of text, independent of call order. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Uniform in [0, 1) from a key. Used where a value must depend only on what it describes (a device
 * and a timestamp), not on how many values were drawn before it.
 */
export function unitFromKey(key: string): number {
  return hash32(key) / 4294967296;
}
