// A RecordProducer that counts what a sweep produced instead of sending it: the sweep rows measure
// the Meraki side, and the producer row measures Kafka on its own.

import type { ProduceResult, RecordProducer } from "../../shared/kafka/producer.js";
import type { TelemetryRecord } from "../../shared/kafka/record.js";

export class CountingProducer implements RecordProducer {
  records = 0;
  bytes = 0;
  readonly kept: TelemetryRecord[] = [];

  /** @param keep how many records to keep as a sample (the consumer row replays them). */
  constructor(private readonly keep = 0) {}

  async produce(records: TelemetryRecord[]): Promise<ProduceResult> {
    let bytes = 0;
    for (const record of records) {
      bytes += Buffer.byteLength(record.value);
      if (this.kept.length < this.keep) this.kept.push(record);
    }
    this.records += records.length;
    this.bytes += bytes;
    return { delivered: records.length, bytes };
  }
}
