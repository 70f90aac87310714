// What the consumer makes of the wireless and switch records: each kind's line fields and the
// contribution of a record to each of its metrics, as the kinds declare them.
import { describe, expect, it } from "vitest";
import type { AnyTelemetryKind } from "../../shared/kinds/kind.js";
import { switchPortStatuses } from "../../shared/kinds/switch-port-statuses.js";
import { wirelessChannelUtilization } from "../../shared/kinds/wireless-channel-utilization.js";
import { wirelessClientsOverview } from "../../shared/kinds/wireless-clients-overview.js";
import { wirelessPacketLoss } from "../../shared/kinds/wireless-packet-loss.js";
import type { EnvelopeBase } from "../../shared/schemas/envelope.js";

const head = {
  id: "0123456789abcdef0123456789abcdef",
  sweepId: "s",
  observedAt: "2026-11-22T10:00:01Z",
  window: { start: "2026-11-22T09:45:00Z", end: "2026-11-22T09:55:00Z" },
};
const source = {
  organizationId: "1",
  organizationName: null,
  networkId: "N_1",
  networkName: null,
  serial: "Q234-ABCD-5678",
  deviceName: null,
  model: "MR46",
  mac: null,
};

/** The line fields and the metric contributions the consumer computes for one envelope. */
function consume(kind: AnyTelemetryKind, envelope: EnvelopeBase) {
  const parsed = kind.schema.envelope.parse(envelope);
  const summary = kind.consumer.summarise(parsed);
  return {
    fields: Object.fromEntries(
      Object.entries(kind.consumer.fields).map(([name, of]) => [name, of(parsed, summary)]),
    ),
    metrics: Object.fromEntries(
      kind.consumer.metrics.map((metric) => {
        const contribution = metric.observe(parsed, summary);
        const dimensions = Object.fromEntries(
          Object.entries(metric.dimensions).map(([n, of]) => [n, of(parsed)]),
        );
        return [metric.name, { contribution, dimensions }];
      }),
    ),
  };
}

describe("wireless-channel-utilization in the consumer", () => {
  const sample = (start: string, end: string, totalPercent: number | null) => ({
    start,
    end,
    totalPercent,
    wifiPercent: totalPercent === null ? null : totalPercent - 2,
    nonWifiPercent: totalPercent === null ? null : 2,
  });
  const envelope = {
    ...head,
    schema: "semaphore.wireless-channel-utilization.v1",
    source,
    data: {
      band: "5",
      samples: [
        sample("2026-11-22T09:45:00Z", "2026-11-22T09:50:00Z", 30),
        sample("2026-11-22T09:50:00Z", "2026-11-22T09:55:00Z", 50),
      ],
    },
  };

  it("writes the newest, average and worst interval", () => {
    expect(consume(wirelessChannelUtilization, envelope).fields).toEqual({
      model: "MR46",
      band: "5",
      utilizationPercent: 50,
      utilizationPercentAvg: 40,
      utilizationPercentMax: 50,
      wifiPercentAvg: 38,
      nonWifiPercentAvg: 2,
      samples: 2,
    });
  });

  it("contributes every interval to the band's metrics", () => {
    const { metrics } = consume(wirelessChannelUtilization, envelope);
    expect(metrics.ChannelUtilizationPercentMax).toEqual({
      contribution: expect.objectContaining({ sum: 80, count: 2, min: 30, max: 50 }),
      dimensions: { Band: "5" },
    });
  });

  it("puts a band the API does not name under Band other", () => {
    const { metrics } = consume(wirelessChannelUtilization, {
      ...envelope,
      data: { ...envelope.data, band: "60" },
    });
    expect(metrics.ChannelUtilizationPercentAvg!.dimensions).toEqual({ Band: "other" });
  });

  it("contributes nothing when no interval has a value", () => {
    const empty = {
      ...envelope,
      data: { band: "5", samples: [sample("2026-11-22T09:45:00Z", "2026-11-22T09:50:00Z", null)] },
    };
    const { fields, metrics } = consume(wirelessChannelUtilization, empty);
    expect(fields).toMatchObject({
      utilizationPercent: null,
      utilizationPercentAvg: null,
      utilizationPercentMax: null,
    });
    expect(metrics.ChannelUtilizationPercentAvg!.contribution).toBeNull();
  });
});

describe("wireless-packet-loss in the consumer", () => {
  const envelope = {
    ...head,
    schema: "semaphore.wireless-packet-loss.v1",
    source,
    data: {
      downstream: { total: 1000, lost: 10, lossPercent: 1 },
      upstream: { total: null, lost: null, lossPercent: null },
    },
  };

  it("contributes each direction's loss and packets, and nothing the API did not report", () => {
    const { metrics } = consume(wirelessPacketLoss, envelope);
    expect(Object.fromEntries(Object.entries(metrics).map(([name, m]) => [name, m.contribution]))).toEqual({
      WirelessDownstreamLossPercentAvg: 1,
      WirelessDownstreamLossPercentMax: 1,
      WirelessUpstreamLossPercentAvg: null,
      WirelessUpstreamLossPercentMax: null,
      WirelessDownstreamPacketsLost: 10,
      WirelessDownstreamPackets: 1000,
      WirelessUpstreamPacketsLost: null,
      WirelessUpstreamPackets: null,
    });
  });
});

describe("wireless-clients-overview in the consumer", () => {
  it("contributes the access point's online clients to the network's sum and maximum", () => {
    const envelope = {
      ...head,
      schema: "semaphore.wireless-clients-overview.v1",
      source: { ...source, mac: undefined },
      data: { onlineClients: 7 },
    };
    const { fields, metrics } = consume(wirelessClientsOverview, envelope);
    expect(fields).toEqual({ model: "MR46", onlineClients: 7 });
    expect(metrics.WirelessClientsOnline!.contribution).toBe(7);
    expect(metrics.WirelessClientsOnlinePerApMax!.contribution).toBe(7);
  });
});

describe("switch-port-statuses in the consumer", () => {
  const data = {
    portId: "3",
    enabled: true,
    status: "Connected",
    isUplink: false,
    errors: ["PoE overload"],
    warnings: [],
    speed: "1 Gbps",
    duplex: "full",
    spanningTreeStatuses: ["Forwarding"],
    poeAllocated: true,
    securePort: { active: false, authenticationStatus: "Disabled" },
  };
  const envelope = {
    ...head,
    schema: "semaphore.switch-port-status.v1",
    source: { ...source, model: "MS120-8LP" },
    data,
  };

  it("counts the port by status, with errors and drawing PoE, but not with warnings", () => {
    const { metrics } = consume(switchPortStatuses, envelope);
    expect(metrics).toEqual({
      SwitchPorts: { contribution: "Q234-ABCD-5678:3", dimensions: { Status: "Connected" } },
      SwitchPortsWithErrors: { contribution: "Q234-ABCD-5678:3", dimensions: {} },
      SwitchPortsWithWarnings: { contribution: null, dimensions: {} },
      SwitchPortsPoeAllocated: { contribution: "Q234-ABCD-5678:3", dimensions: {} },
    });
  });

  it("puts a status the spec does not name under Status other", () => {
    const { metrics } = consume(switchPortStatuses, { ...envelope, data: { ...data, status: null } });
    expect(metrics.SwitchPorts!.dimensions).toEqual({ Status: "other" });
  });
});
