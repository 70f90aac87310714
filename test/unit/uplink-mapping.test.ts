import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  uplinkLossLatencyEnvelope,
  uplinkLossLatencyRecords,
} from "../../shared/kinds/uplink-loss-latency.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_24329156", { id: "N_24329156", name: "Main Office" }]]),
  devices: new Map([
    ["Q234-ABCD-5678", { serial: "Q234-ABCD-5678", name: "Edge MX", model: "MX68", networkId: "N_24329156" }],
  ]),
  window: { start: "2026-11-22T09:58:00Z", end: "2026-11-22T10:03:00Z" },
  sweepId: "2026-11-22T10:05:00Z",
  observedAt: "2026-11-22T10:05:01Z",
  topic: "meraki.uplinks.loss-latency",
};

const row = {
  networkId: "N_24329156",
  serial: "Q234-ABCD-5678",
  uplink: "wan1",
  ip: "8.8.8.8",
  timeSeries: [{ ts: "2026-11-22T09:58:00.000Z", lossPercent: 5.3, latencyMs: 194.9 }],
};

describe("uplinkLossLatencyRecords", () => {
  it("maps a row to the design's envelope, key and headers", () => {
    const { records, dropped } = uplinkLossLatencyRecords([row], input);
    const id = recordId(
      "semaphore.uplink-loss-latency.v1",
      "2930418",
      "Q234-ABCD-5678|wan1|8.8.8.8",
      input.window.start,
    );
    expect(dropped).toEqual({});
    expect(records).toHaveLength(1);
    expect(records[0]!.key).toBe("Q234-ABCD-5678");
    expect(records[0]!.topic).toBe("meraki.uplinks.loss-latency");
    expect(records[0]!.headers).toEqual({
      "content-type": "application/json",
      schema: "semaphore.uplink-loss-latency.v1",
      "record-id": id,
    });
    const envelope = JSON.parse(records[0]!.value);
    expect(envelope).toEqual({
      schema: "semaphore.uplink-loss-latency.v1",
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
        deviceName: "Edge MX",
        model: "MX68",
      },
      data: {
        uplink: "wan1",
        ip: "8.8.8.8",
        samples: [{ ts: "2026-11-22T09:58:00Z", lossPercent: 5.3, latencyMs: 194.9 }],
      },
    });
    expect(uplinkLossLatencyEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("reads the API's empty networkId as none: the inventory's network, or the row dropped as no-network", () => {
    const fromInventory = uplinkLossLatencyRecords([{ ...row, networkId: "" }], input);
    expect(JSON.parse(fromInventory.records[0]!.value).source.networkId).toBe("N_24329156");
    const nowhere = uplinkLossLatencyRecords([{ ...row, networkId: "", serial: "Q234-NONE-0001" }], input);
    expect(nowhere).toEqual({ records: [], dropped: { "no-network": 1 } });
  });

  it("drops and counts rows with a null serial or no samples", () => {
    const { records, dropped } = uplinkLossLatencyRecords(
      [row, { ...row, serial: null }, { ...row, uplink: "wan2", timeSeries: [] }],
      input,
    );
    expect(records.map((r) => r.key)).toEqual(["Q234-ABCD-5678"]);
    expect(dropped).toEqual({ "null-serial": 1, "empty-samples": 1 });
  });

  it("merges the rows of one subject from several 5-minute pieces into one record", () => {
    const later = { ...row, timeSeries: [{ ts: "2026-11-22T10:03:00Z", lossPercent: 0, latencyMs: 20 }] };
    const { records } = uplinkLossLatencyRecords([row, later], input);
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]!.value).data.samples).toHaveLength(2);
  });

  it("gives the same record id for the same subject and window, and another for the next window", () => {
    const a = uplinkLossLatencyRecords([row], input).records[0]!.headers["record-id"];
    const b = uplinkLossLatencyRecords([row], { ...input, sweepId: "retry" }).records[0]!.headers[
      "record-id"
    ];
    const next = uplinkLossLatencyRecords([row], {
      ...input,
      window: { start: "2026-11-22T10:03:00Z", end: "2026-11-22T10:08:00Z" },
    }).records[0]!.headers["record-id"];
    expect(b).toBe(a);
    expect(next).not.toBe(a);
  });
});
