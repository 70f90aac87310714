import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type PacketLossRow,
  packetLossEnvelope,
  packetLossRecords,
} from "../../shared/kinds/wireless-packet-loss.js";

const SCHEMA = "semaphore.wireless-packet-loss.v1";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_24329156", { id: "N_24329156", name: "Main Office" }]]),
  devices: new Map([
    [
      "Q234-ABCD-5678",
      {
        serial: "Q234-ABCD-5678",
        name: "Lobby AP",
        model: "MR46",
        mac: "00:11:22:33:44:55",
        networkId: "N_24329156",
      },
    ],
  ]),
  window: { start: "2026-11-22T09:45:00Z", end: "2026-11-22T09:55:00Z" },
  sweepId: "2026-11-22T10:00:00Z",
  observedAt: "2026-11-22T10:00:01Z",
  topic: "meraki.wireless.packet-loss",
};

const row: PacketLossRow = {
  downstream: { total: 1000, lost: 10, lossPercentage: 1 },
  upstream: { total: 1200, lost: 15, lossPercentage: 1.3 },
  network: { id: "N_24329156", name: "Main Office" },
  device: { name: "My AP", serial: "Q234-ABCD-5678", mac: "00:11:22:33:44:55" },
};

describe("packetLossRecords", () => {
  it("maps an access point's row to the envelope, keyed by serial", () => {
    const { records, dropped } = packetLossRecords([row], input);
    const id = recordId(SCHEMA, "2930418", "Q234-ABCD-5678|N_24329156", input.window.start);
    expect(dropped).toEqual({});
    expect(records).toHaveLength(1);
    expect(records[0]!.key).toBe("Q234-ABCD-5678");
    expect(records[0]!.headers).toEqual({
      "content-type": "application/json",
      schema: SCHEMA,
      "record-id": id,
    });
    const envelope = JSON.parse(records[0]!.value);
    expect(envelope).toEqual({
      schema: SCHEMA,
      id,
      sweepId: input.sweepId,
      observedAt: input.observedAt,
      window: input.window,
      source: {
        organizationId: "2930418",
        organizationName: "My organization",
        networkId: "N_24329156",
        networkName: "Main Office",
        serial: "Q234-ABCD-5678",
        deviceName: "My AP",
        model: "MR46",
        mac: "00:11:22:33:44:55",
      },
      data: {
        downstream: { total: 1000, lost: 10, lossPercent: 1 },
        upstream: { total: 1200, lost: 15, lossPercent: 1.3 },
      },
    });
    expect(packetLossEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("keeps what the API reported as null as null", () => {
    const partial = { ...row, downstream: null, upstream: { total: 0, lost: 0, lossPercentage: null } };
    const envelope = JSON.parse(packetLossRecords([partial], input).records[0]!.value);
    expect(envelope.data).toEqual({
      downstream: { total: null, lost: null, lossPercent: null },
      upstream: { total: 0, lost: 0, lossPercent: null },
    });
    expect(packetLossEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("names an access point the row leaves unnamed from the inventory, and null what neither knows", () => {
    const bare = { ...row, network: null, device: { name: null, serial: "Q234-ABCD-5678", mac: null } };
    const unknown = { ...row, network: null, device: { name: null, serial: "Q999-0000-0000", mac: null } };
    const [known, missing] = packetLossRecords([bare, unknown], input).records.map((r) =>
      JSON.parse(r.value),
    );
    expect(known.source).toMatchObject({
      networkId: "N_24329156",
      networkName: "Main Office",
      deviceName: "Lobby AP",
      model: "MR46",
      mac: "00:11:22:33:44:55",
    });
    expect(missing.source).toMatchObject({
      networkId: null,
      networkName: null,
      deviceName: null,
      model: null,
      mac: null,
    });
    expect(packetLossEnvelope.safeParse(missing).success).toBe(true);
  });

  it("gives an access point reported in two networks one record per network", () => {
    const moved = { ...row, network: { id: "N_2", name: "Annex" } };
    const { records } = packetLossRecords([row, moved], input);
    expect(records.map((r) => r.key)).toEqual(["Q234-ABCD-5678", "Q234-ABCD-5678"]);
    expect(new Set(records.map((r) => r.headers["record-id"])).size).toBe(2);
  });

  it("drops and counts rows without a device serial", () => {
    const { records, dropped } = packetLossRecords(
      [row, { ...row, device: null }, { ...row, device: { name: "x", serial: null, mac: null } }],
      input,
    );
    expect(records).toHaveLength(1);
    expect(dropped).toEqual({ "null-serial": 2 });
  });

  it("gives the same record id for the same subject and window, and another for the next window", () => {
    const a = packetLossRecords([row], input).records[0]!.headers["record-id"];
    const retried = packetLossRecords([row], { ...input, sweepId: "retry" }).records[0]!.headers["record-id"];
    const next = packetLossRecords([row], {
      ...input,
      window: { start: "2026-11-22T09:55:00Z", end: "2026-11-22T10:05:00Z" },
    }).records[0]!.headers["record-id"];
    expect(retried).toBe(a);
    expect(next).not.toBe(a);
  });
});
