import { createHash } from "node:crypto";
import { type KafkaCredentials, type KafkaProducerSettings, KafkaTelemetryProducer } from "./producer.js";

/**
 * Keeps one connected producer across warm invocations. A new one is built when the credentials
 * change (secret rotation) or the old one became unusable (authentication or fatal error).
 */
export class ProducerCache {
  #current: { fingerprint: string; producer: KafkaTelemetryProducer } | undefined;

  async get(settings: KafkaProducerSettings, credentials: KafkaCredentials): Promise<KafkaTelemetryProducer> {
    const fingerprint = createHash("sha256")
      .update(JSON.stringify([settings, credentials.username, credentials.password]))
      .digest("hex");
    const current = this.#current;
    if (current && current.fingerprint === fingerprint && current.producer.healthy) return current.producer;
    this.#current = undefined;
    if (current) await current.producer.disconnect();
    const producer = await KafkaTelemetryProducer.connect(settings, credentials);
    this.#current = { fingerprint, producer };
    return producer;
  }

  async close(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    if (current) await current.producer.disconnect();
  }
}
