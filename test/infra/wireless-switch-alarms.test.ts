// The wireless and switch kinds' alarms are off until the stack config sets their thresholds; set,
// each is in the template on its metric, with its threshold and evaluation.
import { beforeAll, describe, expect, it } from "vitest";
import { resourcesOfType, type Synthesized, synth, type TemplateProps } from "./synth.js";

let unset: Synthesized;
let set: Synthesized;

beforeAll(() => {
  unset = synth();
  set = synth({
    sweeps: {
      "wireless-channel-utilization": { alarms: { utilizationPercent: 80 } },
      "wireless-packet-loss": { alarms: { lossPercent: 10 } },
      "switch-port-statuses": { alarms: { portsWithErrors: 5 } },
    },
  });
});

const alarm = (s: Synthesized, name: string): TemplateProps | undefined =>
  resourcesOfType(s.template, "AWS::CloudWatch::Alarm").find((a) => a.props.AlarmName === `Semaphore-${name}`)
    ?.props;

const ALARMS = [
  [
    "wireless-channel-utilization-utilization-above-threshold",
    "ChannelUtilizationPercentMax",
    "Band, NetworkId, service",
    80,
    4,
  ],
  [
    "wireless-packet-loss-downstream-loss-above-threshold",
    "WirelessDownstreamLossPercentMax",
    "NetworkId, service",
    10,
    4,
  ],
  [
    "wireless-packet-loss-upstream-loss-above-threshold",
    "WirelessUpstreamLossPercentMax",
    "NetworkId, service",
    10,
    4,
  ],
  ["switch-port-statuses-ports-with-errors", "SwitchPortsWithErrors", "NetworkId, service", 5, 6],
] as const;

describe("the wireless and switch alarms", () => {
  it.each(ALARMS.map(([name]) => [name]))("%s is off while its threshold is unset", (name) => {
    expect(alarm(unset, name)).toBeUndefined();
  });

  it.each(ALARMS)(
    "%s alarms on the maximum %s above its threshold",
    (name, metric, schema, threshold, periods) => {
      const props = alarm(set, name)!;
      expect(props.Metrics[0].Expression).toBe(
        `SELECT MAX(${metric}) FROM SCHEMA("Semaphore", ${schema}) WHERE service = 'semaphore-consumer'`,
      );
      expect(props).toMatchObject({
        Threshold: threshold,
        ComparisonOperator: "GreaterThanThreshold",
        EvaluationPeriods: periods,
        DatapointsToAlarm: 2,
        TreatMissingData: "notBreaching",
      });
    },
  );
});
