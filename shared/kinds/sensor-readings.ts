// Sensor readings: the latest reading of every metric of every MT sensor when the sweep ran, from
// one paged organisation-wide listing (plus the cached inventory for names). The API nests each
// metric's value in an object of its own shape ({temperature: {celsius, fahrenheit}}, {door:
// {open}}); a record flattens it into the same few fields for every metric (a number with its unit,
// or a state), so one query or metric reads any metric the same way.

import { MetricUnit } from "@aws-lambda-powertools/metrics";
import * as z from "zod";
import { type TelemetryRecord, toTelemetryRecord } from "../kafka/record.js";
import {
  type Device,
  getOrganizationDevices,
  getOrganizationNetworks,
  getOrganizations,
  type Network,
} from "../meraki/inventory.js";
import { defineOperation, type OperationItem } from "../meraki/operation.js";
import { boolean, integer, item, list, number, object, subjectId, text } from "../meraki/spec-fields.js";
import {
  envelopeSchema,
  firstId,
  id,
  MAX_MEASUREMENT,
  optionalMeasurement,
  optionalText,
  sourceBase,
  type ViolationParams,
} from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import type { KindQuery } from "./kind.js";
import { defineKind } from "./kind.js";

const draw = object({ draw: number });
const level = object({ level: number });
const concentration = object({ concentration: integer });
const degrees = object({ fahrenheit: number, celsius: number });

/** GET /organizations/{organizationId}/sensor/readings/latest. */
export const getOrganizationSensorReadingsLatest = defineOperation({
  operationId: "getOrganizationSensorReadingsLatest",
  path: "/organizations/{organizationId}/sensor/readings/latest",
  maxPerPage: 1000,
  scope: "organization",
  item: item({
    serial: subjectId,
    network: object({ id: text, name: text }),
    readings: list(
      object({
        ts: text,
        metric: text,
        apparentPower: draw,
        battery: object({ percentage: integer }),
        button: object({ pressType: text }),
        co2: concentration,
        current: draw,
        door: object({ open: boolean }),
        downstreamPower: object({ enabled: boolean }),
        frequency: level,
        humidity: object({ relativePercentage: integer }),
        indoorAirQuality: object({ score: integer }),
        noise: object({ ambient: object({ level: integer }) }),
        no2: concentration,
        o3: concentration,
        pm10: concentration,
        pm25: concentration,
        powerFactor: object({ percentage: integer }),
        realPower: draw,
        remoteLockoutSwitch: object({ locked: boolean }),
        temperature: degrees,
        tvoc: concentration,
        voltage: level,
        water: object({ present: boolean }),
        rawTemperature: degrees,
      }),
    ),
  }),
});

export type SensorReadingsRow = OperationItem<typeof getOrganizationSensorReadingsLatest>;
type Reading = NonNullable<NonNullable<SensorReadingsRow["readings"]>[number]>;

export const SENSOR_READING_SCHEMA = "semaphore.sensor-reading.v1";

/** Absolute zero: no temperature reading is below it. */
const ABSOLUTE_ZERO = { celsius: -273.15, fahrenheit: -459.67 } as const;

/**
 * What a reading's value may be, by its unit (FLATTEN below names the units): a percentage or a
 * score 0-100, a temperature above absolute zero, a concentration, power, current, voltage or
 * frequency never negative. Sound levels (dBA) may be negative; a unit not listed is any measurement.
 */
const UNIT_RANGES: Readonly<Record<string, { min: number; max: number }>> = {
  celsius: { min: ABSOLUTE_ZERO.celsius, max: MAX_MEASUREMENT },
  percent: { min: 0, max: 100 },
  score: { min: 0, max: 100 },
  ppm: { min: 0, max: MAX_MEASUREMENT },
  ppb: { min: 0, max: MAX_MEASUREMENT },
  "ug/m3": { min: 0, max: MAX_MEASUREMENT },
  watts: { min: 0, max: MAX_MEASUREMENT },
  "volt-amperes": { min: 0, max: MAX_MEASUREMENT },
  amperes: { min: 0, max: MAX_MEASUREMENT },
  volts: { min: 0, max: MAX_MEASUREMENT },
  hertz: { min: 0, max: MAX_MEASUREMENT },
};

const outsideUnitRange: ViolationParams = { violation: "value-out-of-range" };

