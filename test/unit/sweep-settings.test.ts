import { describe, expect, it } from "vitest";
import { sweepSettingsFromEnv } from "../../shared/config/sweep-settings.js";
import { KIND_IDS } from "../../shared/kinds/registry.js";
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
    expect(settings.kafka.transport).toBe("verified-tls");
  });

  it("reads an organisation allowlist as a comma-separated list", () => {
    const settings = sweepSettingsFromEnv({
      ...minimal,
      MERAKI_ORGANIZATION_IDS: "123, 456,",
    });
    expect(settings.organizationIds).toEqual(["123", "456"]);
  });

  it("reads per-organisation budgets and the shared budget's table", () => {
    const settings = sweepSettingsFromEnv({
      ...minimal,
      MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION: "123=4, 456=2.5",
      MERAKI_BUDGET_TABLE: "Semaphore-meraki-budget",
      MERAKI_BUDGET_SHARES: "14",
    });
    expect(settings.merakiRequestsPerSecondByOrganization).toEqual({ "123": 4, "456": 2.5 });
    expect(settings.merakiBudget).toEqual({ tableName: "Semaphore-meraki-budget", fallbackShare: 14 });
  });

  it("keeps each function's own budget when no table is named", () => {
    expect(sweepSettingsFromEnv(minimal).merakiBudget).toBeUndefined();
  });

  it("names a per-organisation budget it cannot read", () => {
    expect(() =>
      sweepSettingsFromEnv({ ...minimal, MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION: "123=40" }),
    ).toThrow(
      'MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION: "123=40" is not <organizationId>=<requests per second, 0-10>',
    );
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
      `the device-status sweep function is misconfigured: SWEEP_KIND: must be one of ${KIND_IDS.join(", ")}`,
    );
  });

  it("refuses a retired kind's SWEEP_KIND, naming the kind that replaced it", () => {
    expect(() => sweepSettingsFromEnv({ ...minimal, SWEEP_KIND: "device-statuses" })).toThrow(
      "the device-statuses sweep function is misconfigured: SWEEP_KIND: device-statuses is retired and no longer " +
        `swept (replaced by device-availability); must be one of ${KIND_IDS.join(", ")}`,
    );
  });
});
