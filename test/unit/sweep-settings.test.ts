import { describe, expect, it } from "vitest";
import { sweepSettingsFromEnv } from "../../shared/config/sweep-settings.js";
import { uplinkLossLatency } from "../../shared/kinds/uplink-loss-latency.js";

const minimal = {
  SWEEP_KIND: "uplink-loss-latency",
  KAFKA_BOOTSTRAP_SERVERS: "pkc-12345.us-east-1.aws.confluent.cloud:9092",
  KAFKA_SECRET_ID: "semaphore/kafka",
  MERAKI_SECRET_ID: "semaphore/meraki",
};

describe("sweepSettingsFromEnv", () => {
  it("applies the defaults of the sweep kind and of the Meraki API", () => {
    const settings = sweepSettingsFromEnv(minimal);
    expect(settings.kind).toBe(uplinkLossLatency);
    expect(settings.topic).toBe("meraki.uplinks.loss-latency");
    expect(settings.periodSeconds).toBe(300);
    expect(settings.organizationIds).toEqual([]);
    expect(settings.merakiBaseUrl).toBe("https://api.meraki.com/api/v1");
    expect(settings.merakiRequestsPerSecond).toBe(8);
    expect(settings.kafka.securityProtocol).toBe("sasl_ssl");
  });

  it("reads an organisation allowlist as a comma-separated list", () => {
    const settings = sweepSettingsFromEnv({
      ...minimal,
      MERAKI_ORGANIZATION_IDS: "123, 456,",
    });
    expect(settings.organizationIds).toEqual(["123", "456"]);
  });

  it("names every missing or invalid variable in one error", () => {
    expect(() =>
      sweepSettingsFromEnv({ SWEEP_KIND: "uplink-loss-latency", MERAKI_REQUESTS_PER_SECOND: "20" }),
    ).toThrow(
      /^the uplink-loss-latency sweep function is misconfigured: KAFKA_BOOTSTRAP_SERVERS: .*KAFKA_SECRET_ID: .*MERAKI_SECRET_ID: .*MERAKI_REQUESTS_PER_SECOND: /,
    );
  });

  it("refuses a SWEEP_KIND the registry does not know, listing the kinds", () => {
    expect(() => sweepSettingsFromEnv({ ...minimal, SWEEP_KIND: "device-status" })).toThrow(
      "the device-status sweep function is misconfigured: SWEEP_KIND: must be one of uplink-loss-latency, network-clients, device-statuses",
    );
  });
});
