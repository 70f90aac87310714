import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FUNCTION_BUNDLE, FUNCTION_ENTRIES } from "../../infra/constructs/function-bundle.js";
import {
  budgetItems,
  createBudgetTable,
  localDynamoDbClient,
} from "../../infra/local/dynamodb/budget-table.js";
import { createDeliveriesTable } from "../../infra/local/dynamodb/deliveries-table.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { readRecords } from "../support/kafka-read.js";
import { type SweepFixture, sweepFixture } from "../support/sweep-fixture.js";

/**
 * What Lambda runs is the bundle, not the TypeScript the other suites import: each function is
 * built exactly as CDK builds it (infra/constructs/function-bundle.ts) and invoked in a fresh Node
 * process with the environment the stack sets, against the broker, the simulator and moto. A
 * bundling choice that breaks the AWS SDK, the native Kafka client or a handler fails here.
 */
const repositoryRoot = join(import.meta.dirname, "../..");
// Inside the repository, so that require() finds the native client in node_modules as it finds it
// in the layer on Lambda.
const bundleDir = join(repositoryRoot, "node_modules/.cache", `function-bundles-${randomUUID().slice(0, 8)}`);
const run = promisify(execFile);

// Loads the bundle, invokes its handler once with a Lambda-like context and writes the result (or
// the error) as JSON to the file named by the third argument.
const INVOKE = `
const [bundle, eventFile, resultFile] = process.argv.slice(1);
const fs = require("node:fs");
const deadline = Date.now() + 60000;
const context = {
  callbackWaitsForEmptyEventLoop: false, functionName: "bundle-test", functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:bundle-test", memoryLimitInMB: "1024",
  awsRequestId: require("node:crypto").randomUUID(), logGroupName: "/aws/lambda/bundle-test", logStreamName: "local",
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};
require(bundle).handler(JSON.parse(fs.readFileSync(eventFile, "utf8")), context).then(
  (result) => { fs.writeFileSync(resultFile, JSON.stringify({ result })); process.exit(0); },
  (error) => { fs.writeFileSync(resultFile, JSON.stringify({ error: String(error) })); process.exit(1); },
);`;

interface Invocation {
  result?: Record<string, unknown>;
  error?: string;
}

async function invokeBundle(
  name: keyof typeof FUNCTION_ENTRIES,
  event: unknown,
  env: Record<string, string>,
): Promise<Invocation> {
  const id = randomUUID().slice(0, 8);
  const eventFile = join(bundleDir, `event-${id}.json`);
  const resultFile = join(bundleDir, `result-${id}.json`);
  writeFileSync(eventFile, JSON.stringify(event));
  await run(process.execPath, ["-e", INVOKE, join(bundleDir, `${name}.cjs`), eventFile, resultFile], {
    env: { PATH: process.env.PATH ?? "", ...env },
  }).catch(() => undefined);
  return JSON.parse(readFileSync(resultFile, "utf8")) as Invocation;
}

let simulator: RunningSimulator;
let aws: Record<string, string>;

beforeAll(async () => {
  mkdirSync(bundleDir, { recursive: true });
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) {
    await build({
      entryPoints: [join(repositoryRoot, entry)],
      bundle: true,
      outfile: join(bundleDir, `${name}.cjs`),
      logLevel: "silent",
      ...FUNCTION_BUNDLE,
      mainFields: [...FUNCTION_BUNDLE.mainFields],
      external: [...FUNCTION_BUNDLE.external],
    });
  }
  simulator = await startMerakiSimulator({
    seed: 7,
    organizations: 1,
    networksPerOrg: 10,
    devicesPerOrg: 50,
    clientsPerNetwork: 2,
    rateLimitPerSecond: 50,
  });
  const secrets = inject("secretsManager");
  // The SDK's own environment variables, as a function would read them: one endpoint for every
  // AWS service (moto), a region, and credentials.
  aws = {
    AWS_ENDPOINT_URL: secrets.endpoint,
    AWS_REGION: secrets.region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
  };
});

