import { describe, expect, it } from "vitest";
import { InvalidSettingsError } from "../../shared/config/errors.js";
import { consumerSettingsFromEnv } from "../../shared/consumer/settings.js";

describe("consumerSettingsFromEnv", () => {
  it("defaults to per-network metric dimensions, the semaphore-consumer service and the Semaphore namespace", () => {
    expect(consumerSettingsFromEnv({})).toEqual({
      serviceName: "semaphore-consumer",
      metricNamespace: "Semaphore",
      metricDimensions: "network",
    });
  });

  it("reads per-device dimensions and the Powertools service name and namespace", () => {
    expect(
      consumerSettingsFromEnv({
        CONSUMER_METRIC_DIMENSIONS: "device",
        POWERTOOLS_SERVICE_NAME: "semaphore-consumer-eu",
        POWERTOOLS_METRICS_NAMESPACE: "Semaphore/Staging",
      }),
    ).toEqual({
      serviceName: "semaphore-consumer-eu",
      metricNamespace: "Semaphore/Staging",
      metricDimensions: "device",
    });
  });

  it("names the bad variable and its allowed values", () => {
    expect(() => consumerSettingsFromEnv({ CONSUMER_METRIC_DIMENSIONS: "client" })).toThrow(
      InvalidSettingsError,
    );
    expect(() => consumerSettingsFromEnv({ CONSUMER_METRIC_DIMENSIONS: "client" })).toThrow(
      'the consumer function is misconfigured: CONSUMER_METRIC_DIMENSIONS: Invalid option: expected one of "network"|"device"',
    );
  });
});
