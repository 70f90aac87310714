import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type ChannelUtilizationInterval,
  type ChannelUtilizationRow,
  channelUtilizationEnvelope,
  channelUtilizationRecords,
} from "../../shared/kinds/wireless-channel-utilization.js";

const SCHEMA = "semaphore.wireless-channel-utilization.v1";

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
  topic: "meraki.wireless.channel-utilization",
};

const first = { start: "2026-11-22T09:45:00Z", end: "2026-11-22T09:50:00Z" };
const second = { start: "2026-11-22T09:50:00Z", end: "2026-11-22T09:55:00Z" };

const row: ChannelUtilizationRow = {
  serial: "Q234-ABCD-5678",
  mac: "00:11:22:33:44:55",
  network: { id: "N_24329156" },
  byBand: [
    { band: "5", wifi: { percentage: 33.12 }, nonWifi: { percentage: 1.84 }, total: { percentage: 34.96 } },
  ],
};

const records = (intervals: ChannelUtilizationInterval[], over = {}) =>
  channelUtilizationRecords(intervals, { ...input, ...over });
const envelopes = (intervals: ChannelUtilizationInterval[]) =>
  records(intervals).records.map((r) => JSON.parse(r.value));

describe("channelUtilizationRecords", () => {
  it("maps an access point's band to the envelope, keyed by serial, with one sample per interval", () => {
    const { records: out, dropped } = records([{ interval: first, rows: [row] }]);
    const id = recordId(SCHEMA, "2930418", "Q234-ABCD-5678|N_24329156|5", input.window.start);
    expect(dropped).toEqual({});
    expect(out).toHaveLength(1);
    expect(out[0]!.key).toBe("Q234-ABCD-5678");
    expect(out[0]!.topic).toBe("meraki.wireless.channel-utilization");
    expect(out[0]!.headers).toEqual({ "content-type": "application/json", schema: SCHEMA, "record-id": id });
    const envelope = JSON.parse(out[0]!.value);
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
        mac: "00:11:22:33:44:55",
      },
      data: {
        band: "5",
        samples: [{ ...first, totalPercent: 34.96, wifiPercent: 33.12, nonWifiPercent: 1.84 }],
      },
    });
    expect(channelUtilizationEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("merges an access point's band over the window's intervals into one record, in interval order", () => {
    const later = { ...row, byBand: [{ ...row.byBand![0]!, total: { percentage: 50 } }] };
    const [envelope] = envelopes([
      { interval: first, rows: [row] },
      { interval: second, rows: [later] },
    ]);
    expect(
      envelope.data.samples.map((s: { start: string; totalPercent: number }) => [s.start, s.totalPercent]),
    ).toEqual([
      [first.start, 34.96],
      [second.start, 50],
    ]);
  });

  it("gives each band of an access point its own record and id", () => {
    const dual = {
      ...row,
      byBand: [row.byBand![0]!, { band: "2.4", wifi: null, nonWifi: null, total: { percentage: 61 } }],
    };
    const out = records([{ interval: first, rows: [dual] }]).records;
    expect(out.map((r) => JSON.parse(r.value).data.band)).toEqual(["5", "2.4"]);
    expect(new Set(out.map((r) => r.headers["record-id"])).size).toBe(2);
  });

  it("keeps what the API reported as null as null", () => {
    const partial = {
      ...row,
      byBand: [{ band: "6", wifi: null, nonWifi: { percentage: null }, total: null }],
    };
    const [envelope] = envelopes([{ interval: first, rows: [partial] }]);
    expect(envelope.data.samples[0]).toEqual({
      ...first,
      totalPercent: null,
      wifiPercent: null,
      nonWifiPercent: null,
    });
    expect(channelUtilizationEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("names the device and network from the inventory, or null for a serial the inventory lacks", () => {
    const unknown = { ...row, serial: "Q999-0000-0000", mac: null, network: null };
    const [envelope] = envelopes([{ interval: first, rows: [unknown] }]);
    expect(envelope.source).toMatchObject({
      networkId: null,
      networkName: null,
      serial: "Q999-0000-0000",
      deviceName: null,
      model: null,
      mac: null,
    });
    expect(channelUtilizationEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("takes the network from the inventory when the row does not name it", () => {
    const [envelope] = envelopes([{ interval: first, rows: [{ ...row, network: null }] }]);
    expect(envelope.source).toMatchObject({ networkId: "N_24329156", networkName: "Main Office" });
  });

  it("gives an access point reported in two networks one record per network", () => {
    const moved = { ...row, network: { id: "N_2" } };
    const out = records([
      { interval: first, rows: [row] },
      { interval: second, rows: [moved] },
    ]).records;
    expect(out.map((r) => JSON.parse(r.value).source.networkId)).toEqual(["N_24329156", "N_2"]);
    expect(new Set(out.map((r) => r.headers["record-id"])).size).toBe(2);
  });

  it("drops and counts rows without a serial, rows without bands and bands without a name", () => {
    const { records: out, dropped } = records([
      {
        interval: first,
        rows: [
          row,
          { ...row, serial: null },
          { ...row, serial: "Q2", byBand: [] },
          { ...row, serial: "Q3", byBand: null },
          { ...row, serial: "Q4", byBand: [{ ...row.byBand![0]!, band: null }] },
        ],
      },
    ]);
    expect(out.map((r) => r.key)).toEqual(["Q234-ABCD-5678"]);
    expect(dropped).toEqual({ "null-serial": 1, "no-bands": 2, "no-band": 1 });
  });

  it("gives the same record id for the same subject and window, and another for the next window", () => {
    const intervals = [{ interval: first, rows: [row] }];
    const a = records(intervals).records[0]!.headers["record-id"];
    const retried = records(intervals, { sweepId: "retry" }).records[0]!.headers["record-id"];
    const next = records(intervals, {
      window: { start: "2026-11-22T09:55:00Z", end: "2026-11-22T10:05:00Z" },
    }).records[0]!.headers["record-id"];
    expect(retried).toBe(a);
    expect(next).not.toBe(a);
  });
});