afterAll(async () => {
  await simulator?.stop();
  rmSync(bundleDir, { recursive: true, force: true });
});

describe("the sweep function's bundle", () => {
  let fixture: SweepFixture;
  let invocation: Invocation;
  const budgetTable = `bundle-budget-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fixture = await sweepFixture({
      kind: "device-availability",
      merakiBaseUrl: simulator.baseUrl,
      merakiApiKey: simulator.apiKey,
    });
    const secrets = inject("secretsManager");
    await createBudgetTable(localDynamoDbClient(secrets.endpoint, secrets.region), budgetTable);
    const { settings } = fixture;
    invocation = await invokeBundle(
      "sweep",
      {},
      {
        ...aws,
        SWEEP_KIND: "device-availability",
        SWEEP_TOPIC: settings.topic,
        MERAKI_BASE_URL: simulator.baseUrl,
        MERAKI_SECRET_ID: settings.merakiSecretId,
        MERAKI_BUDGET_TABLE: budgetTable,
        KAFKA_BOOTSTRAP_SERVERS: settings.kafka.bootstrapServers,
        KAFKA_SECRET_ID: settings.kafkaSecretId,
        ...(settings.kafka.caLocation ? { KAFKA_SSL_CA_LOCATION: settings.kafka.caLocation } : {}),
      },
    );
  });

  it("sweeps with secrets from Secrets Manager and its budget in DynamoDB, and reports one record per device", () => {
    expect(invocation.error).toBeUndefined();
    expect(invocation.result).toMatchObject({
      organizations: { swept: 1, failed: [] },
      records: { produced: simulator.dataset.devices.length },
    });
  });

  it("drew its Meraki calls from the organisation's budget item in the table", async () => {
    const secrets = inject("secretsManager");
    const items = await budgetItems(localDynamoDbClient(secrets.endpoint, secrets.region), budgetTable);
    const organization = items.find(
      (item) => item.pk === `meraki-budget#${simulator.dataset.organizations[0]!.id}`,
    );
    expect(organization?.writes).toBeGreaterThan(0);
  });

  it("delivered those records to the topic", async () => {
    const records = await readRecords(
      inject("kafka"),
      fixture.settings.topic,
      simulator.dataset.devices.length,
    );
    expect(new Set(records.map((r) => r.key))).toEqual(
      new Set(simulator.dataset.devices.map((d) => d.serial)),
    );
  });
});

describe("the consumer function's bundle", () => {
  it("writes every record of a sample batch, and skips them when a retried sweep delivers them again", async () => {
    const secrets = inject("secretsManager");
    const deliveriesTable = `bundle-deliveries-${randomUUID().slice(0, 8)}`;
    await createDeliveriesTable(localDynamoDbClient(secrets.endpoint, secrets.region), deliveriesTable);
    const event = JSON.parse(
      readFileSync(join(repositoryRoot, "test/events/consumer/uplink-loss-latency.json"), "utf8"),
    ) as { records: Record<string, Array<{ offset: number }>> };
    const records = Object.values(event.records).flat().length;
    // The same records produced again by a retried sweep: the same ids at later offsets.
    const repeated = {
      ...event,
      records: Object.fromEntries(
        Object.entries(event.records).map(([group, batch]) => [
          group,
          batch.map((record) => ({ ...record, offset: record.offset + 1000 })),
        ]),
      ),
    };
    const env = {
      ...aws,
      CONSUMER_DELIVERIES_TABLE: deliveriesTable,
      CONSUMER_REMEMBER_DELIVERIES_DAYS: "1",
    };

    const first = await invokeBundle("consumer", event, env);
    const again = await invokeBundle("consumer", repeated, env);

    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ records, accepted: records, duplicates: 0, rejected: 0 });
    expect(again.result).toMatchObject({ records, accepted: 0, duplicates: records, rejected: 0 });
  });
});
