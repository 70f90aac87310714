import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type DeviceAvailabilityChangeRow,
  deviceAvailabilityChangeEnvelope,
  deviceAvailabilityChangeRecords,
} from "../../shared/kinds/device-availability-changes.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_24329156", { id: "N_24329156", name: "Main Office" }]]),
  devices: new Map([
    [
      "Q234-ABCD-5678",
      { serial: "Q234-ABCD-5678", name: "Lobby AP", model: "MR34", networkId: "N_24329156" },
    ],
  ]),
  window: { start: "2026-11-22T09:55:00Z", end: "2026-11-22T10:00:00Z" },
  sweepId: "2026-11-22T10:05:00Z",
  observedAt: "2026-11-22T10:05:01Z",
  topic: "meraki.devices.availability-changes",
};

const row: DeviceAvailabilityChangeRow = {
  ts: "2026-11-22T09:57:12.090210Z",
  device: { serial: "Q234-ABCD-5678", name: "Lobby AP", productType: "wireless", model: "MR34" },
  details: { old: [{ name: "status", value: "online" }], new: [{ name: "status", value: "offline" }] },
  network: { id: "N_24329156", name: "Main Office", url: "https://n1.meraki.com/o/x", tags: ["east"] },
};

describe("deviceAvailabilityChangeRecords", () => {
  it("maps a change to the envelope, keyed by serial, its id naming the device, time and new status", () => {
    const { records, dropped } = deviceAvailabilityChangeRecords([row], input);
    const id = recordId(
      "semaphore.device-availability-change.v1",
      "2930418",
      "Q234-ABCD-5678|2026-11-22T09:57:12.090210Z|offline",
      input.window.start,
    );
    expect(dropped).toEqual({});
    expect(records.map((r) => [r.topic, r.key, r.headers["record-id"]])).toEqual([
      ["meraki.devices.availability-changes", "Q234-ABCD-5678", id],
    ]);
    const envelope = JSON.parse(records[0]!.value);
    expect(envelope).toEqual({
      schema: "semaphore.device-availability-change.v1",
      id,
      sweepId: "2026-11-22T10:05:00Z",
      observedAt: "2026-11-22T10:05:01Z",
      window: input.window,
      source: {
        organizationId: "2930418",
        organizationName: "My organization",
        networkId: "N_24329156",
        networkName: "Main Office",
        serial: "Q234-ABCD-5678",
        deviceName: "Lobby AP",
        model: "MR34",
        productType: "wireless",
      },
      data: {
        ts: "2026-11-22T09:57:12.090210Z",
        oldStatus: "online",
        newStatus: "offline",
        details: {
          old: [{ name: "status", value: "online" }],
          new: [{ name: "status", value: "offline" }],
        },
      },
    });
    expect(deviceAvailabilityChangeEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("leaves a change outside [window start, window end) to the window that holds it, and counts it", () => {
    const { records, dropped } = deviceAvailabilityChangeRecords(
      [
        { ...row, ts: "2026-11-22T09:55:00.000000Z" },
        { ...row, ts: "2026-11-22T09:54:59.999999Z" },
        { ...row, ts: "2026-11-22T10:00:00.000000Z" },
      ],
      input,
    );
    expect(records.map((r) => JSON.parse(r.value).data.ts)).toEqual(["2026-11-22T09:55:00.000000Z"]);
    expect(dropped).toEqual({ "outside-window": 2 });
  });

  it("drops and counts changes without a serial or a readable timestamp", () => {
    const { records, dropped } = deviceAvailabilityChangeRecords(
      [
        row,
        { ...row, device: { ...row.device, serial: null } },
        { ...row, device: null },
        { ...row, ts: "yesterday" },
        { ...row, ts: null },
      ],
      input,
    );
    expect(records).toHaveLength(1);
    expect(dropped).toEqual({ "null-serial": 2, "no-timestamp": 2 });
  });

  it("takes what the row lacks from the inventory, and keeps a status the API did not send as null", () => {
    const { records } = deviceAvailabilityChangeRecords(
      [
        {
          ts: row.ts,
          device: { serial: "Q234-ABCD-5678" },
          details: { new: [{ name: "reason", value: "x" }] },
        },
      ],
      input,
    );
    const envelope = JSON.parse(records[0]!.value);
    expect(envelope.source).toMatchObject({
      networkId: "N_24329156",
      networkName: "Main Office",
      deviceName: "Lobby AP",
      model: "MR34",
      productType: null,
    });
    expect(envelope.data).toEqual({
      ts: row.ts,
      oldStatus: null,
      newStatus: null,
      details: { old: [], new: [{ name: "reason", value: "x" }] },
    });
  });

  it("gives two changes of one device in a window distinct ids", () => {
    const back = {
      ...row,
      ts: "2026-11-22T09:58:40.120000Z",
      details: { old: [{ name: "status", value: "offline" }], new: [{ name: "status", value: "online" }] },
    };
    const ids = deviceAvailabilityChangeRecords([row, back], input).records.map(
      (r) => r.headers["record-id"],
    );
    expect(new Set(ids).size).toBe(2);
  });
});
