/**
 * The Kafka protocol's primitive types (https://kafka.apache.org/protocol#protocol_types), for the
 * few non-flexible requests this project speaks itself: big-endian integers, INT16-length strings,
 * INT32-length bytes and arrays, -1 for null.
 */
import { SemaphoreError } from "../../../../shared/errors.js";

export class WireWriter {
  readonly #chunks: Buffer[] = [];

  int8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(value);
    return this.#push(b);
  }

  int16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(value);
    return this.#push(b);
  }

  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    return this.#push(b);
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, "utf8");
    return this.int16(bytes.length).#push(bytes);
  }

  bytes(value: Buffer): this {
    return this.int32(value.length).#push(value);
  }

  /** An INT32 count, then each item; null writes -1 (a nullable array). */
  array<T>(items: readonly T[] | null, write: (writer: this, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  #push(buffer: Buffer): this {
    this.#chunks.push(buffer);
    return this;
  }
}

/** Thrown when a response ends before its fields do: the peer speaks another version than asked. */
export class TruncatedResponseError extends SemaphoreError {}

export class WireReader {
  #offset = 0;

  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    return this.#take(1).readInt8();
  }

  int16(): number {
    return this.#take(2).readInt16BE();
  }

  int32(): number {
    return this.#take(4).readInt32BE();
  }

  int64(): bigint {
    return this.#take(8).readBigInt64BE();
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new TruncatedResponseError("a non-nullable string was null");
    return value;
  }

  nullableString(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.#take(length).toString("utf8");
  }

  bytes(): Buffer {
    const length = this.int32();
    return length < 0 ? Buffer.alloc(0) : Buffer.from(this.#take(length));
  }

  array<T>(read: (reader: this) => T): T[] {
    const count = this.int32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(read(this));
    return items;
  }

  #take(length: number): Buffer {
    if (this.#offset + length > this.buffer.length) {
      throw new TruncatedResponseError(
        `the response ended after ${this.buffer.length} bytes, ${this.#offset + length} were expected`,
      );
    }
    const slice = this.buffer.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return slice;
  }
}
