import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type DeviceAvailabilityRow,
  deviceAvailabilityEnvelope,
  deviceAvailabilityRecords,
} from "../../shared/kinds/device-availability.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_24329156", { id: "N_24329156", name: "Main Office" }]]),
  devices: new Map([
    [
      "Q234-ABCD-5678",
      {
        serial: "Q234-ABCD-5678",
        name: "Lobby AP (inventory)",
        model: "MR34",
        networkId: "N_24329156",
        productType: "wireless",
        mac: "00:11:22:33:44:55",
        tags: ["inventory-tag"],
      },
    ],
  ]),
  window: { start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:05:00Z" },
  sweepId: "2026-11-22T10:05:00Z",
  observedAt: "2026-11-22T10:05:01Z",
  topic: "meraki.devices.availabilities",
};

const row: DeviceAvailabilityRow = {
  mac: "00:11:22:33:44:55",
  name: "Lobby AP",
  network: { id: "N_24329156" },
  productType: "wireless",
  serial: "Q234-ABCD-5678",
  status: "offline",
  tags: ["lobby", "floor-1"],
};

describe("deviceAvailabilityRecords", () => {
  it("maps a row to the envelope, keyed by serial, with the model from the inventory", () => {
    const { records, dropped } = deviceAvailabilityRecords([row], input);
    const id = recordId("semaphore.device-availability.v1", "2930418", "Q234-ABCD-5678", input.window.start);
    expect(dropped).toEqual({});
    expect(records.map((r) => [r.topic, r.key, r.headers])).toEqual([
      [
        "meraki.devices.availabilities",
        "Q234-ABCD-5678",
        { "content-type": "application/json", schema: "semaphore.device-availability.v1", "record-id": id },
      ],
    ]);
    const envelope = JSON.parse(records[0]!.value);
    expect(envelope).toEqual({
      schema: "semaphore.device-availability.v1",
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
        mac: "00:11:22:33:44:55",
      },
      data: { status: "offline", tags: ["lobby", "floor-1"] },
    });
    expect(deviceAvailabilityEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("keeps what the API reported as null, and takes what the row lacks from the inventory", () => {
    const { records } = deviceAvailabilityRecords(
      [{ serial: "Q234-ABCD-5678", status: "online", name: null, network: null }],
      input,
    );
    const envelope = JSON.parse(records[0]!.value);
    expect(envelope.source).toMatchObject({
      deviceName: null,
      networkId: "N_24329156",
      networkName: "Main Office",
      productType: "wireless",
      mac: "00:11:22:33:44:55",
    });
    expect(envelope.data.tags).toEqual(["inventory-tag"]);
  });

  it("names nothing it cannot know for a serial the inventory lacks", () => {
    const { records } = deviceAvailabilityRecords(
      [{ serial: "Q234-NEW0-0001", status: "online", network: { id: "N_unknown" } }],
      input,
    );
    expect(JSON.parse(records[0]!.value).source).toMatchObject({
      networkId: "N_unknown",
      networkName: null,
      deviceName: null,
      model: null,
      productType: null,
      mac: null,
    });
  });

  it("drops and counts rows without a serial or a status", () => {
    const { records, dropped } = deviceAvailabilityRecords(
      [row, { ...row, serial: null }, { ...row, serial: "Q234-ABCD-0002", status: null }],
      input,
    );
    expect(records.map((r) => r.key)).toEqual(["Q234-ABCD-5678"]);
    expect(dropped).toEqual({ "null-serial": 1, "no-status": 1 });
  });

  it("gives the same device the same id in the same window, and another in the next", () => {
    const first = deviceAvailabilityRecords([row], input).records[0]!.headers["record-id"];
    const again = deviceAvailabilityRecords([{ ...row, status: "online" }], input).records[0]!.headers[
      "record-id"
    ];
    const next = deviceAvailabilityRecords([row], {
      ...input,
      window: { start: "2026-11-22T10:05:00Z", end: "2026-11-22T10:10:00Z" },
    }).records[0]!.headers["record-id"];
    expect(again).toBe(first);
    expect(next).not.toBe(first);
  });
});
