import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type AssuranceAlertRow,
  assuranceAlertEnvelope,
  assuranceAlertRecords,
} from "../../shared/kinds/assurance-alerts.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["L_1020981", { id: "L_1020981", name: "Network 2" }]]),
  devices: new Map([
    [
      "Q2QP-5VYM-YM8H",
      { serial: "Q2QP-5VYM-YM8H", name: "Device 1", model: "MS225-48FP", networkId: "L_1020981" },
    ],
  ]),
  window: { start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:05:00Z" },
  sweepId: "2026-11-22T10:05:00Z",
  observedAt: "2026-11-22T10:05:01Z",
  topic: "meraki.assurance.alerts",
};

/** The spec's example, open. */
const open: AssuranceAlertRow = {
  id: "1234",
  categoryType: "connectivity",
  network: { name: "Network 2", id: "L_1020981", url: "https://n1.meraki.com//n//manage/nodes/list" },
  startedAt: "2026-11-22T08:48:57Z",
  resolvedAt: null,
  dismissedAt: null,
  deviceType: "MS",
  type: "crc_errors_error",
  title: "CRC errors detected",
  description: "Very high proportion of CRC errors on port id",
  severity: "critical",
  scope: {
    devices: [
      {
        url: "https://n237.meraki.com/MS-PM-First-Floo/n/_5kUKaTd/manage/nodes/new_list/7911238",
        name: "Device 1",
        order: 0,
        productType: "switch",
        serial: "Q2QP-5VYM-YM8H",
        mac: "aa:bb:cd:dd",
        imei: "353593090031649",
        lldp: { port: "33" },
      },
    ],
    applications: [],
    peers: [],
    others: [],
  },
};

const resolved: AssuranceAlertRow = { ...open, id: "5678", resolvedAt: "2026-11-22T10:03:10Z" };

describe("assuranceAlertRecords", () => {
  it("maps an open alert to the envelope, keyed and identified by its alert id", () => {
    const { records, dropped } = assuranceAlertRecords({ open: [open], resolved: [] }, input);
    const id = recordId("semaphore.assurance-alert.v1", "2930418", "1234", input.window.start);
    expect(dropped).toEqual({});
    expect(records.map((r) => [r.topic, r.key, r.headers["record-id"]])).toEqual([
      ["meraki.assurance.alerts", "1234", id],
    ]);
    const envelope = JSON.parse(records[0]!.value);
    expect(envelope).toEqual({
      schema: "semaphore.assurance-alert.v1",
      id,
      sweepId: "2026-11-22T10:05:00Z",
      observedAt: "2026-11-22T10:05:01Z",
      window: input.window,
      source: {
        organizationId: "2930418",
        organizationName: "My organization",
        networkId: "L_1020981",
        networkName: "Network 2",
        serial: "Q2QP-5VYM-YM8H",
        deviceName: "Device 1",
        alertId: "1234",
        model: "MS225-48FP",
        deviceType: "MS",
      },
      data: {
        state: "open",
        categoryType: "connectivity",
        type: "crc_errors_error",
        title: "CRC errors detected",
        description: "Very high proportion of CRC errors on port id",
        severity: "critical",
        startedAt: "2026-11-22T08:48:57Z",
        resolvedAt: null,
        dismissedAt: null,
        devices: [{ serial: "Q2QP-5VYM-YM8H", name: "Device 1", productType: "switch", port: "33" }],
      },
    });
    expect(assuranceAlertEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("records an alert resolved within the window as resolved", () => {
    const { records } = assuranceAlertRecords({ open: [open], resolved: [resolved] }, input);
    expect(records.map((r) => [r.key, JSON.parse(r.value).data.state])).toEqual([
      ["1234", "open"],
      ["5678", "resolved"],
    ]);
  });

  it("records an alert in both listings (resolved between the two calls) once, resolved", () => {
    const { records } = assuranceAlertRecords(
      { open: [open], resolved: [{ ...open, resolvedAt: "2026-11-22T10:04:59Z" }] },
      input,
    );
    expect(records.map((r) => [r.key, JSON.parse(r.value).data.resolvedAt])).toEqual([
      ["1234", "2026-11-22T10:04:59Z"],
    ]);
  });

  it("leaves a resolution outside [window start, window end) to the sweep whose window holds it", () => {
    const { records, dropped } = assuranceAlertRecords(
      {
        open: [],
        resolved: [
          { ...resolved, id: "1", resolvedAt: "2026-11-22T10:00:00Z" },
          { ...resolved, id: "2", resolvedAt: "2026-11-22T09:59:59Z" },
          { ...resolved, id: "3", resolvedAt: "2026-11-22T10:05:00Z" },
          { ...resolved, id: "4", resolvedAt: null },
        ],
      },
      input,
    );
    expect(records.map((r) => r.key)).toEqual(["1"]);
    expect(dropped).toEqual({ "resolved-outside-window": 3 });
  });

  it("names the first affected device by order, and no device for an alert without one", () => {
    const second = { ...open.scope!.devices![0]!, order: 1, serial: "Q2QP-0000-0002", name: "Device 2" };
    const first = { ...open.scope!.devices![0]!, order: 0 };
    const { records } = assuranceAlertRecords(
      {
        open: [
          { ...open, scope: { ...open.scope, devices: [second, first] } },
          { ...open, id: "9", scope: { devices: [], applications: [], peers: [], others: [] } },
        ],
        resolved: [],
      },
      input,
    );
    const [withDevices, withoutDevice] = records.map((r) => JSON.parse(r.value));
    expect(withDevices.source.serial).toBe("Q2QP-5VYM-YM8H");
    expect(withDevices.data.devices.map((d: { serial: string }) => d.serial)).toEqual([
      "Q2QP-5VYM-YM8H",
      "Q2QP-0000-0002",
    ]);
    expect(withoutDevice.source).toMatchObject({
      serial: null,
      deviceName: null,
      model: null,
      networkId: "L_1020981",
    });
  });

  it("says a dismissed alert is dismissed", () => {
    const { records } = assuranceAlertRecords(
      { open: [{ ...open, dismissedAt: "2026-11-22T10:01:00Z" }], resolved: [] },
      input,
    );
    expect(JSON.parse(records[0]!.value).data.state).toBe("dismissed");
  });

  it("drops and counts alerts without an id", () => {
    const { records, dropped } = assuranceAlertRecords(
      { open: [open, { ...open, id: null }], resolved: [{ ...resolved, id: "" }] },
      input,
    );
    expect(records).toHaveLength(1);
    expect(dropped).toEqual({ "no-alert-id": 2 });
  });
});
