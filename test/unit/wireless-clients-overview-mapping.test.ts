import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type ClientsOverviewRow,
  clientsOverviewEnvelope,
  clientsOverviewRecords,
} from "../../shared/kinds/wireless-clients-overview.js";

const SCHEMA = "semaphore.wireless-clients-overview.v1";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_24329156", { id: "N_24329156", name: "Main Office" }]]),
  devices: new Map([
    [
      "Q234-ABCD-5678",
      { serial: "Q234-ABCD-5678", name: "Lobby AP", model: "MR46", networkId: "N_24329156" },
    ],
  ]),
  window: { start: "2026-11-22T09:55:00Z", end: "2026-11-22T10:00:00Z" },
  sweepId: "2026-11-22T10:00:00Z",
  observedAt: "2026-11-22T10:00:01Z",
  topic: "meraki.wireless.clients-overview",
};

const row: ClientsOverviewRow = {
  network: { id: "N_24329156" },
  serial: "Q234-ABCD-5678",
  counts: { byStatus: { online: 7 } },
};

describe("clientsOverviewRecords", () => {
  it("maps an access point's count to the envelope, keyed by serial", () => {
    const { records, dropped } = clientsOverviewRecords([row], input);
    const id = recordId(SCHEMA, "2930418", "Q234-ABCD-5678", input.window.start);
    expect(dropped).toEqual({});
    expect(records).toHaveLength(1);
    expect(records[0]!.key).toBe("Q234-ABCD-5678");
    expect(records[0]!.topic).toBe("meraki.wireless.clients-overview");
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
        deviceName: "Lobby AP",
        model: "MR46",
      },
      data: { onlineClients: 7 },
    });
    expect(clientsOverviewEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("keeps a count the API reported as null as null", () => {
    const envelope = JSON.parse(clientsOverviewRecords([{ ...row, counts: null }], input).records[0]!.value);
    expect(envelope.data).toEqual({ onlineClients: null });
    expect(clientsOverviewEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("names the network from the inventory when the row does not, and null for an unknown device", () => {
    const [inferred, unknown] = clientsOverviewRecords(
      [
        { ...row, network: null },
        { ...row, serial: "Q999-0000-0000", network: null },
      ],
      input,
    ).records.map((r) => JSON.parse(r.value));
    expect(inferred.source).toMatchObject({ networkId: "N_24329156", networkName: "Main Office" });
    expect(unknown.source).toMatchObject({
      networkId: null,
      networkName: null,
      deviceName: null,
      model: null,
    });
  });

  it("drops and counts rows without a serial", () => {
    const { records, dropped } = clientsOverviewRecords([row, { ...row, serial: null }], input);
    expect(records).toHaveLength(1);
    expect(dropped).toEqual({ "null-serial": 1 });
  });

  it("gives the same record id for the same access point and slot, and another for the next slot", () => {
    const a = clientsOverviewRecords([row], input).records[0]!.headers["record-id"];
    const retried = clientsOverviewRecords([row], { ...input, sweepId: "retry" }).records[0]!.headers[
      "record-id"
    ];
    const next = clientsOverviewRecords([row], {
      ...input,
      window: { start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:05:00Z" },
    }).records[0]!.headers["record-id"];
    expect(retried).toBe(a);
    expect(next).not.toBe(a);
  });
});
