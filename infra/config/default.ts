import type { StackConfigInput } from "./stack-config.js";

/**
 * The deployed configuration. Edit here (or override with cdk context, see README.md, "Deploy") to
 * change schedules, topics and organisations; `npm start` runs the same schedules locally.
 */
export const stackConfig: StackConfigInput = {
  stack: { name: "Semaphore" },
  meraki: {
    baseUrl: "https://api.meraki.com/api/v1",
    organizationIds: [],
    // The budget of each organisation, shared by every sweep; per organisation where it differs:
    //   requestsPerSecondByOrganization: { "123456": 4 },
    requestsPerSecond: 8,
    secretName: "semaphore/meraki-api-key",
    // secretArn: "arn:aws:secretsmanager:<region>:<account>:secret:semaphore/meraki-api-key-AbCdEf",
  },
  kafka: {
    bootstrapServers: "pkc-00000.us-east-1.aws.confluent.cloud:9092",
    secretName: "semaphore/kafka",
    // secretArn: "arn:aws:secretsmanager:<region>:<account>:secret:semaphore/kafka-AbCdEf",
  },
  consumer: {
    batchSize: 500,
    batchingWindowSeconds: 5,
    startingPosition: "TRIM_HORIZON",
    groupId: "semaphore-consumer",
    metricDimensions: "network",
    memoryMb: 512,
    timeoutSeconds: 60,
  },
  // Every telemetry kind runs with its own defaults (schedule, topic, memory, timeout, alarm
  // thresholds: the README's "What runs" table). Override any of them per kind, e.g.
  //   "network-clients": { schedule: "rate(30 minutes)", timeoutSeconds: 900 },
  //   "device-availability-changes": { enabled: false },
  //   "api-requests": { flexibleWindowMinutes: 0 },  // exactly on time instead of up to 2 minutes late
  // A large organisation's per-network sweep in shards, checked at synth against its size:
  //   "network-clients": { shards: 5, expectedNetworks: 1500, timeoutSeconds: 840 },
  // The retired device-statuses kind (replaced by device-availability) keeps only its drain switch:
  // set "device-statuses": { drain: false } once its old topic is read, or if it never existed.
  //   "uplink-loss-latency": { alarms: { lossPercent: 2 } },
  sweeps: {},
  scheduler: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 3600 },
  sweepRetries: { retryAttempts: 2, maximumEventAgeSeconds: 3600 },
  observability: {
    logRetentionDays: 30,
    alarmEmails: [],
    alarms: {
      noRecordsPeriods: 3,
      sweepErrors: 1,
      failedOrganizations: 1,
      consumerErrors: 1,
      deadLetterMessages: 1,
    },
  },
  nativeLayer: { directory: "infra/native-layer/build/layer" },
};
