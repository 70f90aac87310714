import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deviceStatusRecords } from "../../shared/kinds/device-statuses.js";
import { consumerUnderTest, NOW } from "./support/consumer.js";
import { kafkaEvent, produced } from "./support/kafka-event.js";
import {
  branch,
  branchWan1,
  clientRecords,
  floor2Ap,
  laptop,
  lobbyAp,
  mainOfficeWan1,
  mainOfficeWan2,
  networks,
  organization,
  printer,
  spareSwitch,
  statusRecords,
  TOPICS,
  uplinkRecords,
} from "./support/telemetry.js";

type Unit = "Count" | "Percent" | "Milliseconds";

/** An EMF document as Powertools Metrics prints it; `service` is its default dimension. */
function emf(
  timestamp: string | Date,
  dimensions: Record<string, string>,
  metrics: Array<[string, Unit, number]>,
  options: { dimensionSets?: string[][]; metadata?: Record<string, string> } = {},
) {
  return {
    _aws: {
      Timestamp: typeof timestamp === "string" ? Date.parse(timestamp) : timestamp.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: "Semaphore",
          Dimensions: options.dimensionSets ?? [["service", ...Object.keys(dimensions)]],
          Metrics: metrics.map(([name, unit]) => ({ Name: name, Unit: unit })),
        },
      ],
    },
    ...options.metadata,
    service: "semaphore-consumer",
    ...dimensions,
    ...Object.fromEntries(metrics.map(([name, , value]) => [name, value])),
  };
}

const UPLINK_WINDOW = "2026-11-22T09:58:00Z";
const WINDOW = "2026-11-22T10:00:00Z";
/** Device statuses are a snapshot: their metrics are stamped when it was taken, the window's end. */
const SNAPSHOT_AT = "2026-11-22T10:05:00Z";
const main = { organizationId: "2930418", networkName: "Main Office" };

/** The same appliance's wan1 probed towards a second address: another record, the same (network, uplink). */
const mainOfficeWan1ToCloudflare = {
  ...mainOfficeWan1,
  ip: "1.1.1.1",
  timeSeries: [
    { ts: "2026-11-22T09:58:00Z", lossPercent: 2, latencyMs: 30 },
    { ts: "2026-11-22T09:59:00Z", lossPercent: 0.5, latencyMs: 25 },
  ],
};

