import { describe, expect, it } from "vitest";
import { type EmfDocument, emfLine } from "../../shared/observability/emf.js";

const document: EmfDocument = {
  namespace: "Semaphore",
  timestamp: Date.parse("2026-11-22T10:00:00Z"),
  dimensionSets: [
    ["service", "NetworkId"],
    ["service", "NetworkId", "Serial"],
  ],
  dimensions: { service: "semaphore-consumer", NetworkId: "N_1", Serial: "Q234-ABCD-0001" },
  metadata: { organizationId: "2930418", networkName: "Main Office" },
  metrics: [
    { name: "ClientsSeen", unit: "Count", value: 12 },
    { name: "LatencyMsMax", unit: "Milliseconds", value: 30.5 },
  ],
};

describe("an EMF document as a log line", () => {
  it("is one line of JSON: the directive, then metadata, dimensions and values, in Powertools' order", () => {
    expect(emfLine(document)).toBe(
      '{"_aws":{"Timestamp":1795341600000,"CloudWatchMetrics":[{"Namespace":"Semaphore",' +
        '"Dimensions":[["service","NetworkId"],["service","NetworkId","Serial"]],' +
        '"Metrics":[{"Name":"ClientsSeen","Unit":"Count"},{"Name":"LatencyMsMax","Unit":"Milliseconds"}]}]},' +
        '"organizationId":"2930418","networkName":"Main Office",' +
        '"service":"semaphore-consumer","NetworkId":"N_1","Serial":"Q234-ABCD-0001",' +
        '"ClientsSeen":12,"LatencyMsMax":30.5}',
    );
  });

  it("gives a dimension precedence over metadata of the same name", () => {
    const line = emfLine({ ...document, metadata: { NetworkId: "a name, not the id" } });
    expect(JSON.parse(line).NetworkId).toBe("N_1");
  });

  it("refuses a dimension set naming a dimension without a value", () => {
    expect(() =>
      emfLine({ ...document, dimensions: { service: "semaphore-consumer", NetworkId: "N_1" } }),
    ).toThrow(new RangeError("EMF dimension Serial has no value"));
  });

  it("refuses a metric named like one of the document's properties", () => {
    const metrics = [{ name: "networkName", unit: "Count" as const, value: 1 }];
    expect(() => emfLine({ ...document, metrics })).toThrow(
      new RangeError("EMF metric networkName is named like a dimension or property"),
    );
  });

  it("refuses more metrics than one directive may hold (100)", () => {
    const metrics = Array.from({ length: 101 }, (_, i) => ({
      name: `M${i}`,
      unit: "Count" as const,
      value: i,
    }));
    expect(() => emfLine({ ...document, metrics })).toThrow(
      new RangeError("an EMF document holds at most 100 metrics, this one 101"),
    );
  });

  it("refuses a dimension set of more than 30 names", () => {
    const names = Array.from({ length: 31 }, (_, i) => `D${i}`);
    const dimensions = Object.fromEntries(names.map((name) => [name, "x"]));
    expect(() => emfLine({ ...document, dimensionSets: [names], dimensions })).toThrow(RangeError);
  });
});
