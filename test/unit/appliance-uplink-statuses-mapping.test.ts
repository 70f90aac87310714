import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type ApplianceUplinkStatusRow,
  applianceUplinkStatusEnvelope,
  applianceUplinkStatuses,
  applianceUplinkStatusRecords,
} from "../../shared/kinds/appliance-uplink-statuses.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_24329156", { id: "N_24329156", name: "Main Office" }]]),
  devices: new Map([
    [
      "Q234-ABCD-5678",
      { serial: "Q234-ABCD-5678", name: "Edge MX", model: "MX68C", networkId: "N_24329156" },
    ],
  ]),
  window: { start: "2026-11-22T09:55:00Z", end: "2026-11-22T10:00:00Z" },
  sweepId: "2026-11-22T10:00:00Z",
  observedAt: "2026-11-22T10:00:01Z",
  topic: "meraki.appliance.uplink-statuses",
};

const wan1 = {
  interface: "wan1",
  status: "active",
  ip: "1.2.3.4",
  gateway: "1.2.3.5",
  publicIp: "123.123.123.1",
  primaryDns: "8.8.8.8",
  secondaryDns: "8.8.4.4",
  ipAssignedBy: "static",
};

// The spec's example, with a second uplink.
const row: ApplianceUplinkStatusRow = {
  networkId: "N_24329156",
  serial: "Q234-ABCD-5678",
  model: "MX68C",
  lastReportedAt: "2018-02-11T00:00:00Z",
  highAvailability: { enabled: true, role: "primary" },
  uplinks: [wan1, { ...wan1, interface: "wan2", status: "failed", publicIp: null }],
};

const envelopeOf = (value: string) => JSON.parse(value) as Record<string, unknown>;

describe("applianceUplinkStatusRecords", () => {
  it("maps each uplink of an appliance to its own record, keyed by serial and interface (compaction keeps each)", () => {
    const { records, dropped } = applianceUplinkStatusRecords([row], input);
    expect(dropped).toEqual({});
    expect(records.map((r) => [r.topic, r.key])).toEqual([
      ["meraki.appliance.uplink-statuses", "Q234-ABCD-5678:wan1"],
      ["meraki.appliance.uplink-statuses", "Q234-ABCD-5678:wan2"],
    ]);
  });

  it("writes the envelope with names from the inventory, the uplink's state and the appliance's HA", () => {
    const [record] = applianceUplinkStatusRecords([row], input).records;
    const id = recordId(
      "semaphore.appliance-uplink-status.v1",
      "2930418",
      "Q234-ABCD-5678|wan1",
      input.window.start,
    );
    expect(record!.headers).toEqual({
      "content-type": "application/json",
      schema: "semaphore.appliance-uplink-status.v1",
      "record-id": id,
    });
    const envelope = envelopeOf(record!.value);
    expect(envelope).toEqual({
      schema: "semaphore.appliance-uplink-status.v1",
      id,
      sweepId: "2026-11-22T10:00:00Z",
      observedAt: "2026-11-22T10:00:01Z",
      window: input.window,
      source: {
        organizationId: "2930418",
        organizationName: "My organization",
        networkId: "N_24329156",
        networkName: "Main Office",
        serial: "Q234-ABCD-5678",
        deviceName: "Edge MX",
        model: "MX68C",
      },
      data: {
        interface: "wan1",
        status: "active",
        ip: "1.2.3.4",
        gateway: "1.2.3.5",
        publicIp: "123.123.123.1",
        primaryDns: "8.8.8.8",
        secondaryDns: "8.8.4.4",
        ipAssignedBy: "static",
        highAvailability: { enabled: true, role: "primary" },
        lastReportedAt: "2018-02-11T00:00:00Z",
      },
    });
    expect(applianceUplinkStatusEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("keeps what the API reported as null (or left out) as null", () => {
    const sparse: ApplianceUplinkStatusRow = {
      serial: "Q234-ABCD-5678",
      uplinks: [{ interface: "cellular" }],
    };
    const envelope = envelopeOf(applianceUplinkStatusRecords([sparse], input).records[0]!.value);
    expect(envelope.data).toEqual({
      interface: "cellular",
      status: null,
      ip: null,
      gateway: null,
      publicIp: null,
      primaryDns: null,
      secondaryDns: null,
      ipAssignedBy: null,
      highAvailability: { enabled: null, role: null },
      lastReportedAt: null,
    });
    // The inventory still names the device and its network.
    expect(envelope.source).toMatchObject({
      networkId: "N_24329156",
      networkName: "Main Office",
      model: "MX68C",
    });
    expect(applianceUplinkStatusEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("leaves the names null for an appliance the inventory does not know", () => {
    const unknown = { ...row, serial: "Q2ZZ-ZZZZ-ZZZZ", networkId: "N_1", model: null };
    const envelope = envelopeOf(applianceUplinkStatusRecords([unknown], input).records[0]!.value);
    expect(envelope.source).toEqual({
      organizationId: "2930418",
      organizationName: "My organization",
      networkId: "N_1",
      networkName: null,
      serial: "Q2ZZ-ZZZZ-ZZZZ",
      deviceName: null,
      model: null,
    });
  });

  it("drops and counts appliances without a serial or uplinks, uplinks without an interface, and repeats", () => {
    const { records, dropped } = applianceUplinkStatusRecords(
      [
        row,
        { ...row, serial: null },
        { ...row, serial: "Q2AA-AAAA-AAAA", uplinks: [] },
        { ...row, serial: "Q2BB-BBBB-BBBB", uplinks: [{ ...wan1, interface: null }, wan1, wan1] },
      ],
      input,
    );
    expect(records.map((r) => JSON.parse(r.value).id)).toHaveLength(3);
    expect(dropped).toEqual({ "null-serial": 1, "no-uplinks": 1, "no-interface": 1, "duplicate-uplink": 1 });
  });

  it("gives the same ids for the same snapshot slot, and others for the next slot", () => {
    const ids = (extra: Partial<typeof input>) =>
      applianceUplinkStatusRecords([row], { ...input, ...extra }).records.map((r) => r.headers["record-id"]);
    const first = ids({});
    expect(ids({ sweepId: "retry", observedAt: "2026-11-22T10:01:00Z" })).toEqual(first);
    const next = ids({ window: { start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:05:00Z" } });
    expect(next.filter((id) => first.includes(id))).toEqual([]);
    expect(new Set(first).size).toBe(2);
  });
});

describe("appliance-uplink-statuses metrics", () => {
  const [active, failed] = applianceUplinkStatusRecords([row], input).records.map((r) =>
    applianceUplinkStatusEnvelope.parse(JSON.parse(r.value)),
  );
  const metric = (name: string) => applianceUplinkStatuses.consumer.metrics.find((m) => m.name === name)!;

  it("counts every uplink under its status", () => {
    const uplinks = metric("ApplianceUplinks");
    expect(
      [active, failed].map((e) => [uplinks.dimensions.Status!(e!), uplinks.observe(e!, undefined)]),
    ).toEqual([
      ["active", "Q234-ABCD-5678|wan1"],
      ["failed", "Q234-ABCD-5678|wan2"],
    ]);
  });

  it("counts only failed uplinks for the alarm", () => {
    const failedUplinks = metric("ApplianceUplinksFailed");
    expect([active, failed].map((e) => failedUplinks.observe(e!, undefined))).toEqual([
      null,
      "Q234-ABCD-5678|wan2",
    ]);
  });

  it("writes the HA flag as 1/0 on the line", () => {
    expect(applianceUplinkStatuses.consumer.fields.highAvailabilityEnabled!(active!, undefined)).toBe(1);
  });
});
