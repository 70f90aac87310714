/**
 * Gathers polled records into invocation batches the way the event source mapping does: a batch is
 * handed over when it holds `batchSize` records, when adding the next record would take the event
 * past Lambda's invocation payload limit, or when the batching window (counted from the batch's first
 * record) has passed, whichever comes first.
 */
import type { TopicPartition } from "@confluentinc/kafka-javascript";
import { groupKeyBytes, type PolledRecord } from "./event.js";

export interface RecordSource {
  /** Up to `max` records, waiting at most `timeoutMs` for the first one. */
  poll(max: number, timeoutMs: number): Promise<PolledRecord[]>;
}

export interface BatchLimits {
  batchSize: number;
  windowMs: number;
  /** Largest event JSON, in bytes. */
  maxPayloadBytes: number;
  /** Bytes of the event JSON with no records. */
  envelopeBytes: number;
  /** Longest single poll, so a stop request is noticed promptly. */
  pollSliceMs: number;
}

export class RecordBatcher {
  readonly #source: RecordSource;
  readonly #limits: BatchLimits;
  /** Polled but not yet in a batch: only what did not fit a batch's payload. */
  #held: PolledRecord[] = [];
  #forming: PolledRecord[] = [];
  #windowEnd = 0;

  constructor(source: RecordSource, limits: BatchLimits) {
    this.#source = source;
    this.#limits = limits;
  }

  /**
   * The next batch, in poll order. Waits for records as long as it takes; returns [] only once
   * `stopping()` is true (the partial batch then stays uncommitted and is read again next time).
   */
  async next(stopping: () => boolean): Promise<PolledRecord[]> {
    this.#forming = [];
    for (;;) {
      if (this.#fill()) return this.#take();
      if (this.#forming.length > 0 && Date.now() >= this.#windowEnd) return this.#take();
      if (stopping()) return [];
      const { batchSize, pollSliceMs } = this.#limits;
      const wait =
        this.#forming.length === 0 ? pollSliceMs : Math.min(pollSliceMs, this.#windowEnd - Date.now());
      // Not `this.#held.push(...(await ...))`: that would push into the array read before the await,
      // which discard() may have replaced meanwhile.
      const polled = await this.#source.poll(batchSize - this.#forming.length, wait);
      this.#held.push(...polled);
    }
  }

  /**
   * Keeps polling for `durationMs` without forming a batch (the caller pauses the partitions, so the
   * group membership stays alive and rebalances are served). Anything still returned is kept, in
   * order, for the next batch.
   */
  async idle(durationMs: number, stopping: () => boolean): Promise<void> {
    const until = Date.now() + durationMs;
    while (!stopping() && Date.now() < until) {
      const wait = Math.min(this.#limits.pollSliceMs, until - Date.now());
      const polled = await this.#source.poll(1, wait);
      this.#held.push(...polled);
    }
  }

  /** Forgets polled records of partitions this member no longer owns. */
  discard(partitions: readonly TopicPartition[]): void {
    const gone = new Set(partitions.map((p) => `${p.topic}\u0000${p.partition}`));
    const kept = (r: PolledRecord) => !gone.has(`${r.topic}\u0000${r.partition}`);
    this.#held = this.#held.filter(kept);
    this.#forming = this.#forming.filter(kept);
  }

  /** Moves held records into the forming batch; true when the batch is full (by count or payload). */
  #fill(): boolean {
    const { batchSize, maxPayloadBytes } = this.#limits;
    let bytes = this.#payloadBytes(this.#forming);
    const partitions = new Set(this.#forming.map((r) => `${r.topic}\u0000${r.partition}`));
    while (this.#held.length > 0) {
      if (this.#forming.length >= batchSize) return true;
      const next = this.#held[0]!;
      const partition = `${next.topic}\u0000${next.partition}`;
      const added =
        next.payloadBytes + (partitions.has(partition) ? 0 : groupKeyBytes(next.topic, next.partition));
      // A record bigger than the limit on its own still goes, alone: it cannot be split.
      if (this.#forming.length > 0 && bytes + added > maxPayloadBytes) return true;
      this.#held.shift();
      if (this.#forming.length === 0) this.#windowEnd = Date.now() + this.#limits.windowMs;
      this.#forming.push(next);
      partitions.add(partition);
      bytes += added;
    }
    return this.#forming.length >= batchSize;
  }

  #payloadBytes(records: readonly PolledRecord[]): number {
    const partitions = new Set<string>();
    let bytes = this.#limits.envelopeBytes;
    for (const r of records) {
      const partition = `${r.topic}\u0000${r.partition}`;
      if (!partitions.has(partition)) bytes += groupKeyBytes(r.topic, r.partition);
      partitions.add(partition);
      bytes += r.payloadBytes;
    }
    return bytes;
  }

  #take(): PolledRecord[] {
    const batch = this.#forming;
    this.#forming = [];
    return batch;
  }
}
