// The consumer with the records of device-availability, device-availability-changes and
// assurance-alerts (made by their own mappings), and with device-statuses records left in that
// retired kind's topic: each one's line, and the metrics it feeds.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TelemetryRecord } from "../../shared/kafka/record.js";
import {
  type AssuranceAlertRow,
  assuranceAlertRecords,
  assuranceAlerts,
} from "../../shared/kinds/assurance-alerts.js";
import {
  type DeviceAvailabilityRow,
  deviceAvailability,
  deviceAvailabilityRecords,
} from "../../shared/kinds/device-availability.js";
import {
  type DeviceAvailabilityChangeRow,
  deviceAvailabilityChangeRecords,
  deviceAvailabilityChanges,
} from "../../shared/kinds/device-availability-changes.js";
import { deviceStatuses } from "../../shared/kinds/device-statuses.js";
import { consumerUnderTest, NOW } from "./support/consumer.js";
import { kafkaEvent, produced } from "./support/kafka-event.js";
import { devices, lobbyAp, networks, organization, statusRecords, window } from "./support/telemetry.js";

const common = {
  organization,
  networks,
  devices,
  window,
  sweepId: window.end,
  observedAt: "2026-11-22T10:05:01Z",
};

const ap: DeviceAvailabilityRow = {
  serial: "Q234-ABCD-0001",
  name: "Lobby AP",
  mac: "00:11:22:33:44:01",
  network: { id: "N_24329156" },
  productType: "wireless",
  status: "offline",
  tags: ["lobby", "poe"],
};

function availabilityRecords(rows: DeviceAvailabilityRow[]): TelemetryRecord[] {
  return deviceAvailabilityRecords(rows, { ...common, topic: deviceAvailability.defaultTopic }).records;
}

const change: DeviceAvailabilityChangeRow = {
  ts: "2026-11-22T10:01:02.123456Z",
  device: { serial: "Q234-ABCD-5678", name: "Edge MX", productType: "appliance", model: "MX68" },
  details: { old: [{ name: "status", value: "online" }], new: [{ name: "status", value: "alerting" }] },
  network: { id: "N_24329156", name: "Main Office" },
};

const alert: AssuranceAlertRow = {
  id: "1234",
  categoryType: "connectivity",
  network: { name: "Main Office", id: "N_24329156", url: "https://n1.meraki.com/x" },
  startedAt: "2026-11-22T09:00:00Z",
  resolvedAt: null,
  dismissedAt: null,
  deviceType: "MX",
  type: "unreachable",
  title: "Device unreachable",
  description: null,
  severity: "critical",
  scope: { devices: [{ serial: "Q234-ABCD-5678", name: "Edge MX", order: 0, productType: "appliance" }] },
};

function alertRecords(open: AssuranceAlertRow[], resolved: AssuranceAlertRow[] = []): TelemetryRecord[] {
  return assuranceAlertRecords({ open, resolved }, { ...common, topic: assuranceAlerts.defaultTopic })
    .records;
}

const emfWith = (documents: Array<Record<string, unknown>>, metric: string) =>
  documents
    .filter((doc) => metric in doc)
    .map((doc) => {
      const { _aws, service, organizationId, networkName, ...rest } = doc as Record<string, unknown> & {
        _aws: { Timestamp: number };
      };
      return { at: new Date(_aws.Timestamp).toISOString().replace(".000Z", "Z"), ...rest };
    });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the retired device-statuses kind", () => {
  it("still accepts a semaphore.device-status.v1 record left in its topic and writes it as before", async () => {
    const consumer = consumerUnderTest();
    const summary = await consumer.invoke(kafkaEvent(produced(statusRecords([lobbyAp]))));
    expect(summary).toMatchObject({
      accepted: 1,
      rejected: 0,
      kinds: { "device-statuses": { accepted: 1 } },
    });
    expect(consumer.records()).toEqual([
      expect.objectContaining({
        kind: "device-statuses",
        schema: "semaphore.device-status.v1",
        serial: "Q234-ABCD-0001",
        status: "online",
        lastReportedAt: "2026-11-22T10:04:12.090210Z",
        topic: deviceStatuses.defaultTopic,
      }),
    ]);
    expect(emfWith(consumer.emf(), "Devices")).toEqual([
      { at: window.end, NetworkId: "N_24329156", Status: "online", Devices: 1 },
    ]);
  });
});

