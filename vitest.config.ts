import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites share one broker and one Secrets Manager endpoint; run files one at a time
    // so a suite's topic and consumer-group traffic never interferes with another's timing.
    fileParallelism: false,
    reporters: ["default"],
  },
});
