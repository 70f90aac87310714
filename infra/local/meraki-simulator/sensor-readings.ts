// getOrganizationSensorReadingsLatest: one row per MT sensor with the latest reading of every
// metric its model measures (SENSOR_METRICS). A sensor samples on its own 2-minute grid; the latest
// sample is the last one before the sensor last reported (availability.ts, as the statuses say: an
// offline sensor's readings are old), and every value hashes (seed, serial, metric, sample), so
// calls agree until the next sample.

import { availabilityOf } from "./availability.js";
import { type Catalog, devicesOfType } from "./catalog.js";
import type { SimDevice, SimNetwork, SimOrganization } from "./dataset.js";
import { SENSOR_METRICS, type SensorMetric } from "./fixtures.js";
import type { HandlerContext, Reply } from "./operation.js";
import { type PageLimits, paginate } from "./pagination.js";
import { enumList, stringSet } from "./query.js";
import { unitFromKey } from "./random.js";

const READINGS_PAGE: PageLimits = { min: 3, max: 1000, default: 1000 };
const SAMPLE_MS = 120_000;

/** The `metrics` filter's vocabulary (spec v1.73.0; the response vocabulary also has no2, o3, pm10). */
const METRIC_FILTER = [
  "apparentPower",
  "battery",
  "button",
  "co2",
  "current",
  "door",
  "downstreamPower",
  "frequency",
  "humidity",
  "indoorAirQuality",
  "noise",
  "pm25",
  "powerFactor",
  "rawTemperature",
  "realPower",
  "remoteLockoutSwitch",
  "temperature",
  "tvoc",
  "voltage",
  "water",
] as const;

export function sensorReadingsLatest(catalog: Catalog, org: SimOrganization, ctx: HandlerContext): Reply {
  const networkIds = stringSet(ctx.query, "networkIds");
  const serials = stringSet(ctx.query, "serials");
  const metrics = enumList(ctx.query, "metrics", METRIC_FILTER);
  const rows = devicesOfType(catalog, org.id, "sensor")
    .filter(
      (d) =>
        (networkIds === undefined || networkIds.has(d.networkId)) &&
        (serials === undefined || serials.has(d.serial)),
    )
    .map((device) => ({ device, measured: measuredMetrics(device, metrics) }))
    // A sensor that measures none of the requested metrics has nothing to report.
    .filter((row) => row.measured.length > 0);
  const page = paginate(rows, (row) => row.device.serial, ctx.query, READINGS_PAGE, ctx.url);
  const availability = availabilityOf(catalog, org, ctx);
  const body = page.items.map(({ device, measured }) => {
    const network = catalog.networkById.get(device.networkId);
    return renderSensor(
      device,
      network,
      measured,
      availability.lastReportedAtMs(device, ctx.nowMs),
      ctx.seed,
    );
  });
  return { body, headers: { Link: page.link } };
}

function measuredMetrics(device: SimDevice, filter: ReadonlySet<string> | undefined): SensorMetric[] {
  return (SENSOR_METRICS[device.model] ?? []).filter((metric) => filter === undefined || filter.has(metric));
}

function renderSensor(
  device: SimDevice,
  network: SimNetwork | undefined,
  metrics: readonly SensorMetric[],
  lastReportedMs: number,
  seed: number,
): object {
  // Each sensor's grid is offset by its own phase, so an organisation's sensors do not report in step.
  const phase = Math.floor(unitFromKey(`${device.serial}|phase`) * SAMPLE_MS);
  const sample = Math.floor((lastReportedMs - phase) / SAMPLE_MS);
  const ts = new Date(sample * SAMPLE_MS + phase).toISOString();
  const values = new SensorValues(seed, device, network, sample);
  return {
    serial: device.serial,
    network: { id: device.networkId, name: network?.name ?? "" },
    readings: metrics.map((metric) => ({ ts, metric, [metric]: values.reading(metric) })),
  };
}

/** One sample's values of one sensor; the power readings agree with each other (P = S x PF). */
class SensorValues {
  readonly #key: string;
  readonly #sample: number;
  readonly #model: string;
  readonly #mainsVolts: number;
  readonly #mainsHertz: number;

