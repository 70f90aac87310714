import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type ApplianceUplinksUsageRow,
  applianceUplinksUsage,
  applianceUplinkUsageEnvelope,
  applianceUplinkUsageRecords,
} from "../../shared/kinds/appliance-uplinks-usage.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_24329156", { id: "N_24329156", name: "Main Office (inventory)" }]]),
  devices: new Map([
    ["Q234-ABCD-5678", { serial: "Q234-ABCD-5678", name: "Edge MX", model: "MX68", networkId: "N_24329156" }],
  ]),
  window: { start: "2026-11-22T09:40:00Z", end: "2026-11-22T09:55:00Z" },
  sweepId: "2026-11-22T10:00:00Z",
  observedAt: "2026-11-22T10:00:02Z",
  topic: "meraki.appliance.uplinks-usage",
};

// The spec's example, with a second uplink.
const row: ApplianceUplinksUsageRow = {
  networkId: "N_24329156",
  name: "Main Office",
  byUplink: [
    { serial: "Q234-ABCD-5678", interface: "wan1", sent: 200, received: 400 },
    { serial: "Q234-ABCD-5678", interface: "wan2", sent: 0, received: 0 },
  ],
};

const envelopesOf = (rows: ApplianceUplinksUsageRow[]) =>
  applianceUplinkUsageRecords(rows, input).records.map((r) =>
    applianceUplinkUsageEnvelope.parse(JSON.parse(r.value)),
  );

describe("applianceUplinkUsageRecords", () => {
  it("maps each uplink of a network to its own record, keyed by the network id", () => {
    const { records, dropped } = applianceUplinkUsageRecords([row], input);
    expect(dropped).toEqual({});
    expect(records.map((r) => [r.topic, r.key])).toEqual([
      ["meraki.appliance.uplinks-usage", "N_24329156"],
      ["meraki.appliance.uplinks-usage", "N_24329156"],
    ]);
  });

  it("writes the envelope with the network's name from the API and the device's from the inventory", () => {
    const [record] = applianceUplinkUsageRecords([row], input).records;
    const id = recordId(
      "semaphore.appliance-uplink-usage.v1",
      "2930418",
      "N_24329156|Q234-ABCD-5678|wan1",
      input.window.start,
    );
    expect(record!.headers).toEqual({
      "content-type": "application/json",
      schema: "semaphore.appliance-uplink-usage.v1",
      "record-id": id,
    });
    expect(JSON.parse(record!.value)).toEqual({
      schema: "semaphore.appliance-uplink-usage.v1",
      id,
      sweepId: "2026-11-22T10:00:00Z",
      observedAt: "2026-11-22T10:00:02Z",
      window: input.window,
      source: {
        organizationId: "2930418",
        organizationName: "My organization",
        networkId: "N_24329156",
        networkName: "Main Office",
        serial: "Q234-ABCD-5678",
        deviceName: "Edge MX",
        model: "MX68",
      },
      data: { interface: "wan1", sent: 200, received: 400 },
    });
  });

  it("keeps what the API reported as null as null, naming the network from the inventory", () => {
    const [envelope] = envelopesOf([{ networkId: "N_24329156", byUplink: [{ interface: "wan1" }] }]);
    expect(envelope!.source).toMatchObject({
      networkName: "Main Office (inventory)",
      serial: null,
      deviceName: null,
      model: null,
    });
    expect(envelope!.data).toEqual({ interface: "wan1", sent: null, received: null });
  });

  it("adds up the pieces of a window fetched in several calls into one record per uplink", () => {
    const later: ApplianceUplinksUsageRow = {
      ...row,
      byUplink: [
        { serial: "Q234-ABCD-5678", interface: "wan1", sent: 50, received: null },
        { serial: "Q234-ABCD-5678", interface: "wan2", sent: 1, received: 2 },
      ],
    };
    expect(envelopesOf([row, later]).map((e) => e.data)).toEqual([
      { interface: "wan1", sent: 250, received: 400 },
      { interface: "wan2", sent: 1, received: 2 },
    ]);
  });

  it("drops and counts rows without a network id and uplinks without an interface", () => {
    const { records, dropped } = applianceUplinkUsageRecords(
      [row, { ...row, networkId: null }, { networkId: "N_2", byUplink: [{ serial: "Q2", sent: 1 }] }],
      input,
    );
    expect(records).toHaveLength(2);
    expect(dropped).toEqual({ "no-network": 1, "no-interface": 1 });
  });

  it("gives the same ids for a retried window and others for the next window", () => {
    const ids = (extra: Partial<typeof input>) =>
      applianceUplinkUsageRecords([row], { ...input, ...extra }).records.map((r) => r.headers["record-id"]);
    const first = ids({});
    expect(ids({ sweepId: "retry" })).toEqual(first);
    const next = ids({ window: { start: "2026-11-22T09:55:00Z", end: "2026-11-22T10:10:00Z" } });
    expect(next.filter((id) => first.includes(id))).toEqual([]);
  });
});

describe("appliance-uplinks-usage metrics", () => {
  const [wan1] = envelopesOf([row]);
  const metric = (name: string) => applianceUplinksUsage.consumer.metrics.find((m) => m.name === name)!;

  it("sums bytes sent and received by uplink", () => {
    const sent = metric("ApplianceUplinkBytesSent");
    const received = metric("ApplianceUplinkBytesReceived");
    expect([sent.aggregation, sent.dimensions.Uplink!(wan1!), sent.observe(wan1!, undefined)]).toEqual([
      "sum",
      "wan1",
      200,
    ]);
    expect(received.observe(wan1!, undefined)).toBe(400);
  });
});
