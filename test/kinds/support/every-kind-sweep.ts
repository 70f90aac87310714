// One sweep of every kind of the registry against the simulator (one mixed organisation with every
// device family), its records kept: what test/kinds checks every kind's promises on.
import { type RunningSimulator, startMerakiSimulator } from "../../../infra/local/meraki-simulator/index.js";
import { KeepingProducer, MIXED_ORGANIZATION } from "../../../infra/local/sample-events/swept-records.js";
import type { TelemetryRecord } from "../../../shared/kafka/record.js";
import { KINDS } from "../../../shared/kinds/registry.js";
import { MerakiClient } from "../../../shared/meraki/index.js";
import type { RefusedRecord } from "../../../shared/schemas/check-records.js";
import { InventoryCache } from "../../../shared/sweeps/inventory.js";
import { runSweep, type SweepSummary } from "../../../shared/sweeps/run-sweep.js";

export interface KindSweep {
  records: TelemetryRecord[];
  summary: SweepSummary;
  /** What the kind's schema refused before produce. */
  refused: RefusedRecord[];
}

export interface EveryKindSweep {
  simulator: RunningSimulator;
  byKind: Map<string, KindSweep>;
}

export async function sweepEveryKind(): Promise<EveryKindSweep> {
  const simulator = await startMerakiSimulator({ ...MIXED_ORGANIZATION, rateLimitPerSecond: 10_000 });
  const meraki = new MerakiClient({
    apiKey: simulator.apiKey,
    baseUrl: simulator.baseUrl,
    requestsPerSecond: 10_000,
  });
  const periodMs = 3_600_000;
  // A slot safely in the past: every kind's window has ended and its data delay passed.
  const scheduledTime = new Date(Math.floor((Date.now() - 2 * periodMs) / periodMs) * periodMs);
  // The API-requests kind reports what the organisation's log holds for the window; the sweeps
  // run now, long after that window, so the log gets an hour of earlier traffic.
  const organizationId = simulator.dataset.organizations[0]!.id;
  for (let minute = 0; minute < 60; minute++) {
    const at = scheduledTime.getTime() - periodMs + minute * 60_000;
    for (const status of [200, 200, 200, minute % 10 === 0 ? 429 : 200]) {
      simulator.requests.push({
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
  const byKind = new Map<string, KindSweep>();
  for (const kind of KINDS) {
    const producer = new KeepingProducer();
    const refused: RefusedRecord[] = [];
    const summary = await runSweep({
      kind,
      settings: {
        topic: kind.defaultTopic,
        periodSeconds: 3600,
        organizationIds: [],
        organizationConcurrency: 1,
      },
      meraki,
      inventory: new InventoryCache({ ttlMs: 3_600_000 }),
      producer,
      scheduledTime,
      sweepId: scheduledTime.toISOString(),
      onRefusedRecord: (record) => refused.push(record),
    });
    byKind.set(kind.id, { records: producer.records, summary, refused });
  }
  return { simulator, byKind };
}
