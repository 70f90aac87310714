import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  getOrganizationSensorReadingsLatest,
  type SensorReadingEnvelope,
  sensorReadingEnvelope,
  sensorReadingRecords,
  sensorReadings,
} from "../../shared/kinds/sensor-readings.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["N_24329156", { id: "N_24329156", name: "Main Office" }]]),
  devices: new Map([
    [
      "Q234-ABCD-5678",
      { serial: "Q234-ABCD-5678", name: "Freezer MT", model: "MT11", networkId: "N_24329156" },
    ],
  ]),
  window: { start: "2026-11-22T09:55:00Z", end: "2026-11-22T10:00:00Z" },
  sweepId: "2026-11-22T10:00:00Z",
  observedAt: "2026-11-22T10:00:00Z",
  topic: "meraki.sensors.readings",
};

const TS = "2026-11-22T09:58:30Z";
const sensor = (readings: unknown[]) =>
  getOrganizationSensorReadingsLatest.item.parse({
    serial: "Q234-ABCD-5678",
    network: { id: "N_24329156", name: "Main Office" },
    readings,
  });
const dataOf = (reading: Record<string, unknown>) => {
  const { records } = sensorReadingRecords([sensor([{ ts: TS, ...reading }])], input);
  return (JSON.parse(records[0]!.value) as SensorReadingEnvelope).data;
};
const NONE = { value: null, unit: null, fahrenheit: null, state: null, pressType: null };

describe("sensorReadingRecords", () => {
  it("makes one record per sensor and metric, keyed by serial and metric, with a deterministic id", () => {
    const rows = [
      sensor([
        { ts: TS, metric: "temperature", temperature: { fahrenheit: 0.5, celsius: -17.5 } },
        { ts: TS, metric: "battery", battery: { percentage: 90 } },
      ]),
    ];
    const { records, dropped } = sensorReadingRecords(rows, input);
    expect(dropped).toEqual({});
    expect(records.map((r) => [r.key, r.headers["record-id"]])).toEqual([
      [
        "Q234-ABCD-5678:temperature",
        recordId("semaphore.sensor-reading.v1", "2930418", "Q234-ABCD-5678|temperature", input.window.start),
      ],
      [
        "Q234-ABCD-5678:battery",
        recordId("semaphore.sensor-reading.v1", "2930418", "Q234-ABCD-5678|battery", input.window.start),
      ],
    ]);
    const envelope = sensorReadingEnvelope.parse(JSON.parse(records[0]!.value));
    expect(envelope.source).toEqual({
      organizationId: "2930418",
      organizationName: "My organization",
      networkId: "N_24329156",
      networkName: "Main Office",
      serial: "Q234-ABCD-5678",
      deviceName: "Freezer MT",
      model: "MT11",
    });
    expect(envelope.data).toEqual({
      metric: "temperature",
      ts: TS,
      value: -17.5,
      unit: "celsius",
      fahrenheit: 0.5,
      state: null,
      pressType: null,
    });
  });

  it.each([
    [
      { metric: "humidity", humidity: { relativePercentage: 61 } },
      { value: 61, unit: "percent" },
    ],
    [
      { metric: "co2", co2: { concentration: 1210 } },
      { value: 1210, unit: "ppm" },
    ],
    [
      { metric: "pm25", pm25: { concentration: 9 } },
      { value: 9, unit: "ug/m3" },
    ],
    [
      { metric: "noise", noise: { ambient: { level: 48 } } },
      { value: 48, unit: "dBA" },
    ],
    [
      { metric: "realPower", realPower: { draw: 93.4 } },
      { value: 93.4, unit: "watts" },
    ],
    [
      { metric: "voltage", voltage: { level: 229.9 } },
      { value: 229.9, unit: "volts" },
    ],
    [{ metric: "water", water: { present: true } }, { state: true }],
    [{ metric: "door", door: { open: false } }, { state: false }],
    [{ metric: "button", button: { pressType: "long" } }, { pressType: "long" }],
  ])("flattens %j", (reading, flattened) => {
    expect(dataOf(reading)).toEqual({ metric: reading.metric, ts: TS, ...NONE, ...flattened });
  });

  it("keeps a value the API sent as null, and a metric it does not know, without a value", () => {
    expect(dataOf({ metric: "temperature", temperature: null })).toEqual({
      metric: "temperature",
      ts: TS,
      ...NONE,
      unit: "celsius",
    });
    expect(dataOf({ metric: "radon", radon: { level: 3 } })).toEqual({ metric: "radon", ts: TS, ...NONE });
  });

  it("drops rows without a serial, sensors without readings, readings without a metric or repeated", () => {
    const reading = { ts: TS, metric: "battery", battery: { percentage: 90 } };
    const rows = [
      getOrganizationSensorReadingsLatest.item.parse({ serial: null, readings: [reading] }),
      getOrganizationSensorReadingsLatest.item.parse({ serial: "Q234-ABCD-0000", readings: [] }),
      sensor([{ ts: TS }, reading, reading]),
    ];
    const { records, dropped } = sensorReadingRecords(rows, input);
    expect(records).toHaveLength(1);
    expect(dropped).toEqual({ "null-serial": 1, "no-readings": 1, "no-metric": 1, "duplicate-metric": 1 });
  });
});

