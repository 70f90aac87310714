// The appliance kinds' alarms (uplink failed, VPN peer unreachable) are off until the stack config
// sets their thresholds; set, each is in the template on its metric, with its threshold and evaluation.
import { beforeAll, describe, expect, it } from "vitest";
import { resourcesOfType, type Synthesized, synth, type TemplateProps } from "./synth.js";

let unset: Synthesized;
let set: Synthesized;

beforeAll(() => {
  unset = synth();
  set = synth({
    sweeps: {
      "appliance-uplink-statuses": { alarms: { failedUplinks: 3 } },
      "appliance-vpn-statuses": { alarms: { unreachablePeers: 0 } },
    },
  });
});

const alarm = (s: Synthesized, name: string): TemplateProps | undefined =>
  resourcesOfType(s.template, "AWS::CloudWatch::Alarm").find((a) => a.props.AlarmName === `Semaphore-${name}`)
    ?.props;

const ALARMS = [
  ["appliance-uplink-statuses-uplink-failed", "ApplianceUplinksFailed", 3, 2, 2],
  ["appliance-vpn-statuses-vpn-peer-unreachable", "VpnPeersUnreachable", 0, 4, 2],
] as const;

describe("the appliance alarms", () => {
  it.each(ALARMS.map(([name]) => [name]))("%s is off while its threshold is unset", (name) => {
    expect(alarm(unset, name)).toBeUndefined();
  });

  it.each(ALARMS)(
    "%s alarms on the sum of %s over every network above its threshold",
    (name, metric, threshold, periods, datapoints) => {
      const props = alarm(set, name)!;
      expect(props.Metrics[0].Expression).toBe(
        `SELECT SUM(${metric}) FROM SCHEMA("Semaphore", NetworkId, service) WHERE service = 'semaphore-consumer'`,
      );
      expect(props).toMatchObject({
        Threshold: threshold,
        ComparisonOperator: "GreaterThanThreshold",
        EvaluationPeriods: periods,
        DatapointsToAlarm: datapoints,
        TreatMissingData: "notBreaching",
      });
    },
  );
});
