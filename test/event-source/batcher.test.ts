import type { Message } from "@confluentinc/kafka-javascript";
import { describe, expect, it } from "vitest";
import { RecordBatcher, type RecordSource } from "../../infra/local/event-source/batcher.js";
import { type PolledRecord, toPolledRecord } from "../../infra/local/event-source/event.js";

// The batcher on its own, fed by a scripted source: rebalance timing cannot be arranged on a real
// broker, and these cases are about exactly that timing.

function record(partition: number, offset: number): PolledRecord {
  const message: Message = {
    topic: "meraki.devices.statuses",
    partition,
    offset,
    key: Buffer.from(`Q2XX-${offset}`),
    value: Buffer.from("{}"),
    size: 2,
    timestamp: 1_795_000_000_000,
  };
  return toPolledRecord(message);
}

const limits = {
  batchSize: 10,
  windowMs: 0,
  maxPayloadBytes: 6 * 1024 * 1024,
  envelopeBytes: 100,
  pollSliceMs: 50,
};

const position = (r: PolledRecord) => `${r.partition}@${r.offset}`;

/** Answers polls from `polls` in turn; once they run out, waits as a real poll would and returns []. */
function scripted(polls: Array<() => PolledRecord[]>): RecordSource {
  return {
    poll: async (_max, timeoutMs) => {
      const next = polls.shift();
      if (next) return next();
      await new Promise((resolve) => setTimeout(resolve, timeoutMs));
      return [];
    },
  };
}

describe("RecordBatcher", () => {
  it("keeps what a poll returns even when a revocation discarded other records while it ran", async () => {
    const polls: Array<() => PolledRecord[]> = [
      () => [record(0, 0)],
      () => {
        batcher.discard([{ topic: "meraki.devices.statuses", partition: 0 }]); // as a rebalance callback would
        return [record(1, 5), record(1, 6)];
      },
    ];
    const source = scripted(polls);
    const batcher = new RecordBatcher(source, { ...limits, batchSize: 2, windowMs: 60_000 });

    const giveUp = Date.now() + 2_000; // without the records, next() would wait for more
    const batch = await batcher.next(() => Date.now() > giveUp);

    expect(batch.map(position)).toEqual(["1@5", "1@6"]);
  });

  it("returns [] once stopping, dropping the partial batch (it was never committed)", async () => {
    let stopping = false;
    const source: RecordSource = {
      poll: async () => {
        stopping = true;
        return [record(0, 0)];
      },
    };
    const batcher = new RecordBatcher(source, { ...limits, windowMs: 60_000 });

    expect(await batcher.next(() => stopping)).toEqual([]);
  });
});
