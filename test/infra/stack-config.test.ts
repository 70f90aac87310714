import { describe, expect, it } from "vitest";
import {
  budgetShares,
  capacityWarning,
  lowestOrganizationRate,
  sweepCapacity,
} from "../../infra/config/budget.js";
import { stackConfig } from "../../infra/config/default.js";
import { consumerFunctionEnvironment, sweepFunctionEnvironment } from "../../infra/config/function-env.js";
import { applyConfigOverride, deepMerge, InvalidConfigOverrideError } from "../../infra/config/overrides.js";
import {
  DEFAULT_FLEXIBLE_WINDOW_MINUTES,
  drainedKinds,
  InvalidStackConfigError,
  kafkaConsumerGroupId,
  parseStackConfig,
  secretNameOfCompleteArn,
} from "../../infra/config/stack-config.js";
import { sweepSettingsFromEnv } from "../../shared/config/sweep-settings.js";
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

describe("the Meraki budget every sweep shares", () => {
  it("takes a rate per organisation and hands it to every sweep function in the format it parses", () => {
    const config = parseStackConfig(
      applyConfigOverride(stackConfig, {
        meraki: { requestsPerSecondByOrganization: { "123": 4, "456": 10 } },
      }),
    );
    expect(config.meraki.requestsPerSecondByOrganization).toEqual({ "123": 4, "456": 10 });
    const env = sweepFunctionEnvironment(config, "device-availability");
    expect(env.MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION).toBe("123=4,456=10");
    expect(sweepSettingsFromEnv(env).merakiRequestsPerSecondByOrganization).toEqual({ "123": 4, "456": 10 });
  });

  it("has no per-organisation rates by default, and no variable for them", () => {
    const config = parseStackConfig(stackConfig);
    expect(config.meraki.requestsPerSecondByOrganization).toEqual({});
    expect(sweepFunctionEnvironment(config, "device-availability")).not.toHaveProperty(
      "MERAKI_REQUESTS_PER_SECOND_BY_ORGANIZATION",
    );
  });

  it("refuses a rate above Meraki's 10 per second or not above 0, naming the organisation", () => {
    expect(errorOf({ meraki: { requestsPerSecondByOrganization: { "123": 12 } } })).toContain(
      "meraki.requestsPerSecondByOrganization.123: organisation 123: 12 requests per second is not above 0 and at " +
        "most 10 (Meraki's limit per organisation)",
    );
    expect(errorOf({ meraki: { requestsPerSecondByOrganization: { "123": 0 } } })).toContain(
      "organisation 123: 0 requests per second is not above 0",
    );
    expect(errorOf({ meraki: { requestsPerSecondByOrganization: { acme: 5 } } })).toContain(
      'meraki.requestsPerSecondByOrganization.acme: "acme" is not a Meraki organization id (they are numeric)',
    );
  });

  it("names the table, and gives each function as its fallback share the number of schedules", () => {
    const config = parseStackConfig(stackConfig);
    expect(budgetShares(config)).toBe(KIND_IDS.length);
    const env = sweepFunctionEnvironment(config, "device-availability", undefined, "budget-table");
    expect(env).toMatchObject({
      MERAKI_BUDGET_TABLE: "budget-table",
      MERAKI_BUDGET_SHARES: String(KIND_IDS.length),
    });
    expect(sweepSettingsFromEnv(env).merakiBudget).toEqual({ tableName: "budget-table", fallbackShare: 15 });
    expect(sweepFunctionEnvironment(config, "device-availability")).not.toHaveProperty("MERAKI_BUDGET_TABLE");
  });

  it("counts a kind's shards as schedules and leaves disabled kinds out", () => {
    const config = parseStackConfig(
      applyConfigOverride(stackConfig, {
        sweeps: { "network-clients": { shards: 4 }, "api-requests": { enabled: false } },
      }),
    );
    expect(budgetShares(config)).toBe(KIND_IDS.length - 1 - 1 + 4);
  });

  it("assumes the lowest rate any swept organisation has", () => {
    const rates = (meraki: Record<string, unknown>) =>
      lowestOrganizationRate(parseStackConfig(applyConfigOverride(stackConfig, { meraki })));
    expect(rates({})).toBe(8);
    expect(rates({ requestsPerSecondByOrganization: { "1": 3, "2": 10 } })).toBe(3);
    expect(rates({ organizationIds: ["2", "5"], requestsPerSecondByOrganization: { "1": 3, "2": 10 } })).toBe(
      8,
    );
    expect(rates({ organizationIds: ["2"], requestsPerSecondByOrganization: { "1": 3, "2": 10 } })).toBe(10);
  });
});