describe("device-availability records", () => {
  it("write the availability's fields, after the common ones, in order", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(kafkaEvent(produced(availabilityRecords([ap]))));
    const line = consumer.records()[0]!;
    expect(Object.keys(line).slice(15, -3)).toEqual(["model", "productType", "mac", "status", "tags"]);
    expect(line).toMatchObject({
      kind: "device-availability",
      schema: "semaphore.device-availability.v1",
      deviceName: "Lobby AP",
      model: null,
      productType: "wireless",
      mac: "00:11:22:33:44:01",
      status: "offline",
      tags: "lobby,poe",
    });
  });

  it("count distinct devices by status and distinct offline devices per network, at the snapshot's time", async () => {
    const consumer = consumerUnderTest();
    const records = availabilityRecords([
      ap,
      { ...ap, serial: "Q234-ABCD-0002", status: "offline" },
      { ...ap, serial: "Q234-ABCD-0003", status: "online" },
    ]);
    await consumer.invoke(kafkaEvent(produced([...records, records[0]!])));
    expect(emfWith(consumer.emf(), "DevicesByStatus")).toEqual([
      { at: window.end, NetworkId: "N_24329156", Status: "offline", DevicesByStatus: 2 },
      { at: window.end, NetworkId: "N_24329156", Status: "online", DevicesByStatus: 1 },
    ]);
    expect(emfWith(consumer.emf(), "DevicesOffline")).toEqual([
      { at: window.end, NetworkId: "N_24329156", DevicesOffline: 2 },
    ]);
  });
});

describe("device-availability-changes records", () => {
  it("write the change and count changes by new status at the window's start", async () => {
    const consumer = consumerUnderTest();
    const records = deviceAvailabilityChangeRecords(
      [
        { ...change, ts: "2026-11-22T10:00:30.000001Z" },
        change,
        {
          ...change,
          ts: "2026-11-22T10:02:00.5Z",
          details: { old: change.details!.new, new: change.details!.old },
        },
      ],
      { ...common, topic: deviceAvailabilityChanges.defaultTopic },
    ).records;
    await consumer.invoke(kafkaEvent(produced(records)));
    expect(consumer.records()[1]).toMatchObject({
      kind: "device-availability-changes",
      model: "MX68",
      productType: "appliance",
      ts: "2026-11-22T10:01:02.123456Z",
      oldStatus: "online",
      newStatus: "alerting",
    });
    expect(emfWith(consumer.emf(), "AvailabilityChanges")).toEqual([
      { at: window.start, NetworkId: "N_24329156", NewStatus: "alerting", AvailabilityChanges: 2 },
      { at: window.start, NetworkId: "N_24329156", NewStatus: "online", AvailabilityChanges: 1 },
    ]);
  });
});

describe("assurance-alerts records", () => {
  it("write the alert's fields", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(kafkaEvent(produced(alertRecords([alert]))));
    expect(consumer.records()[0]).toMatchObject({
      kind: "assurance-alerts",
      serial: "Q234-ABCD-5678",
      deviceName: "Edge MX",
      alertId: "1234",
      deviceType: "MX",
      state: "open",
      severity: "critical",
      categoryType: "connectivity",
      type: "unreachable",
      title: "Device unreachable",
      startedAt: "2026-11-22T09:00:00Z",
      resolvedAt: null,
      devicesAffected: 1,
    });
  });

  it("count open alerts by severity and category, open critical ones, and resolutions by severity", async () => {
    const consumer = consumerUnderTest();
    const records = alertRecords(
      [alert, { ...alert, id: "2", severity: "warning", categoryType: "device_health" }],
      [{ ...alert, id: "3", resolvedAt: "2026-11-22T10:03:00Z" }],
    );
    await consumer.invoke(kafkaEvent(produced(records)));
    expect(emfWith(consumer.emf(), "AssuranceAlertsOpen")).toEqual([
      {
        at: window.end,
        NetworkId: "N_24329156",
        Severity: "critical",
        Category: "connectivity",
        AssuranceAlertsOpen: 1,
      },
      {
        at: window.end,
        NetworkId: "N_24329156",
        Severity: "warning",
        Category: "device_health",
        AssuranceAlertsOpen: 1,
      },
    ]);
    expect(emfWith(consumer.emf(), "CriticalAlertsOpen")).toEqual([
      { at: window.end, NetworkId: "N_24329156", CriticalAlertsOpen: 1 },
    ]);
    expect(emfWith(consumer.emf(), "AssuranceAlertsResolved")).toEqual([
      { at: window.end, NetworkId: "N_24329156", Severity: "critical", AssuranceAlertsResolved: 1 },
    ]);
  });
});
