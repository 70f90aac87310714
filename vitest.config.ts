import { defineConfig } from "vitest/config";

/**
 * Two tiers. `unit`: pure logic and the in-process simulator over loopback HTTP; no Kafka broker,
 * no Secrets Manager server, files in parallel (`npm run test:unit`). `integration`: everything
 * else, against the one real broker and moto server the global setup starts, files one at a time
 * so a suite's topic and consumer-group traffic never interferes with another's timing. `npm test`
 * runs both. A unit-tier file that reached for the broker would find `inject("kafka")` undefined
 * and fail, so a misfiled test cannot pass silently.
 */
const UNIT = [
  "test/unit/**/*.test.ts",
  "test/kinds/**/*.test.ts",
  "test/docs/**/*.test.ts",
  "test/spec/**/*.test.ts",
  "test/consumer/**/*.test.ts",
  "test/simulator/**/*.test.ts",
  "test/meraki/{client.unit,link-header,retry-policy,token-bucket}.test.ts",
  "test/event-source/batcher.test.ts",
  "test/infra/stack-config.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default"],
    projects: [
      { test: { name: "unit", include: UNIT } },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: UNIT,
          globalSetup: ["test/setup/global-setup.ts"],
          fileParallelism: false,
        },
      },
    ],
  },
});