  constructor(seed: number, device: SimDevice, network: SimNetwork | undefined, sample: number) {
    this.#key = `${seed}|${device.serial}`;
    this.#sample = sample;
    this.#model = device.model;
    const zone = network?.timeZone ?? "";
    // North America runs at 120 V / 60 Hz, Japan at 100 V, the rest of the dataset's cities at 230 V / 50 Hz.
    this.#mainsVolts = zone.startsWith("America/") ? 120 : zone === "Asia/Tokyo" ? 100 : 230;
    this.#mainsHertz = zone.startsWith("America/") ? 60 : 50;
  }

  reading(metric: SensorMetric): object {
    switch (metric) {
      case "temperature": {
        const celsius = this.#temperatureCelsius();
        return { fahrenheit: round1((celsius * 9) / 5 + 32), celsius };
      }
      case "humidity":
        return { relativePercentage: Math.round(this.#around("humidity", 45, 15)) };
      case "battery":
        // Batteries drain over months: a fixed level per sensor.
        return { percentage: 35 + Math.floor(this.#fixed("battery") * 66) };
      case "water":
        return { present: this.#fixed("leaky") < 0.1 && this.#varying("water") < 0.5 };
      case "door":
        return { open: this.#varying("door") < 0.15 };
      case "button":
        return { pressType: this.#varying("button") < 0.8 ? "short" : "long" };
      case "co2":
        return { concentration: Math.round(this.#around("co2", 750, 350)) };
      case "tvoc":
        return { concentration: Math.round(this.#around("tvoc", 250, 200)) };
      case "pm25":
        return { concentration: Math.round(this.#around("pm25", 12, 10)) };
      case "noise":
        return { ambient: { level: Math.round(this.#around("noise", 45, 12)) } };
      case "indoorAirQuality":
        return { score: Math.round(this.#around("iaq", 80, 18)) };
      case "voltage":
        return { level: round1(this.#mainsVolts + (this.#varying("voltage") - 0.5) * 4) };
      case "frequency":
        return { level: round1(this.#mainsHertz + (this.#varying("frequency") - 0.5) * 0.2) };
      case "realPower":
        return { draw: round1(this.#realPowerWatts()) };
      case "apparentPower":
        return { draw: round1(this.#apparentPowerVa()) };
      case "current":
        return { draw: Math.round((this.#apparentPowerVa() / this.#mainsVolts) * 1000) / 1000 };
      case "powerFactor":
        return { percentage: this.#powerFactorPercent() };
      case "downstreamPower":
        return { enabled: this.#fixed("switched-off") >= 0.1 };
      case "remoteLockoutSwitch":
        return { locked: this.#fixed("locked") < 0.2 };
    }
  }

  /** MT11 probes sit in freezers and fridges; the others in rooms. */
  #temperatureCelsius(): number {
    const base =
      this.#model === "MT11" ? (this.#fixed("appliance") < 0.5 ? -18 : 4) : 19 + this.#fixed("room") * 5;
    return round1(base + (this.#varying("temperature") - 0.5) * 3);
  }

  #powerFactorPercent(): number {
    return 85 + Math.floor(this.#fixed("pf") * 14);
  }

  #realPowerWatts(): number {
    return this.#fixed("switched-off") < 0.1 ? 0 : 5 + this.#fixed("load") * 600 * this.#varying("draw");
  }

  #apparentPowerVa(): number {
    return this.#realPowerWatts() / (this.#powerFactorPercent() / 100);
  }

  /** A per-sensor level within [mean - spread, mean + spread] that moves from sample to sample. */
  #around(name: string, mean: number, spread: number): number {
    const level = this.#fixed(name) - 0.5;
    const wobble = (this.#varying(name) - 0.5) * 0.3;
    return mean + (level + wobble) * spread * 1.5;
  }

  #fixed(name: string): number {
    return unitFromKey(`${this.#key}|${name}`);
  }

  #varying(name: string): number {
    return unitFromKey(`${this.#key}|${name}|${this.#sample}`);
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