describe("staggered schedules (sweeps.<kind>.flexibleWindowMinutes)", () => {
  it("lets each kind fire up to two minutes late by default, less where the period leaves less room", () => {
    const config = parseStackConfig(stackConfig);
    for (const kind of KIND_IDS)
      expect(config.sweeps[kind].flexibleWindowMinutes, kind).toBe(DEFAULT_FLEXIBLE_WINDOW_MINUTES);
    expect(DEFAULT_FLEXIBLE_WINDOW_MINUTES).toBe(2);
    // 300 s period - 240 s timeout leaves one minute; 300 - 300 leaves none: the window is off.
    const tight = parseStackConfig(
      applyConfigOverride(stackConfig, {
        sweeps: {
          "device-availability": { timeoutSeconds: 240 },
          "sensor-readings": { timeoutSeconds: 300 },
        },
      }),
    );
    expect(tight.sweeps["device-availability"].flexibleWindowMinutes).toBe(1);
    expect(tight.sweeps["sensor-readings"].flexibleWindowMinutes).toBe(0);
  });

  it("takes a window of the config's own, 0 for exactly on time", () => {
    const config = parseStackConfig(
      applyConfigOverride(stackConfig, {
        sweeps: {
          "network-clients": { flexibleWindowMinutes: 5 },
          "api-requests": { flexibleWindowMinutes: 0 },
        },
      }),
    );
    expect(config.sweeps["network-clients"].flexibleWindowMinutes).toBe(5);
    expect(config.sweeps["api-requests"].flexibleWindowMinutes).toBe(0);
  });

  it("refuses a window after which a late sweep could still run when the next one starts", () => {
    expect(errorOf({ sweeps: { "network-clients": { flexibleWindowMinutes: 6 } } })).toContain(
      "sweeps.network-clients.flexibleWindowMinutes: 6 min late plus the 600 s timeout exceed the schedule period " +
        "(900 s): a late sweep could still run when the next one starts; at most 5",
    );
    expect(errorOf({ sweeps: { "api-requests": { flexibleWindowMinutes: -1 } } })).toMatch(
      /sweeps\.api-requests\.flexibleWindowMinutes: .*>=0/,
    );
  });
});

