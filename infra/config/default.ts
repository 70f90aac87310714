import type { StackConfigInput } from "./stack-config.js";

/**
 * The deployed configuration. Edit here (or override with cdk context) to change schedules,
 * topics and organisations; `npm start` runs the same schedules locally.
 */
export const stackConfig: StackConfigInput = {
  meraki: {
    baseUrl: "https://api.meraki.com/api/v1",
    organizationIds: [],
    requestsPerSecond: 8,
    secretName: "semaphore/meraki-api-key",
  },
  kafka: {
    bootstrapServers: "pkc-00000.us-east-1.aws.confluent.cloud:9092",
    secretName: "semaphore/kafka",
  },
  consumer: {
    batchSize: 500,
    batchingWindowSeconds: 5,
    startingPosition: "TRIM_HORIZON",
    groupId: "semaphore-consumer",
    metricDimensions: "network",
  },
  sweeps: {
    "uplink-loss-latency": { schedule: "rate(5 minutes)", topic: "meraki.uplinks.loss-latency" },
    "network-clients": { schedule: "rate(15 minutes)", topic: "meraki.network.clients" },
    "device-statuses": { schedule: "rate(5 minutes)", topic: "meraki.devices.statuses" },
  },
};