describe("sensor-readings line and metrics", () => {
  const envelopeOf = (reading: Record<string, unknown>) => {
    const { records } = sensorReadingRecords([sensor([{ ts: TS, ...reading }])], input);
    return sensorReadingEnvelope.parse(JSON.parse(records[0]!.value));
  };
  const observe = (name: string, envelope: SensorReadingEnvelope) =>
    sensorReadings.consumer.metrics.find((m) => m.name === name)!.observe(envelope, undefined);

  it("feeds the temperature metrics from temperature readings only", () => {
    const temperature = envelopeOf({ metric: "temperature", temperature: { fahrenheit: 71.6, celsius: 22 } });
    const humidity = envelopeOf({ metric: "humidity", humidity: { relativePercentage: 40 } });
    expect([
      observe("TemperatureCelsiusMax", temperature),
      observe("TemperatureCelsiusMax", humidity),
    ]).toEqual([22, null]);
  });

  it("counts a sensor among those detecting water, or doors open, only while the state holds", () => {
    const wet = envelopeOf({ metric: "water", water: { present: true } });
    const dry = envelopeOf({ metric: "water", water: { present: false } });
    const open = envelopeOf({ metric: "door", door: { open: true } });
    expect([
      observe("WaterDetected", wet),
      observe("WaterDetected", dry),
      observe("WaterDetected", open),
    ]).toEqual(["Q234-ABCD-5678", null, null]);
    expect(observe("DoorsOpen", open)).toBe("Q234-ABCD-5678");
  });

  it("writes the state as text and the reading's age in seconds on the line", () => {
    const wet = envelopeOf({ metric: "water", water: { present: true } });
    const { fields } = sensorReadings.consumer;
    expect([fields.state!(wet, undefined), fields.readingAgeSeconds!(wet, undefined)]).toEqual(["true", 90]);
  });

  it("declares the out-of-range query only with the thresholds that are set", () => {
    const unset = {
      temperatureMaxCelsius: undefined,
      temperatureMinCelsius: undefined,
      humidityMaxPercent: undefined,
      water: undefined,
      doorOpen: undefined,
    };
    expect(sensorReadings.monitoring.queries(unset).map((q) => q.id)).toEqual(["LatestByMetric"]);
    const freezer = sensorReadings.monitoring.queries({ ...unset, temperatureMaxCelsius: -15, water: 0 });
    expect(freezer.find((q) => q.id === "OutOfRange")!.filter).toEqual([
      '(metric = "temperature" and value > -15) or (metric = "water" and state = "true")',
    ]);
  });
});