describe("shards (sweeps.<kind>.shards, .expectedNetworks)", () => {
  it("splits a per-network kind into shards, one by default", () => {
    const config = parseStackConfig(
      applyConfigOverride(stackConfig, {
        sweeps: { "network-clients": { shards: 4, expectedNetworks: 800 } },
      }),
    );
    expect(config.sweeps["network-clients"]).toMatchObject({ shards: 4, expectedNetworks: 800 });
    expect(parseStackConfig(stackConfig).sweeps["network-clients"].shards).toBe(1);
    expect(parseStackConfig(stackConfig).sweeps["network-clients"].expectedNetworks).toBeUndefined();
    expect(KINDS.filter((kind) => kind.perNetwork).map((kind) => kind.id)).toEqual(["network-clients"]);
  });

  it("refuses shards or an organisation size for a kind whose calls are organisation-wide", () => {
    expect(errorOf({ sweeps: { "device-availability": { shards: 2 } } })).toContain(
      "sweeps.device-availability.shards: device-availability makes organisation-wide calls, not one per network, " +
        "so shards does not apply to it (the per-network kinds: network-clients)",
    );
    expect(errorOf({ sweeps: { "api-requests": { expectedNetworks: 100 } } })).toContain(
      "sweeps.api-requests.expectedNetworks: api-requests makes organisation-wide calls, not one per network, " +
        "so expectedNetworks does not apply to it (the per-network kinds: network-clients)",
    );
  });

  it("refuses shards on a schedule whose period cannot be divided into their turns", () => {
    expect(errorOf({ sweeps: { "network-clients": { shards: 2, schedule: "rate(90 minutes)" } } })).toContain(
      "sweeps.network-clients.shards: the shards' turns repeat at the same minutes of every hour or day",
    );
    expect(
      errorOf({
        sweeps: { "network-clients": { shards: 2, schedule: "cron(0 * * * ? *)", windowSeconds: 3600 } },
      }),
    ).toContain(
      "sweeps.network-clients.shards: shards take turns within the period, which needs a rate() schedule",
    );
  });

  it("refuses a shard count that is not a whole number from 1 to 100", () => {
    expect(errorOf({ sweeps: { "network-clients": { shards: 0 } } })).toMatch(
      /sweeps\.network-clients\.shards: .*>=1/,
    );
    expect(errorOf({ sweeps: { "network-clients": { shards: 101 } } })).toMatch(
      /sweeps\.network-clients\.shards: .*<=100/,
    );
    expect(errorOf({ sweeps: { "network-clients": { shards: 1.5 } } })).toMatch(
      /sweeps\.network-clients\.shards: /,
    );
  });
});

describe("the capacity check of a per-network kind (sweepCapacity)", () => {
  const capacity = (sweeps: Record<string, unknown>, meraki: Record<string, unknown> = {}) =>
    sweepCapacity(parseStackConfig(applyConfigOverride(stackConfig, { meraki, sweeps })), "network-clients");

  it("has nothing to check without an organisation size, or for a kind of organisation-wide calls", () => {
    expect(capacity({})).toBeUndefined();
    expect(sweepCapacity(parseStackConfig(stackConfig), "device-availability")).toBeUndefined();
  });

  // What the 14 organisation-wide kinds take on their default schedules, one call per sweep each:
  // 8 every 5 minutes, 3 every 10, 3 every 15.
  const othersLoad = 8 / 300 + 3 / 600 + 3 / 900;

  it("fits 200 networks in one invocation at what the other kinds leave of 8 requests per second", () => {
    // 200 networks + 1 page of networks = 201 calls at 7.965 req/s: 25 s of 600.
    const c = capacity({ "network-clients": { expectedNetworks: 200 } })!;
    expect(c).toMatchObject({
      kind: "network-clients",
      networks: 200,
      shards: 1,
      callsPerShard: 201,
      organizationRate: 8,
      timeoutSeconds: 600,
      periodSeconds: 900,
      turnSeconds: 900,
      limitSeconds: 600,
      fits: true,
      shardsThatFit: 1,
    });
    expect(c.availableRate).toBeCloseTo(8 - othersLoad, 9);
    expect(c.secondsPerShard).toBeCloseTo(201 / (8 - othersLoad), 9);
  });

  it("finds the fewest shards whose turns fit 10,000 networks in a 30-minute period", () => {
    const c = capacity({ "network-clients": { expectedNetworks: 10_000, schedule: "rate(30 minutes)" } })!;
    expect(c).toMatchObject({ callsPerShard: 10_001, fits: false });
    // 2 shards: 5,001 calls = 628 s > the 600 s timeout; 3 shards: 3,335 calls = 419 s, within the
    // timeout and their 600 s turns.
    expect(c.shardsThatFit).toBe(3);
    expect(
      capacity({ "network-clients": { expectedNetworks: 10_000, schedule: "rate(30 minutes)", shards: 3 } }),
    ).toMatchObject({ callsPerShard: 3335, turnSeconds: 600, limitSeconds: 600, fits: true });
    expect(capacityWarning(c)).toBe(
      "network-clients: 10000 expected networks in 1 shard(s) make 10001 Meraki calls per shard, 1256 s at " +
        "7.96 req/s (the organisation's 8 req/s less the other kinds), longer than the 600 s it has " +
        "(timeoutSeconds 600, turn 1800 s of the 1800 s period); 3 shards would fit (sweeps.network-clients.shards)",
    );
  });

  it("says when no number of shards fits: every network once needs more of the budget than the period", () => {
    const c = capacity({ "network-clients": { expectedNetworks: 10_000, shards: 4 } })!;
    expect(c).toMatchObject({ fits: false, shardsThatFit: undefined, turnSeconds: 180 });
    expect(capacityWarning(c)).toBe(
      "network-clients: 10000 expected networks in 4 shard(s) make 2501 Meraki calls per shard, 314 s at " +
        "7.96 req/s (the organisation's 8 req/s less the other kinds), longer than the 180 s it has " +
        "(timeoutSeconds 600, turn 180 s of the 900 s period); no number of shards fits: every network once " +
        "needs 1256 s of the budget, more than the period; choose a longer schedule " +
        "(sweeps.network-clients.schedule) or give the organisation more of its budget " +
        "(meraki.requestsPerSecondByOrganization, at most 10)",
    );
  });

  it("checks against the lowest rate of the swept organisations", () => {
    const c = capacity(
      { "network-clients": { expectedNetworks: 2000 } },
      { requestsPerSecondByOrganization: { "7": 2 } },
    )!;
    // The organisation allowed 2 req/s: its 2,000 networks need 1,018 s of that, more than the period.
    expect(c).toMatchObject({ organizationRate: 2, fits: false, shardsThatFit: undefined });
    expect(c.availableRate).toBeCloseTo(2 - othersLoad, 9);
  });
});

