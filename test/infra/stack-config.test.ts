import { describe, expect, it } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { consumerFunctionEnvironment, sweepFunctionEnvironment } from "../../infra/config/function-env.js";
import { applyConfigOverride, deepMerge, InvalidConfigOverrideError } from "../../infra/config/overrides.js";
import {
  drainedKinds,
  InvalidStackConfigError,
  kafkaConsumerGroupId,
  parseStackConfig,
  secretNameOfCompleteArn,
} from "../../infra/config/stack-config.js";
import { KIND_IDS, KINDS, RETIRED_KIND_IDS } from "../../shared/kinds/registry.js";

const COMPLETE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:semaphore/kafka-AbC123";

function errorOf(override: Record<string, unknown>): string {
  try {
    parseStackConfig(applyConfigOverride(stackConfig, override));
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidStackConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("stack config", () => {
  it("parses the defaults the way the local runtime uses them", () => {
    const config = parseStackConfig(stackConfig);
    expect(config.sweeps["network-clients"].windowSeconds).toBe(900);
    expect(config.consumer.batchSize).toBe(500);
    expect(config.observability.logRetentionDays).toBe(30);
    expect(config.nativeLayer.directory).toBe("infra/native-layer/build/layer");
    expect(kafkaConsumerGroupId(config, "device-availability")).toBe(
      "semaphore-consumer-device-availability",
    );
    expect(sweepFunctionEnvironment(config, "device-availability")).toMatchObject({
      MERAKI_SECRET_ID: "semaphore/meraki-api-key",
      KAFKA_SECRET_ID: "semaphore/kafka",
      SWEEP_PERIOD_SECONDS: "300",
    });
    expect(consumerFunctionEnvironment(config)).toEqual({
      CONSUMER_METRIC_DIMENSIONS: "network",
      POWERTOOLS_SERVICE_NAME: "semaphore-consumer",
      POWERTOOLS_METRICS_NAMESPACE: "Semaphore",
    });
  });

  it("gives every kind of the registry its module's schedule, topic, size and alarm thresholds by default", () => {
    const config = parseStackConfig(stackConfig);
    expect(Object.keys(config.sweeps).sort()).toEqual([...KIND_IDS, ...RETIRED_KIND_IDS].sort());
    for (const kind of KINDS) {
      expect(config.sweeps[kind.id]).toMatchObject({
        enabled: true,
        schedule: kind.deployment.schedule,
        topic: kind.defaultTopic,
        memoryMb: kind.deployment.memoryMb,
        timeoutSeconds: kind.deployment.timeoutSeconds,
        // A threshold without a default stays unset (its alarm off) until the config sets it.
        alarms: Object.fromEntries(
          Object.entries(kind.monitoring.thresholds)
            .filter(([, t]) => t.default !== undefined)
            .map(([name, t]) => [name, t.default]),
        ),
      });
    }
  });

  it("refuses a sweep that names no kind, listing the kinds", () => {
    expect(errorOf({ sweeps: { "device-status": { enabled: false } } })).toContain(
      `sweeps: Unrecognized key: "device-status" (the kinds are: ${KIND_IDS.join(", ")})`,
    );
  });

  it("checks a kind's alarm thresholds against the range its module declares", () => {
    const config = parseStackConfig(
      applyConfigOverride(stackConfig, { sweeps: { "uplink-loss-latency": { alarms: { lossPercent: 2 } } } }),
    );
    expect(config.sweeps["uplink-loss-latency"].alarms).toEqual({ lossPercent: 2 });
    expect(errorOf({ sweeps: { "uplink-loss-latency": { alarms: { lossPercent: 150 } } } })).toMatch(
      /sweeps\.uplink-loss-latency\.alarms\.lossPercent: .*100/,
    );
    expect(errorOf({ sweeps: { "network-clients": { alarms: { lossPercent: 5 } } } })).toMatch(
      /sweeps\.network-clients\.alarms: Unrecognized key: "lossPercent"/,
    );
  });

  it("names the field and the allowed values of every error", () => {
    expect(errorOf({ consumer: { startingPosition: "EARLIEST" } })).toMatch(
      /consumer\.startingPosition: .*"TRIM_HORIZON"\|"LATEST"/,
    );
    expect(errorOf({ observability: { logRetentionDays: 10 } })).toMatch(
      /observability\.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30, 60/,
    );
    expect(errorOf({ sweeps: { "device-availability": { timeZone: "Mars/Olympus" } } })).toMatch(
      /sweeps\.device-availability\.timeZone: must be an IANA time zone/,
    );
    expect(errorOf({ sweeps: { "device-availability": { schedule: "every 5 minutes" } } })).toMatch(
      /sweeps\.device-availability\.schedule: must be an EventBridge Scheduler expression/,
    );
    expect(errorOf({ sweeps: { "device-availability": { schedule: "cron(0/5 * * * ? *)" } } })).toMatch(
      /sweeps\.device-availability\.windowSeconds: a cron\(\) schedule needs windowSeconds/,
    );
    expect(errorOf({ sweeps: { "uplink-loss-latency": { timeoutSeconds: 400 } } })).toMatch(
      /sweeps\.uplink-loss-latency\.timeoutSeconds: 400 s is longer than the schedule period \(300 s\)/,
    );
    expect(errorOf({ consumer: { batchSize: 20_000 } })).toMatch(/consumer\.batchSize: .*10000/);
    expect(errorOf({ consumer: { batchsize: 100 } })).toMatch(/consumer: Unrecognized key: "batchsize"/);
    expect(errorOf({ kafka: { bootstrapServers: "pkc-1.confluent.cloud" } })).toMatch(
      /kafka\.bootstrapServers: must be a comma-separated list of host:port/,
    );
    expect(errorOf({ observability: { alarms: { noRecordsPeriods: 100 } } })).toMatch(
      /observability\.alarms\.noRecordsPeriods: 100 periods of the network-clients sweep .* exceed one day/,
    );
  });

  it("accepts only COMPLETE secret ARNs, and only for the named secret", () => {
    const partial = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:semaphore/kafka";
    expect(errorOf({ kafka: { secretArn: partial } })).toMatch(
      /kafka\.secretArn: must be a COMPLETE secret ARN/,
    );
    expect(errorOf({ meraki: { secretArn: COMPLETE_ARN } })).toMatch(
      /meraki\.secretArn: names the secret "semaphore\/kafka" but secretName is "semaphore\/meraki-api-key"/,
    );
    expect(secretNameOfCompleteArn(COMPLETE_ARN)).toBe("semaphore/kafka");
    expect(secretNameOfCompleteArn(partial)).toBeUndefined();
    const config = parseStackConfig(applyConfigOverride(stackConfig, { kafka: { secretArn: COMPLETE_ARN } }));
    expect(config.kafka.secretArn).toBe(COMPLETE_ARN);
  });
});

describe("context overrides (-c semaphore.config='{...}')", () => {
  it("deep-merges objects, replaces arrays and scalars, and removes keys set to null", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null })).toEqual({
      a: { b: 1, c: [3] },
    });
    const merged = applyConfigOverride(
      stackConfig,
      JSON.stringify({
        kafka: { bootstrapServers: "pkc-abc.eu-west-1.aws.confluent.cloud:9092" },
        sweeps: { "device-availability": { schedule: "rate(10 minutes)" } },
      }),
    );
    const config = parseStackConfig(merged);
    expect(config.kafka.bootstrapServers).toBe("pkc-abc.eu-west-1.aws.confluent.cloud:9092");
    expect(config.kafka.secretName).toBe("semaphore/kafka");
    expect(config.sweeps["device-availability"]).toMatchObject({
      schedule: "rate(10 minutes)",
      windowSeconds: 600,
      topic: "meraki.devices.availabilities",
    });
    expect(config.sweeps["uplink-loss-latency"].schedule).toBe("rate(5 minutes)");
  });

  it("accepts the object itself (cdk.json context) and explains invalid JSON", () => {
    expect(applyConfigOverride(stackConfig, { stack: { name: "SemaphoreStaging" } })).toMatchObject({
      stack: { name: "SemaphoreStaging" },
    });
    expect(() => applyConfigOverride(stackConfig, "{kafka:")).toThrow(InvalidConfigOverrideError);
    expect(() => applyConfigOverride(stackConfig, "{kafka:")).toThrow(/semaphore\.config is not valid JSON/);
    expect(() => applyConfigOverride(stackConfig, "[1]")).toThrow(/must be a JSON object/);
  });
});

