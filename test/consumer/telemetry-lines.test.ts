import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import { consumerUnderTest, NOW } from "./support/consumer.js";
import { kafkaEvent, produced } from "./support/kafka-event.js";
import {
  clientRecords,
  floor2Ap,
  laptop,
  lobbyAp,
  mainOfficeWan1,
  printer,
  spareSwitch,
  statusRecords,
  TOPICS,
  uplinkRecords,
} from "./support/telemetry.js";

const head = {
  level: "INFO",
  message: "telemetry",
  timestamp: "2026-11-22T10:05:30.000Z",
  service: "semaphore-consumer",
};
const org = { organizationId: "2930418", organizationName: "My organization" };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("telemetry lines", () => {
  it("writes an uplink record as one flat line with latest, average and maximum loss and latency", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(kafkaEvent(produced(uplinkRecords([mainOfficeWan1]))));
    expect(consumer.lines).toEqual([
      JSON.stringify({
        ...head,
        kind: "uplink-loss-latency",
        schema: "semaphore.uplink-loss-latency.v1",
        recordId: recordId(
          "semaphore.uplink-loss-latency.v1",
          "2930418",
          "Q234-ABCD-5678|wan1|8.8.8.8",
          "2026-11-22T09:58:00Z",
        ),
        windowStart: "2026-11-22T09:58:00Z",
        windowEnd: "2026-11-22T10:03:00Z",
        ...org,
        networkId: "N_24329156",
        networkName: "Main Office",
        serial: "Q234-ABCD-5678",
        deviceName: "Edge MX",
        model: "MX68",
        uplink: "wan1",
        ip: "8.8.8.8",
        // 10:01 has no probe results (null): the latest values are those of 10:00.
        lossPercent: 1.2,
        latencyMs: 31.1,
        lossPercentAvg: 2.167,
        lossPercentMax: 5.3,
        latencyMsAvg: 82.167,
        latencyMsMax: 194.9,
        samples: 4,
        topic: "meraki.uplinks.loss-latency",
        partition: 0,
        offset: 0,
      }),
    ]);
  });

  it("writes null loss and latency for an uplink whose samples are all without results", async () => {
    const consumer = consumerUnderTest();
    const silent = {
      ...mainOfficeWan1,
      timeSeries: [{ ts: "2026-11-22T09:58:00Z", lossPercent: null, latencyMs: null }],
    };
    await consumer.invoke(kafkaEvent(produced(uplinkRecords([silent]))));
    expect(consumer.records()[0]).toMatchObject({
      lossPercent: null,
      latencyMs: null,
      lossPercentAvg: null,
      lossPercentMax: null,
      latencyMsAvg: null,
      latencyMsMax: null,
      samples: 1,
    });
  });

  it("writes a network client as one flat line, with nulls for what the API did not report", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(kafkaEvent(produced(clientRecords([laptop, printer]))));
    const client = { ...head, kind: "network-clients", schema: "semaphore.network-client.v1" };
    const window = { windowStart: "2026-11-22T10:00:00Z", windowEnd: "2026-11-22T10:05:00Z" };
    expect(consumer.lines).toEqual([
      JSON.stringify({
        ...client,
        recordId: recordId(
          "semaphore.network-client.v1",
          "2930418",
          "N_24329156:k74272e",
          "2026-11-22T10:00:00Z",
        ),
        ...window,
        ...org,
        networkId: "N_24329156",
        networkName: "Main Office",
        serial: "Q234-ABCD-0001",
        deviceName: "Lobby AP",
        clientId: "k74272e",
        mac: "22:33:44:55:66:77",
        description: "Miles's phone",
        ip: "10.0.0.12",
        status: "Online",
        ssid: "Corp",
        vlan: "100",
        manufacturer: "Apple",
        os: "iOS",
        usageSentKb: 138,
        usageRecvKb: 61,
        topic: "meraki.network.clients",
        partition: 0,
        offset: 0,
      }),
      JSON.stringify({
        ...client,
        recordId: recordId(
          "semaphore.network-client.v1",
          "2930418",
          "N_24329156:k84fe10",
          "2026-11-22T10:00:00Z",
        ),
        ...window,
        ...org,
        networkId: "N_24329156",
        networkName: "Main Office",
        serial: "Q234-ABCD-0002",
        deviceName: "Floor 2 AP",
        clientId: "k84fe10",
        mac: "00:11:22:33:44:55",
        description: null,
        ip: "10.0.0.40",
        status: "Offline",
        ssid: null,
        vlan: null,
        manufacturer: null,
        os: null,
        usageSentKb: null,
        usageRecvKb: null,
        topic: "meraki.network.clients",
        partition: 0,
        offset: 1,
      }),
    ]);
  });

  it("writes a device status as one flat line, networkId null for a device in no network", async () => {
    const consumer = consumerUnderTest();
    await consumer.invoke(kafkaEvent(produced(statusRecords([lobbyAp, spareSwitch]))));
    const status = {
      ...head,
      kind: "device-statuses",
      schema: "semaphore.device-status.v1",
    };
    const window = { windowStart: "2026-11-22T10:00:00Z", windowEnd: "2026-11-22T10:05:00Z" };
    expect(consumer.lines).toEqual([
      JSON.stringify({
        ...status,
        recordId: recordId("semaphore.device-status.v1", "2930418", "Q234-ABCD-0001", "2026-11-22T10:00:00Z"),
        ...window,
        ...org,
        networkId: "N_24329156",
        networkName: "Main Office",
        serial: "Q234-ABCD-0001",
        deviceName: "Lobby AP",
        model: "MR34",
        productType: "wireless",
        status: "online",
        lastReportedAt: "2026-11-22T10:04:12.090210Z",
        publicIp: "123.123.123.1",
        lanIp: "10.0.0.2",
        topic: TOPICS.statuses,
        partition: 0,
        offset: 0,
      }),
      JSON.stringify({
        ...status,
        recordId: recordId("semaphore.device-status.v1", "2930418", "Q234-ABCD-0003", "2026-11-22T10:00:00Z"),
        ...window,
        ...org,
        networkId: null,
        networkName: null,
        serial: "Q234-ABCD-0003",
        deviceName: "Spare switch",
        model: "MS120-8",
        productType: "switch",
        status: "dormant",
        lastReportedAt: null,
        publicIp: null,
        lanIp: null,
        topic: TOPICS.statuses,
        partition: 0,
        offset: 1,
      }),
    ]);
  });

  it("writes lines in delivery order: partition by partition as AWS grouped them, offsets ascending", async () => {
    const consumer = consumerUnderTest();
    const [lobby, floor2] = statusRecords([lobbyAp, floor2Ap]);
    const [phone] = clientRecords([laptop]);
    await consumer.invoke(
      kafkaEvent([
        { ...produced([floor2!])[0]!, partition: 2, offset: 41 },
        { ...produced([phone!])[0]!, partition: 0, offset: 7 },
        { ...produced([lobby!])[0]!, partition: 2, offset: 42 },
      ]),
    );
    expect(
      consumer.records().map(({ topic, partition, offset, serial }) => [topic, partition, offset, serial]),
    ).toEqual([
      ["meraki.devices.statuses", 2, 41, "Q234-ABCD-0002"],
      ["meraki.devices.statuses", 2, 42, "Q234-ABCD-0001"],
      ["meraki.network.clients", 0, 7, "Q234-ABCD-0001"],
    ]);
  });
});
