import { describe, expect, it } from "vitest";
import { sweepSettingsFromEnv } from "../../shared/config/sweep-settings.js";
import { uplinkLossLatencySweep } from "../../shared/sweeps/uplink-loss-latency.js";

const minimal = {
  KAFKA_BOOTSTRAP_SERVERS: "pkc-12345.us-east-1.aws.confluent.cloud:9092",
  KAFKA_SECRET_ID: "semaphore/kafka",
  MERAKI_SECRET_ID: "semaphore/meraki",
};

describe("sweepSettingsFromEnv", () => {
  it("applies the defaults of the sweep kind and of the Meraki API", () => {
    const settings = sweepSettingsFromEnv(uplinkLossLatencySweep, minimal);
    expect(settings.topic).toBe("meraki.uplinks.loss-latency");
    expect(settings.periodSeconds).toBe(300);
    expect(settings.organizationIds).toEqual([]);
    expect(settings.merakiBaseUrl).toBe("https://api.meraki.com/api/v1");
    expect(settings.merakiRequestsPerSecond).toBe(8);
    expect(settings.kafka.securityProtocol).toBe("sasl_ssl");
  });

  it("reads an organisation allowlist as a comma-separated list", () => {
    const settings = sweepSettingsFromEnv(uplinkLossLatencySweep, {
      ...minimal,
      MERAKI_ORGANIZATION_IDS: "123, 456,",
    });
    expect(settings.organizationIds).toEqual(["123", "456"]);
  });

  it("names every missing or invalid variable in one error", () => {
    expect(() => sweepSettingsFromEnv(uplinkLossLatencySweep, { MERAKI_REQUESTS_PER_SECOND: "20" })).toThrow(
      /KAFKA_BOOTSTRAP_SERVERS: .*KAFKA_SECRET_ID: .*MERAKI_SECRET_ID: .*MERAKI_REQUESTS_PER_SECOND: /,
    );
  });
});