describe("a retired kind (device-statuses, replaced by device-availability)", () => {
  it("is not swept, and drains its old topic by default under its old consumer group", () => {
    const config = parseStackConfig(stackConfig);
    expect(config.sweeps["device-statuses"]).toEqual({ drain: true, topic: "meraki.devices.statuses" });
    expect(KIND_IDS).not.toContain("device-statuses");
    expect(drainedKinds(config)).toEqual(["device-statuses"]);
    expect(kafkaConsumerGroupId(config, "device-statuses")).toBe("semaphore-consumer-device-statuses");
  });

  it("stops draining when the stack config says so, and drains a topic that was renamed", () => {
    const stopped = parseStackConfig(
      applyConfigOverride(stackConfig, { sweeps: { "device-statuses": { drain: false } } }),
    );
    expect(drainedKinds(stopped)).toEqual([]);
    const renamed = parseStackConfig(
      applyConfigOverride(stackConfig, { sweeps: { "device-statuses": { topic: "ops.meraki.statuses" } } }),
    );
    expect(renamed.sweeps["device-statuses"]).toEqual({ drain: true, topic: "ops.meraki.statuses" });
  });

  it("refuses the settings of a swept kind, naming the kind to configure instead", () => {
    expect(errorOf({ sweeps: { "device-statuses": { schedule: "rate(10 minutes)" } } })).toContain(
      'sweeps.device-statuses: Unrecognized key: "schedule" (device-statuses is retired and no longer swept, ' +
        "replaced by device-availability: only drain and topic apply; configure device-availability instead)",
    );
    expect(errorOf({ sweeps: { "device-statuses": { drain: "yes" } } })).toMatch(
      /sweeps\.device-statuses\.drain: .*boolean/,
    );
  });
});