export const sensorReadingEnvelope = envelopeSchema(
  SENSOR_READING_SCHEMA,
  z.object({
    ...sourceBase,
    serial: id,
    model: optionalText,
  }),
  z
    .object({
      /** The API's metric name: temperature, humidity, water, door, battery, co2, realPower, ... */
      metric: id,
      /** When the sensor took the reading, as the API says. */
      ts: optionalText,
      /** The measured number in `unit` (celsius for temperatures); null for state metrics. */
      value: optionalMeasurement,
      unit: optionalText,
      /** Temperatures only: the API's own Fahrenheit value. */
      fahrenheit: optionalMeasurement.refine((f) => f === null || f >= ABSOLUTE_ZERO.fahrenheit, {
        message: `must be at least ${ABSOLUTE_ZERO.fahrenheit} (absolute zero)`,
        params: outsideUnitRange,
      }),
      /** State metrics: water present, door open, downstream power enabled, remote lockout locked. */
      state: z.boolean().nullable(),
      /** Button presses: short or long. */
      pressType: optionalText,
    })
    .superRefine((data, ctx) => {
      const range = data.unit === null ? undefined : UNIT_RANGES[data.unit];
      if (data.value === null || range === undefined) return;
      if (data.value < range.min || data.value > range.max) {
        ctx.addIssue({
          code: "custom",
          path: ["value"],
          message: `${data.value} ${data.unit} is outside ${range.min} to ${range.max}`,
          params: outsideUnitRange,
        });
      }
    }),
);

export type SensorReadingEnvelope = z.infer<typeof sensorReadingEnvelope>;
type ReadingValues = Omit<SensorReadingEnvelope["data"], "metric" | "ts">;

const NO_VALUE: ReadingValues = { value: null, unit: null, fahrenheit: null, state: null, pressType: null };

const measured = (value: number | null | undefined, unit: string): ReadingValues => ({
  ...NO_VALUE,
  value: value ?? null,
  unit,
});
const stated = (state: boolean | null | undefined): ReadingValues => ({ ...NO_VALUE, state: state ?? null });

/** Each metric's value object flattened; a metric this table lacks keeps its name and no value. */
const FLATTEN: Readonly<Record<string, (reading: Reading) => ReadingValues>> = {
  temperature: (r) => ({
    ...measured(r.temperature?.celsius, "celsius"),
    fahrenheit: r.temperature?.fahrenheit ?? null,
  }),
  rawTemperature: (r) => ({
    ...measured(r.rawTemperature?.celsius, "celsius"),
    fahrenheit: r.rawTemperature?.fahrenheit ?? null,
  }),
  humidity: (r) => measured(r.humidity?.relativePercentage, "percent"),
  battery: (r) => measured(r.battery?.percentage, "percent"),
  co2: (r) => measured(r.co2?.concentration, "ppm"),
  tvoc: (r) => measured(r.tvoc?.concentration, "ug/m3"),
  pm25: (r) => measured(r.pm25?.concentration, "ug/m3"),
  pm10: (r) => measured(r.pm10?.concentration, "ug/m3"),
  no2: (r) => measured(r.no2?.concentration, "ppb"),
  o3: (r) => measured(r.o3?.concentration, "ppb"),
  noise: (r) => measured(r.noise?.ambient?.level, "dBA"),
  indoorAirQuality: (r) => measured(r.indoorAirQuality?.score, "score"),
  realPower: (r) => measured(r.realPower?.draw, "watts"),
  apparentPower: (r) => measured(r.apparentPower?.draw, "volt-amperes"),
  current: (r) => measured(r.current?.draw, "amperes"),
  voltage: (r) => measured(r.voltage?.level, "volts"),
  frequency: (r) => measured(r.frequency?.level, "hertz"),
  powerFactor: (r) => measured(r.powerFactor?.percentage, "percent"),
  water: (r) => stated(r.water?.present),
  door: (r) => stated(r.door?.open),
  downstreamPower: (r) => stated(r.downstreamPower?.enabled),
  remoteLockoutSwitch: (r) => stated(r.remoteLockoutSwitch?.locked),
  button: (r) => ({ ...NO_VALUE, pressType: r.button?.pressType ?? null }),
};

export interface SensorReadingMappingInput extends MappingInput {
  networks: Map<string, Network>;
  devices: Map<string, Device>;
}

