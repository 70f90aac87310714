import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type CellularUplinkStatusRow,
  cellularUplinkStatusEnvelope,
  cellularUplinkStatuses,
  cellularUplinkStatusRecords,
  getOrganizationCellularGatewayUplinkStatuses,
  signalLevel,
} from "../../shared/kinds/cellular-uplink-statuses.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_24329156", { id: "N_24329156", name: "Main Office" }]]),
  devices: new Map([
    [
      "Q234-ABCD-5678",
      { serial: "Q234-ABCD-5678", name: "Kiosk MG", model: "MG21", networkId: "N_24329156" },
    ],
  ]),
  window: { start: "2026-11-22T09:55:00Z", end: "2026-11-22T10:00:00Z" },
  sweepId: "2026-11-22T10:00:00Z",
  observedAt: "2026-11-22T10:00:01Z",
  topic: "meraki.cellular.uplink-statuses",
};

/** The spec's example row. */
const row = {
  networkId: "N_24329156",
  serial: "Q234-ABCD-5678",
  model: "MG21",
  lastReportedAt: "2018-02-11T00:00:00Z",
  uplinks: [
    {
      interface: "cellular",
      status: "ready",
      ip: "1.2.3.4",
      provider: "at&t",
      publicIp: "123.123.123.1",
      model: "integrated",
      signalStat: { rsrp: "-120", rsrq: "-13" },
      mcc: "123",
      mnc: "123",
      roaming: { status: "home" },
      connectionType: "4g",
      apn: "internet",
      gateway: "100.100.100.100",
      dns1: "111.111.111.111",
      dns2: "222.222.222.222",
      signalType: "4G",
      mtu: 1500,
      iccid: "123456789",
      imsi: "123456789012345",
      msisdn: "123456789012345",
    },
  ],
};

const parse = (value: unknown) => getOrganizationCellularGatewayUplinkStatuses.item.parse(value);

describe("cellularUplinkStatusRecords", () => {
  it("maps the spec's example to one record keyed by serial, with the signal as numbers", () => {
    const { records, dropped } = cellularUplinkStatusRecords([parse(row)], input);
    const id = recordId(
      "semaphore.cellular-uplink-status.v1",
      "2930418",
      "Q234-ABCD-5678|cellular",
      input.window.start,
    );
    expect(dropped).toEqual({});
    expect(records.map((r) => [r.topic, r.key, r.headers["record-id"]])).toEqual([
      ["meraki.cellular.uplink-statuses", "Q234-ABCD-5678:cellular", id],
    ]);
    expect(cellularUplinkStatusEnvelope.parse(JSON.parse(records[0]!.value))).toEqual({
      schema: "semaphore.cellular-uplink-status.v1",
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
        deviceName: "Kiosk MG",
        model: "MG21",
      },
      data: {
        interface: "cellular",
        status: "ready",
        provider: "at&t",
        rsrpDbm: -120,
        rsrqDb: -13,
        roaming: "home",
        connectionType: "4g",
        signalType: "4G",
        apn: "internet",
        iccid: "123456789",
        mcc: "123",
        mnc: "123",
        modem: "integrated",
        ip: "1.2.3.4",
        publicIp: "123.123.123.1",
        gateway: "100.100.100.100",
        dns1: "111.111.111.111",
        dns2: "222.222.222.222",
        mtu: 1500,
        lastReportedAt: "2018-02-11T00:00:00Z",
      },
    });
  });

  it("carries neither the IMSI nor the MSISDN (subscriber identities)", () => {
    const { records } = cellularUplinkStatusRecords([parse(row)], input);
    expect(records[0]!.value).not.toContain("123456789012345");
  });

  it("keeps what the API reported as null, or left out, as null", () => {
    const bare = parse({
      serial: "Q234-ABCD-5678",
      uplinks: [{ interface: "cellular", status: null, signalStat: null }],
    });
    const { records } = cellularUplinkStatusRecords([bare], input);
    const envelope = cellularUplinkStatusEnvelope.parse(JSON.parse(records[0]!.value));
    expect(envelope.source.networkId).toBe("N_24329156");
    expect(Object.values(envelope.data).filter((value) => value !== null)).toEqual(["cellular"]);
  });

  it("drops rows without a serial, gateways without uplinks, uplinks without an interface or repeated", () => {
    const rows: CellularUplinkStatusRow[] = [
      parse({ ...row, serial: null }),
      parse({ ...row, serial: "Q234-ABCD-0000", uplinks: [] }),
      parse({ ...row, uplinks: [{ status: "active" }, row.uplinks[0], row.uplinks[0]] }),
    ];
    const { records, dropped } = cellularUplinkStatusRecords(rows, input);
    expect(records).toHaveLength(1);
    expect(dropped).toEqual({ "null-serial": 1, "no-uplinks": 1, "no-interface": 1, "duplicate-uplink": 1 });
  });
});

describe("signalLevel", () => {
  it("reads the API's signal strings as numbers, and nothing else", () => {
    expect(["-120", " -7 ", "", "n/a", null, undefined].map(signalLevel)).toEqual([
      -120,
      -7,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe("cellular-uplink-statuses metrics", () => {
  const envelopeOf = (status: string | null, rsrp: string) => {
    const uplink = { ...row.uplinks[0], status, signalStat: { rsrp, rsrq: "-10" } };
    const { records } = cellularUplinkStatusRecords([parse({ ...row, uplinks: [uplink] })], input);
    return cellularUplinkStatusEnvelope.parse(JSON.parse(records[0]!.value));
  };
  const metric = (name: string) => cellularUplinkStatuses.consumer.metrics.find((m) => m.name === name)!;

  it("counts an uplink not connected unless it is active or ready, and says nothing of an unknown status", () => {
    const observe = (status: string | null) =>
      metric("CellularUplinksNotConnected").observe(envelopeOf(status, "-90"), undefined);
    expect(["active", "ready", "connecting", "not connected", null].map(observe)).toEqual([
      null,
      null,
      "Q234-ABCD-5678|cellular",
      "Q234-ABCD-5678|cellular",
      null,
    ]);
  });

  it("feeds the signal metrics only from uplinks that report a signal", () => {
    const observe = (rsrp: string) =>
      metric("CellularRsrpMin").observe(envelopeOf("active", rsrp), undefined);
    expect([observe("-101"), observe("")]).toEqual([-101, null]);
  });
});