function mixedBatch() {
  return kafkaEvent([
    ...produced(uplinkRecords([mainOfficeWan1, mainOfficeWan1ToCloudflare, mainOfficeWan2, branchWan1])),
    ...produced(clientRecords([laptop, printer])),
    ...produced(clientRecords([laptop], branch)),
    ...produced(statusRecords([lobbyAp, floor2Ap, spareSwitch, lobbyAp])),
    { topic: TOPICS.statuses, value: "not json" },
  ]);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("EMF metrics", () => {
  it("aggregates a batch per network by default: one document per (network, uplink), per network, per (network, status)", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(mixedBatch());
    expect(consumer.emf()).toEqual([
      // Both probes of Main Office wan1: loss 0, 5.3, 1.2, 2, 0.5 and latency 20.5, 194.9, 31.1, 30, 25.
      emf(
        UPLINK_WINDOW,
        { NetworkId: "N_24329156", Uplink: "wan1" },
        [
          ["LossPercentAvg", "Percent", 1.8],
          ["LossPercentMax", "Percent", 5.3],
          ["LatencyMsAvg", "Milliseconds", 60.3],
          ["LatencyMsMax", "Milliseconds", 194.9],
        ],
        { metadata: main },
      ),
      emf(
        UPLINK_WINDOW,
        { NetworkId: "N_24329156", Uplink: "wan2" },
        [
          ["LossPercentAvg", "Percent", 0],
          ["LossPercentMax", "Percent", 0],
          ["LatencyMsAvg", "Milliseconds", 45],
          ["LatencyMsMax", "Milliseconds", 45],
        ],
        { metadata: main },
      ),
      emf(
        UPLINK_WINDOW,
        { NetworkId: "N_24329157", Uplink: "wan1" },
        [
          ["LossPercentAvg", "Percent", 15],
          ["LossPercentMax", "Percent", 20],
          ["LatencyMsAvg", "Milliseconds", 100],
          ["LatencyMsMax", "Milliseconds", 120],
        ],
        { metadata: { organizationId: "2930418", networkName: "Branch" } },
      ),
      emf(WINDOW, { NetworkId: "N_24329156" }, [["ClientsSeen", "Count", 2]], { metadata: main }),
      emf(WINDOW, { NetworkId: "N_24329157" }, [["ClientsSeen", "Count", 1]], {
        metadata: { organizationId: "2930418", networkName: "Branch" },
      }),
      emf(SNAPSHOT_AT, { NetworkId: "N_24329156", Status: "online" }, [["Devices", "Count", 1]], {
        metadata: main,
      }),
      emf(SNAPSHOT_AT, { NetworkId: "N_24329156", Status: "offline" }, [["Devices", "Count", 1]], {
        metadata: main,
      }),
      emf(SNAPSHOT_AT, { NetworkId: "unassigned", Status: "dormant" }, [["Devices", "Count", 1]], {
        metadata: { organizationId: "2930418" },
      }),
      emf(NOW, { Kind: "uplink-loss-latency" }, [
        ["RecordsAccepted", "Count", 4],
        ["RecordsDuplicate", "Count", 0],
        ["RecordsRejected", "Count", 0],
      ]),
      emf(NOW, { Kind: "network-clients" }, [
        ["RecordsAccepted", "Count", 3],
        ["RecordsDuplicate", "Count", 0],
        ["RecordsRejected", "Count", 0],
      ]),
      emf(NOW, { Kind: "device-statuses" }, [
        ["RecordsAccepted", "Count", 3],
        ["RecordsDuplicate", "Count", 1],
        ["RecordsRejected", "Count", 0],
      ]),
      emf(NOW, { Kind: "unknown" }, [
        ["RecordsAccepted", "Count", 0],
        ["RecordsDuplicate", "Count", 0],
        ["RecordsRejected", "Count", 1],
      ]),
      emf(NOW, { Reason: "not-json" }, [["RecordsRejected", "Count", 1]]),
      emf(NOW, {}, [["BatchRecords", "Count", 12]]),
    ]);
  });

  it("adds a per-device dimension set beside the per-network one when settings ask for device dimensions", async () => {
    const consumer = consumerUnderTest({ metricDimensions: "device" });
    await consumer.invoke(
      kafkaEvent([
        ...produced(uplinkRecords([mainOfficeWan1ToCloudflare])),
        ...produced(
          clientRecords([laptop, { ...printer, recentDeviceSerial: null, recentDeviceName: null }]),
        ),
        ...produced(statusRecords([floor2Ap])),
      ]),
    );
    expect(consumer.emf().slice(0, 4)).toEqual([
      emf(
        UPLINK_WINDOW,
        { NetworkId: "N_24329156", Uplink: "wan1", Serial: "Q234-ABCD-5678" },
        [
          ["LossPercentAvg", "Percent", 1.25],
          ["LossPercentMax", "Percent", 2],
          ["LatencyMsAvg", "Milliseconds", 27.5],
          ["LatencyMsMax", "Milliseconds", 30],
        ],
        {
          dimensionSets: [
            ["service", "NetworkId", "Uplink"],
            ["service", "NetworkId", "Serial", "Uplink"],
          ],
          metadata: { ...main, deviceName: "Edge MX" },
        },
      ),
      // A client belongs to the access point it was last seen on.
      emf(WINDOW, { NetworkId: "N_24329156", Serial: "Q234-ABCD-0001" }, [["ClientsSeen", "Count", 1]], {
        dimensionSets: [
          ["service", "NetworkId"],
          ["service", "NetworkId", "Serial"],
        ],
        metadata: { ...main, deviceName: "Lobby AP" },
      }),
      // ... and one seen on no known device only to its network.
      emf(WINDOW, { NetworkId: "N_24329156" }, [["ClientsSeen", "Count", 1]], { metadata: main }),
      emf(
        SNAPSHOT_AT,
        { NetworkId: "N_24329156", Status: "offline", Serial: "Q234-ABCD-0002" },
        [["Devices", "Count", 1]],
        {
          dimensionSets: [
            ["service", "NetworkId", "Status"],
            ["service", "NetworkId", "Serial", "Status"],
          ],
          metadata: { ...main, deviceName: "Floor 2 AP" },
        },
      ),
    ]);
  });

  it("writes device-mode documents, whose two sets share NetworkId, without a warning", async () => {
    const consumer = consumerUnderTest({ metricDimensions: "device" });
    await consumer.invoke(kafkaEvent(produced(uplinkRecords([mainOfficeWan1, mainOfficeWan2]))));
    expect(consumer.emf()).toHaveLength(4);
    expect(consumer.warnings()).toEqual([]);
  });

  it("keeps the snapshots of two sweeps in one batch apart, each at the time it was taken", async () => {
    const consumer = consumerUnderTest();
    const next = { start: "2026-11-22T10:05:00Z", end: "2026-11-22T10:10:00Z" };
    const later = deviceStatusRecords([lobbyAp], {
      organization,
      networks,
      window: next,
      sweepId: "2026-11-22T10:10:00Z",
      observedAt: "2026-11-22T10:10:01Z",
      topic: TOPICS.statuses,
    }).records;
    await consumer.invoke(kafkaEvent(produced([...statusRecords([lobbyAp]), ...later])));
    expect(consumer.emf().slice(0, 2)).toEqual([
      emf(SNAPSHOT_AT, { NetworkId: "N_24329156", Status: "online" }, [["Devices", "Count", 1]], {
        metadata: main,
      }),
      emf(next.end, { NetworkId: "N_24329156", Status: "online" }, [["Devices", "Count", 1]], {
        metadata: main,
      }),
    ]);
  });

  it("stamps telemetry older than CloudWatch accepts (14 days) with the processing time instead", async () => {
    const consumer = consumerUnderTest();
    const old = deviceStatusRecords([lobbyAp], {
      organization,
      networks,
      window: { start: "2026-11-01T10:00:00Z", end: "2026-11-01T10:05:00Z" },
      sweepId: "2026-11-01T10:05:00Z",
      observedAt: "2026-11-01T10:05:01Z",
      topic: TOPICS.statuses,
    }).records;
    await consumer.invoke(kafkaEvent(produced(old)));
    expect(consumer.emf()[0]).toEqual(
      emf(NOW, { NetworkId: "N_24329156", Status: "online" }, [["Devices", "Count", 1]], { metadata: main }),
    );
  });

  it("emits no loss or latency metric for an uplink whose samples all lack probe results", async () => {
    const consumer = consumerUnderTest();
    const silent = {
      ...mainOfficeWan2,
      timeSeries: [{ ts: "2026-11-22T09:58:00Z", lossPercent: null, latencyMs: null }],
    };
    await consumer.invoke(kafkaEvent(produced(uplinkRecords([silent]))));
    expect(
      consumer.emf().map((document) => Object.keys(document).filter((key) => /Loss|Latency/.test(key))),
    ).toEqual([[], []]);
    expect(consumer.emf()[0]).toMatchObject({ Kind: "uplink-loss-latency", RecordsAccepted: 1 });
  });
});
