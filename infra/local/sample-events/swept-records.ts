/**
 * Records of every kind from its real sweep (the sweep engine and the kind's own mapping) against
 * the simulator, at a fixed slot and a frozen clock, so that the same code always makes the same
 * records: the source of the consumer's sample events.
 */
import type { ProduceResult, RecordProducer } from "../../../shared/kafka/producer.js";
import type { TelemetryRecord } from "../../../shared/kafka/record.js";
import { KINDS, type KindId } from "../../../shared/kinds/registry.js";
import { MerakiClient } from "../../../shared/meraki/index.js";
import { InventoryCache } from "../../../shared/sweeps/inventory.js";
import { runSweep } from "../../../shared/sweeps/run-sweep.js";
import type { StackConfig } from "../../config/stack-config.js";
import { type SimulatorRequest, startMerakiSimulator } from "../meraki-simulator/index.js";

/** The slot of the samples: the one the README's examples and test/events/scheduler.json use. */
export const SAMPLE_SCHEDULED_TIME = "2026-11-22T10:05:00Z";
/** The sweeps' and the simulated API's "now": a second into the slot. */
export const SAMPLE_NOW = new Date("2026-11-22T10:05:01Z");

/**
 * One mixed organisation with every device family: the organisation the sample events come from
 * and the one test/kinds sweeps every kind on.
 */
export const MIXED_ORGANIZATION = {
  seed: 13,
  organizations: 1,
  networksPerOrg: 12,
  devicesPerOrg: 120,
  clientsPerNetwork: 6,
} as const;

/** A producer that keeps what it is given: the records exactly as the sweep would send them. */
export class KeepingProducer implements RecordProducer {
  readonly records: TelemetryRecord[] = [];
  async produce(records: TelemetryRecord[]): Promise<ProduceResult> {
    this.records.push(...records);
    return { delivered: records.length, bytes: 0 };
  }
}

/** Every enabled kind's records of the sample slot, with the stack config's topics and periods. */
export async function sweptRecords(config: StackConfig): Promise<Map<KindId, TelemetryRecord[]>> {
  const now = () => SAMPLE_NOW;
  const simulator = await startMerakiSimulator({ ...MIXED_ORGANIZATION, rateLimitPerSecond: 10_000, now });
  try {
    seedApiRequestLog(simulator.requests, simulator.dataset.organizations[0]!.id);
    const meraki = new MerakiClient({
      apiKey: simulator.apiKey,
      baseUrl: simulator.baseUrl,
      requestsPerSecond: 10_000,
    });
    const byKind = new Map<KindId, TelemetryRecord[]>();
    for (const kind of KINDS.filter((k) => config.sweeps[k.id].enabled)) {
      const producer = new KeepingProducer();
      await runSweep({
        kind,
        settings: {
          topic: config.sweeps[kind.id].topic,
          periodSeconds: config.sweeps[kind.id].windowSeconds,
          organizationIds: [],
          organizationConcurrency: 1,
        },
        meraki,
        inventory: new InventoryCache({ ttlMs: 3_600_000 }),
        producer,
        scheduledTime: new Date(SAMPLE_SCHEDULED_TIME),
        sweepId: SAMPLE_SCHEDULED_TIME,
        now,
      });
      byKind.set(kind.id, producer.records);
    }
    return byKind;
  } finally {
    await simulator.stop();
  }
}

/**
 * The API-requests kind reports the organisation's request log for its window; the simulator keeps
 * wall-clock times and answers on its frozen clock (a request k ms ago counts k ms before its now),
 * so the last hour before the sample's now gets traffic, four requests a minute, some refused.
 */
function seedApiRequestLog(log: SimulatorRequest[], organizationId: string): void {
  const wallNow = Date.now();
  for (let minute = 1; minute <= 60; minute++) {
    // Half a minute off the minute: never on an interval's edge, however long the sweep takes.
    const at = wallNow - minute * 60_000 + 30_000;
    for (const status of [200, 200, 200, minute % 10 === 0 ? 429 : 200]) {
      log.push({
        method: "GET",
        path: "/organizations",
        query: {},
        status,
        organizationId,
        at,
        receivedAt: at,
      });
    }
  }
}
