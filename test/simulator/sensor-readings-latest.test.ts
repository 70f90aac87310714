import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimDevice } from "../../infra/local/meraki-simulator/dataset.js";
import { SENSOR_METRICS } from "../../infra/local/meraki-simulator/fixtures.js";
import {
  type RunningSimulator,
  type SimulatorOptions,
  startMerakiSimulator,
} from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, NOW, walkPages } from "./helpers.js";
import { describeErrors, queryArrayEnum, responseSchema, strictValidator } from "./spec-schemas.js";

const TEMPLATE = "/organizations/{organizationId}/sensor/readings/latest";

interface Reading {
  ts: string;
  metric: string;
  [metric: string]: unknown;
}

interface SensorRow {
  serial: string;
  network: { id: string; name: string };
  readings: Reading[];
}

const OPTIONS: SimulatorOptions = {
  seed: 5,
  organizations: 1,
  networksPerOrg: 10,
  devicesPerOrg: 300,
  now: fixedClock,
  rateLimitPerSecond: 10_000,
};

describe("GET /organizations/{organizationId}/sensor/readings/latest", () => {
  let sim: RunningSimulator;
  let path: string;
  let sensors: SimDevice[];

  beforeAll(async () => {
    sim = await startMerakiSimulator(OPTIONS);
    path = `/organizations/${sim.dataset.organizations[0]!.id}/sensor/readings/latest`;
    sensors = sim.dataset.devices.filter((d) => d.productType === "sensor");
  });
  afterAll(() => sim.stop());

  it("has exactly the shape of the spec's 200 schema, each reading carrying only its metric's object", async () => {
    const metricObjects = queryArrayEnum(TEMPLATE, "metrics").concat(["no2", "o3", "pm10"]);
    const validate = strictValidator(responseSchema(TEMPLATE), metricObjects);
    const body = await getJson<SensorRow[]>(sim, path);
    expect(validate(body), describeErrors(validate)).toBe(true);
    for (const reading of body.flatMap((row) => row.readings)) {
      expect(Object.keys(reading).sort()).toEqual([reading.metric, "metric", "ts"].sort());
    }
  });

  it("lists every MT by serial with its network, and the readings its model measures", async () => {
    const body = await getJson<SensorRow[]>(sim, path);
    expect(body.map((row) => [row.serial, row.network.id, row.readings.map((r) => r.metric)])).toEqual(
      sensors.map((d) => [d.serial, d.networkId, [...SENSOR_METRICS[d.model]!]]),
    );
    const names = new Map(sim.dataset.networks.map((n) => [n.id, n.name]));
    for (const row of body) expect(row.network.name).toBe(names.get(row.network.id));
  });

  it("takes readings no later than the sensor last reported", async () => {
    const body = await getJson<SensorRow[]>(sim, path);
    const lastReported = new Map(
      sensors.map((d) => [d.serial, NOW.getTime() - d.lastReportedSecondsAgo * 1000]),
    );
    for (const row of body) {
      for (const reading of row.readings) {
        const at = Date.parse(reading.ts);
        expect(at).toBeLessThanOrEqual(lastReported.get(row.serial)!);
        expect(at).toBeGreaterThan(lastReported.get(row.serial)! - 120_000);
      }
    }
  });

  it("gives plausible values: temperatures in both scales agree, percentages within 0-100", async () => {
    const readings = (await getJson<SensorRow[]>(sim, path)).flatMap((row) => row.readings);
    const temperatures = readings.filter((r) => r.metric === "temperature");
    expect(temperatures.length).toBeGreaterThan(0);
    for (const { temperature } of temperatures) {
      const { celsius, fahrenheit } = temperature as { celsius: number; fahrenheit: number };
      expect(Math.abs(fahrenheit - (celsius * 9) / 5 - 32)).toBeLessThan(0.1);
    }
    const percentages = readings.flatMap((r) => {
      if (r.metric === "humidity") return [(r.humidity as { relativePercentage: number }).relativePercentage];
      if (r.metric === "battery") return [(r.battery as { percentage: number }).percentage];
      return [];
    });
    expect(percentages.length).toBeGreaterThan(0);
    for (const value of percentages) expect(value >= 0 && value <= 100).toBe(true);
  });

  it("answers identically for the same seed and time", async () => {
    const twin = await startMerakiSimulator(OPTIONS);
    try {
      expect(await getJson(twin, path)).toEqual(await getJson(sim, path));
    } finally {
      await twin.stop();
    }
  });

  it("moves the readings on with time", async () => {
    const later = await startMerakiSimulator({ ...OPTIONS, now: () => new Date(NOW.getTime() + 3_600_000) });
    try {
      const before = await getJson<SensorRow[]>(sim, path);
      const after = await getJson<SensorRow[]>(later, path);
      expect(after.map((row) => row.readings[0]!.ts)).not.toEqual(before.map((row) => row.readings[0]!.ts));
    } finally {
      await later.stop();
    }
  });

  it("pages with Link at perPage 3 and at most 1000", async () => {
    const { items, pages } = await walkPages<SensorRow>(sim, `${path}?perPage=3`);
    expect(items.map((row) => row.serial)).toEqual(sensors.map((d) => d.serial));
    expect(pages).toBe(Math.ceil(sensors.length / 3));
    expect((await get(sim, `${path}?perPage=1001`)).status).toBe(400);
  });

  it("filters by metrics, leaving out sensors that measure none of them", async () => {
    const body = await getJson<SensorRow[]>(sim, `${path}?metrics[]=temperature&metrics[]=water`);
    const expected = sensors.filter((d) =>
      SENSOR_METRICS[d.model]!.some((m) => m === "temperature" || m === "water"),
    );
    expect(body.map((row) => row.serial)).toEqual(expected.map((d) => d.serial));
    for (const reading of body.flatMap((row) => row.readings)) {
      expect(["temperature", "water"]).toContain(reading.metric);
    }
    expect((await get(sim, `${path}?metrics[]=altitude`)).status).toBe(400);
  });

  it("filters by networkIds and serials", async () => {
    const [first, second] = sensors;
    const byNetwork = await getJson<SensorRow[]>(sim, `${path}?networkIds[]=${first!.networkId}`);
    const bySerial = await getJson<SensorRow[]>(sim, `${path}?serials[]=${second!.serial}`);
    expect(byNetwork.map((row) => row.serial)).toEqual(
      sensors.filter((d) => d.networkId === first!.networkId).map((d) => d.serial),
    );
    expect(bySerial.map((row) => row.serial)).toEqual([second!.serial]);
  });
});
