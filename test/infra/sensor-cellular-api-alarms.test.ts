// The alarms of cellular-uplink-statuses, sensor-readings and api-requests in the template: the
// cellular and 429 alarms are on by default, the sensor ranges off until the stack config sets them
// (sites differ); set, each alarms on its metric with its threshold, comparison and evaluation.
import { beforeAll, describe, expect, it } from "vitest";
import { resourcesOfType, type Synthesized, synth, type TemplateProps } from "./synth.js";

let defaults: Synthesized;
let set: Synthesized;

beforeAll(() => {
  defaults = synth();
  set = synth({
    sweeps: {
      "cellular-uplink-statuses": { alarms: { notConnectedUplinks: 2 } },
      "sensor-readings": {
        alarms: {
          temperatureMaxCelsius: 8,
          temperatureMinCelsius: -25,
          humidityMaxPercent: 70,
          water: 0,
          doorOpen: 1,
        },
      },
      "api-requests": { alarms: { rateLimitedRequests: 500 } },
    },
  });
});

const alarm = (s: Synthesized, name: string): TemplateProps | undefined =>
  resourcesOfType(s.template, "AWS::CloudWatch::Alarm").find((a) => a.props.AlarmName === `Semaphore-${name}`)
    ?.props;

const expression = (statistic: string, metric: string) =>
  `SELECT ${statistic}(${metric}) FROM SCHEMA("Semaphore", NetworkId, service) WHERE service = 'semaphore-consumer'`;

const SENSOR_ALARMS = [
  [
    "sensor-readings-temperature-above-range",
    "MAX",
    "TemperatureCelsiusMax",
    8,
    "GreaterThanThreshold",
    3,
    2,
  ],
  ["sensor-readings-temperature-below-range", "MIN", "TemperatureCelsiusMin", -25, "LessThanThreshold", 3, 2],
  ["sensor-readings-humidity-above-range", "MAX", "HumidityPercentMax", 70, "GreaterThanThreshold", 3, 2],
  ["sensor-readings-water-detected", "SUM", "WaterDetected", 0, "GreaterThanThreshold", 1, 1],
  ["sensor-readings-door-open", "SUM", "DoorsOpen", 1, "GreaterThanThreshold", 3, 3],
] as const;

const ALARMS = [
  [
    "cellular-uplink-statuses-uplink-not-connected",
    "SUM",
    "CellularUplinksNotConnected",
    2,
    "GreaterThanThreshold",
    3,
    2,
  ],
  ...SENSOR_ALARMS,
  ["api-requests-rate-limited", "SUM", "ApiRequestsRateLimited", 500, "GreaterThanThreshold", 1, 1],
] as const;

describe("the cellular, sensor and API request alarms", () => {
  it.each(SENSOR_ALARMS.map(([name]) => [name]))("%s is off while its threshold is unset", (name) => {
    expect(alarm(defaults, name)).toBeUndefined();
  });

  it("alarms on any cellular uplink not connected, and on 100 429s in a window, by default", () => {
    expect(alarm(defaults, "cellular-uplink-statuses-uplink-not-connected")).toMatchObject({ Threshold: 0 });
    expect(alarm(defaults, "api-requests-rate-limited")).toMatchObject({ Threshold: 100 });
  });

  it.each(ALARMS)(
    "%s alarms on the %s of %s over every network against its threshold",
    (name, statistic, metric, threshold, comparison, periods, datapoints) => {
      const props = alarm(set, name)!;
      expect(props.Metrics[0].Expression).toBe(expression(statistic, metric));
      expect(props).toMatchObject({
        Threshold: threshold,
        ComparisonOperator: comparison,
        EvaluationPeriods: periods,
        DatapointsToAlarm: datapoints,
        TreatMissingData: "notBreaching",
      });
    },
  );
});