describe("transport security (kafka.transport)", () => {
  it("is SASL_SSL with certificate verification by default, and no function is told otherwise", () => {
    const config = parseStackConfig(stackConfig);
    expect(config.kafka.transport).toBe("verified-tls");
    for (const kind of KIND_IDS) {
      expect(Object.keys(sweepFunctionEnvironment(config, kind))).not.toContain("KAFKA_INSECURE_TRANSPORT");
    }
  });

  it.each(["plaintext", "unverified-tls"])(
    "refuses %s for a deployment, saying where it belongs",
    (transport) => {
      expect(errorOf({ kafka: { transport } })).toBe(
        "the stack config is invalid:\n  - kafka.transport: a deployed stack reaches Kafka only with SASL_SSL and " +
          "verifies the brokers' certificates (so do its event source mappings, which send SASL/PLAIN credentials " +
          "only over TLS): plaintext and unverified TLS are for a broker on your own machine, asked for with " +
          'KAFKA_INSECURE_TRANSPORT (README, "Transport security")',
      );
    },
  );
});

describe("the consumer's deliveries table and health thresholds", () => {
  it("remembers a written record id for 14 days by default and tells the consumer so with its table", () => {
    const config = parseStackConfig(stackConfig);
    expect(config.consumer.rememberDeliveriesDays).toBe(14);
    expect(consumerFunctionEnvironment(config, "Semaphore-deliveries")).toMatchObject({
      CONSUMER_DELIVERIES_TABLE: "Semaphore-deliveries",
      CONSUMER_REMEMBER_DELIVERIES_DAYS: "14",
    });
  });

  it("refuses to remember ids for less than a day or more than a year", () => {
    expect(errorOf({ consumer: { rememberDeliveriesDays: 0 } })).toMatch(
      /consumer\.rememberDeliveriesDays: Too small: expected number to be >=1/,
    );
    expect(errorOf({ consumer: { rememberDeliveriesDays: 400 } })).toMatch(
      /consumer\.rememberDeliveriesDays: Too big: expected number to be <=365/,
    );
  });

  it("alarms on a consumer 10,000 records behind by default, and on at least one record behind", () => {
    expect(parseStackConfig(stackConfig).observability.alarms.consumerOffsetLag).toBe(10_000);
    expect(errorOf({ observability: { alarms: { consumerOffsetLag: 0 } } })).toMatch(
      /observability\.alarms\.consumerOffsetLag: Too small: expected number to be >=1/,
    );
  });
});