/**
 * One record per (sensor, metric), keyed `serial:metric` (compaction keeps every metric's latest reading). A row without a serial cannot be keyed, a
 * reading without a metric names nothing, and a sensor listing no reading says nothing: each is
 * dropped and counted, as is a second reading of a metric the sensor already reported.
 */
export function sensorReadingRecords(
  rows: SensorReadingsRow[],
  input: SensorReadingMappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  const subjects = new Set<string>();
  for (const row of rows) {
    if (!row.serial) {
      countDrop(dropped, "null-serial");
      continue;
    }
    const readings = row.readings ?? [];
    if (readings.length === 0) {
      countDrop(dropped, "no-readings");
      continue;
    }
    const device = input.devices.get(row.serial);
    const networkId = firstId(row.network?.id, device?.networkId);
    const networkName =
      row.network?.name ?? (networkId ? (input.networks.get(networkId)?.name ?? null) : null);
    for (const reading of readings) {
      if (!reading?.metric) {
        countDrop(dropped, "no-metric");
        continue;
      }
      const subject = `${row.serial}|${reading.metric}`;
      if (subjects.has(subject)) {
        countDrop(dropped, "duplicate-metric");
        continue;
      }
      subjects.add(subject);
      const envelope: SensorReadingEnvelope = {
        ...envelopeHead(SENSOR_READING_SCHEMA, organizationId, subject, input),
        source: {
          organizationId,
          organizationName: input.organization.name ?? null,
          networkId,
          networkName,
          serial: row.serial,
          deviceName: device?.name ?? null,
          model: device?.model ?? null,
        },
        data: {
          metric: reading.metric,
          ts: reading.ts ?? null,
          ...(FLATTEN[reading.metric]?.(reading) ?? NO_VALUE),
        },
      };
      records.push(toTelemetryRecord(input.topic, `${row.serial}:${reading.metric}`, envelope));
    }
  }
  return { records, dropped };
}

/** The value of a reading of `metric`, or null (another metric, or no value). */
function readingOf(envelope: SensorReadingEnvelope, metric: string): number | null {
  return envelope.data.metric === metric ? envelope.data.value : null;
}

/** The sensor's serial when its reading of `metric` is in the state, the member of a count. */
function sensorIn(envelope: SensorReadingEnvelope, metric: string): string | null {
  return envelope.data.metric === metric && envelope.data.state === true ? envelope.source.serial : null;
}

/** Seconds between the reading and the sweep: an old reading is a sensor that stopped reporting. */
function readingAgeSeconds(envelope: SensorReadingEnvelope): number | null {
  const at = envelope.data.ts === null ? Number.NaN : Date.parse(envelope.data.ts);
  return Number.isNaN(at) ? null : Math.round((Date.parse(envelope.observedAt) - at) / 1000);
}

type SensorThreshold =
  | "temperatureMaxCelsius"
  | "temperatureMinCelsius"
  | "humidityMaxPercent"
  | "water"
  | "doorOpen";

/** The conditions of the "outside the configured range" query, for the thresholds that are set. */
function outOfRange(thresholds: Readonly<Record<SensorThreshold, number | undefined>>): string[] {
  const conditions: string[] = [];
  const { temperatureMaxCelsius, temperatureMinCelsius, humidityMaxPercent } = thresholds;
  if (temperatureMaxCelsius !== undefined) {
    conditions.push(`(metric = "temperature" and value > ${temperatureMaxCelsius})`);
  }
  if (temperatureMinCelsius !== undefined) {
    conditions.push(`(metric = "temperature" and value < ${temperatureMinCelsius})`);
  }
  if (humidityMaxPercent !== undefined)
    conditions.push(`(metric = "humidity" and value > ${humidityMaxPercent})`);
  if (thresholds.water !== undefined) conditions.push('(metric = "water" and state = "true")');
  if (thresholds.doorOpen !== undefined) conditions.push('(metric = "door" and state = "true")');
  return conditions;
}

export const sensorReadings = defineKind({
  id: "sensor-readings",
  title: "Sensor readings",
  recordPer: "sensor and metric",
  recordKey: "serial:metric",
  schema: { id: SENSOR_READING_SCHEMA, version: 1, envelope: sensorReadingEnvelope },
  defaultTopic: "meraki.sensors.readings",
  topicSettings: { partitions: 3, retentionHours: 7 * 24, cleanupPolicy: "compact,delete" },
  window: { semantics: "snapshot", dataDelaySeconds: 0 },
  // One call per 1,000 sensors (+ cached inventory): seconds.
  deployment: { schedule: "rate(5 minutes)", memoryMb: 512, timeoutSeconds: 120 },
  operations: [
    getOrganizations,
    getOrganizationNetworks,
    getOrganizationDevices,
    getOrganizationSensorReadingsLatest,
  ],
  async sweepOrganization(context) {
    const organizationId = context.organization.id;
    const rows = await context.meraki.all(getOrganizationSensorReadingsLatest, { organizationId });
    const devices = await context.inventory.devicesKnowing(
      context.meraki,
      organizationId,
      rows.map((row) => row.serial),
    );
    const networks = await context.inventory.networks(context.meraki, organizationId);
    return sensorReadingRecords(rows, { ...context, networks, devices });
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      model: (envelope) => envelope.source.model,
      metric: (envelope) => envelope.data.metric,
      ts: (envelope) => envelope.data.ts,
      readingAgeSeconds: (envelope) => readingAgeSeconds(envelope),
      value: (envelope) => envelope.data.value,
      unit: (envelope) => envelope.data.unit,
      fahrenheit: (envelope) => envelope.data.fahrenheit,
      // Lines hold text and numbers; Logs Insights filters `state = "true"`.
      state: (envelope) => (envelope.data.state === null ? null : String(envelope.data.state)),
      pressType: (envelope) => envelope.data.pressType,
    },
    metrics: [
      {
        name: "SensorReadings",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct (sensor, metric) latest readings, by metric",
        dimensions: { Metric: (envelope) => envelope.data.metric },
        observe: (envelope) => `${envelope.source.serial}|${envelope.data.metric}`,
      },
      {
        name: "TemperatureCelsiusAvg",
        unit: MetricUnit.NoUnit,
        aggregation: "avg",
        description: "average of the sensors' latest temperatures (celsius)",
        dimensions: {},
        observe: (envelope) => readingOf(envelope, "temperature"),
      },
      {
        name: "TemperatureCelsiusMax",
        unit: MetricUnit.NoUnit,
        aggregation: "max",
        description: "highest latest temperature of any sensor (celsius)",
        dimensions: {},
        observe: (envelope) => readingOf(envelope, "temperature"),
      },
      {
        name: "TemperatureCelsiusMin",
        unit: MetricUnit.NoUnit,
        aggregation: "min",
        description: "lowest latest temperature of any sensor (celsius)",
        dimensions: {},
        observe: (envelope) => readingOf(envelope, "temperature"),
      },
      {
        name: "HumidityPercentAvg",
        unit: MetricUnit.Percent,
        aggregation: "avg",
        description: "average of the sensors' latest relative humidity",
        dimensions: {},
        observe: (envelope) => readingOf(envelope, "humidity"),
      },
      {
        name: "HumidityPercentMax",
        unit: MetricUnit.Percent,
        aggregation: "max",
        description: "highest latest relative humidity of any sensor",
        dimensions: {},
        observe: (envelope) => readingOf(envelope, "humidity"),
      },
      {
        name: "WaterDetected",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct sensors whose latest reading detects water",
        dimensions: {},
        observe: (envelope) => sensorIn(envelope, "water"),
      },
      {
        name: "DoorsOpen",
        unit: MetricUnit.Count,
        aggregation: "count-distinct",
        description: "distinct door sensors whose latest reading is open",
        dimensions: {},
        observe: (envelope) => sensorIn(envelope, "door"),
      },
      {
        name: "SensorBatteryPercentMin",
        unit: MetricUnit.Percent,
        aggregation: "min",
        description: "lowest battery level of any battery-powered sensor",
        dimensions: {},
        observe: (envelope) => readingOf(envelope, "battery"),
      },
      {
        name: "Co2PpmMax",
        unit: MetricUnit.NoUnit,
        aggregation: "max",
        description: "highest latest CO2 concentration of any sensor (ppm)",
        dimensions: {},
        observe: (envelope) => readingOf(envelope, "co2"),
      },
      {
        name: "Pm25Max",
        unit: MetricUnit.NoUnit,
        aggregation: "max",
        description: "highest latest PM2.5 concentration of any sensor (ug/m3)",
        dimensions: {},
        observe: (envelope) => readingOf(envelope, "pm25"),
      },
      {
        name: "RealPowerWatts",
        unit: MetricUnit.NoUnit,
        aggregation: "sum",
        description: "real power drawn through the power monitors (watts), summed",
        dimensions: {},
        observe: (envelope) => readingOf(envelope, "realPower"),
      },
    ],
  },
  monitoring: {
    // No defaults: a freezer, a server room and an office differ, so each site sets its own range.
    thresholds: {
      temperatureMaxCelsius: {
        min: -100,
        max: 200,
        description: "temperature (celsius) above which any sensor's latest reading raises the alarm",
      },
      temperatureMinCelsius: {
        min: -100,
        max: 200,
        description: "temperature (celsius) below which any sensor's latest reading raises the alarm",
      },
      humidityMaxPercent: {
        min: 0,
        max: 100,
        description: "relative humidity (percent) above which any sensor's latest reading raises the alarm",
      },
      water: {
        min: 0,
        max: 100_000,
        description: "sensors detecting water above which the alarm is raised (0: any)",
      },
      doorOpen: {
        min: 0,
        max: 100_000,
        description: "doors open for three sweeps in a row above which the alarm is raised (0: any)",
      },
    },
    alarms: [
      {
        id: "temperature-above-range",
        description: (threshold) =>
          `A sensor reads more than ${threshold} °C; the "sensor readings outside the configured range" query names it.`,
        metric: "TemperatureCelsiusMax",
        statistic: "MAX",
        threshold: "temperatureMaxCelsius",
        comparison: "above",
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      },
      {
        id: "temperature-below-range",
        description: (threshold) =>
          `A sensor reads less than ${threshold} °C; the "sensor readings outside the configured range" query names it.`,
        metric: "TemperatureCelsiusMin",
        statistic: "MIN",
        threshold: "temperatureMinCelsius",
        comparison: "below",
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      },
      {
        id: "humidity-above-range",
        description: (threshold) =>
          `A sensor reads more than ${threshold}% relative humidity; the "sensor readings outside the configured range" query names it.`,
        metric: "HumidityPercentMax",
        statistic: "MAX",
        threshold: "humidityMaxPercent",
        comparison: "above",
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      },
      {
        id: "water-detected",
        description: (threshold) =>
          `More than ${threshold} sensors detect water; the "sensor readings outside the configured range" query names them.`,
        metric: "WaterDetected",
        statistic: "SUM",
        threshold: "water",
        comparison: "above",
        // Water is never a blip worth waiting for.
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      },
      {
        id: "door-open",
        description: (threshold) =>
          `More than ${threshold} doors have stood open for 15 minutes; the "sensor readings outside the configured range" query names them.`,
        metric: "DoorsOpen",
        statistic: "SUM",
        threshold: "doorOpen",
        comparison: "above",
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
      },
    ],
    widgets: [
      {
        title: "Temperature °C, warmest 10 networks",
        metric: "TemperatureCelsiusMax",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
      {
        title: "Humidity %, most humid 10 networks",
        metric: "HumidityPercentMax",
        statistic: "MAX",
        groupBy: "NetworkId",
        top: 10,
      },
      { title: "Sensors detecting water", metric: "WaterDetected", statistic: "SUM", groupBy: "NetworkId" },
      { title: "Doors open", metric: "DoorsOpen", statistic: "SUM", groupBy: "NetworkId" },
      { title: "Sensor readings by metric", metric: "SensorReadings", statistic: "SUM", groupBy: "Metric" },
    ],
    queries: (thresholds): KindQuery[] => {
      const conditions = outOfRange(thresholds);
      const latest: KindQuery = {
        id: "LatestByMetric",
        name: "latest reading per sensor and metric",
        stats:
          "latest(value) as value, latest(state) as state, latest(ts) as ts by networkName, deviceName, serial, metric, unit",
        sort: "networkName asc",
        limit: 1000,
      };
      if (conditions.length === 0) return [latest];
      return [
        latest,
        {
          id: "OutOfRange",
          name: "sensor readings outside the configured range",
          fields: ["networkName", "deviceName", "serial", "metric", "value", "unit", "state", "ts"],
          filter: [conditions.join(" or ")],
          sort: "@timestamp desc",
          limit: 200,
        },
      ];
    },
  },
});
