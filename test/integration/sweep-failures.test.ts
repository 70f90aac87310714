import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { lambdaContext } from "../../infra/local/lambda-context.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { createSweepHandler, type SweepHandler } from "../../shared/handlers/sweep-handler.js";
import { readRecords } from "../support/kafka-read.js";
import { type SweepFixture, sweepFixture } from "../support/sweep-fixture.js";

/**
 * Bad input gets a clear error and loses nothing: each case runs the real handler against the
 * real broker, Secrets Manager endpoint and simulator, with one thing wrong.
 */
let simulator: RunningSimulator;
const handlers: SweepHandler[] = [];
const event = { scheduledTime: "2026-11-22T10:00:00Z" };

beforeAll(async () => {
  simulator = await startMerakiSimulator({
    seed: 7,
    organizations: 2,
    networksPerOrg: 4,
    devicesPerOrg: 20,
    clientsPerNetwork: 3,
  });
});

afterAll(async () => {
  await Promise.all(handlers.map((h) => h.close()));
  await simulator.stop();
});

async function handlerWith(
  adjust: (fixture: SweepFixture) => Promise<SweepFixture["settings"]> | SweepFixture["settings"] = (f) =>
    f.settings,
  merakiApiKey = simulator.apiKey,
): Promise<{ fixture: SweepFixture; handler: SweepHandler }> {
  const fixture = await sweepFixture({
    kind: "device-availability",
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey,
  });
  const settings = await adjust(fixture);
  const handler = createSweepHandler(settings, {
    secretsManagerClientOptions: fixture.secretsManagerClientOptions,
  });
  handlers.push(handler);
  return { fixture, handler };
}

describe("a wrong Meraki API key", () => {
  it("fails with a 401 error that names the operation and the fix, and never the key", async () => {
    const wrongKey = "0123456789abcdef0123456789abcdef01234567";
    const { handler } = await handlerWith(undefined, wrongKey);
    const failure = await handler(event, lambdaContext("statuses")).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    const error = failure as Error;
    expect(error.name).toBe("MerakiAuthError");
    expect(error.message).toContain("401");
    expect(error.message).toContain("getOrganizations");
    expect(error.message).not.toContain(wrongKey);
  });
});

describe("wrong Kafka credentials", () => {
  it("fail with a SASL authentication error that names the secret format, and never the password", async () => {
    const { handler } = await handlerWith(async (fixture) => {
      await fixture.putSecret(
        fixture.settings.kafkaSecretId,
        JSON.stringify({ username: inject("kafka").username, password: "not-the-password" }),
      );
      return fixture.settings;
    });
    const error = (await handler(event, lambdaContext("statuses")).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("KafkaAuthenticationError");
    expect(error.message).toContain("rejected the SASL/PLAIN credentials");
    expect(error.message).toContain('{"username": "<API key>", "password": "<API secret>"}');
    expect(error.message).not.toContain("not-the-password");
  });
});

describe("an unreachable broker", () => {
  it("fails within the connect timeout with an error naming the bootstrap servers", async () => {
    const { handler } = await handlerWith((fixture) => ({
      ...fixture.settings,
      kafka: { ...fixture.settings.kafka, bootstrapServers: "127.0.0.1:9", connectTimeoutMs: 3_000 },
    }));
    const error = (await handler(event, lambdaContext("statuses")).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("KafkaUnreachableError");
    expect(error.message).toContain("Kafka at 127.0.0.1:9 could not be reached within 3000 ms");
  });
});

describe("records the broker does not acknowledge", () => {
  it("fail the invocation with how many were not delivered and why", async () => {
    const { handler } = await handlerWith((fixture) => ({
      ...fixture.settings,
      topic: "topic-that-was-never-created",
      kafka: { ...fixture.settings.kafka, deliveryTimeoutMs: 3_000 },
    }));
    const error = (await handler(event, lambdaContext("statuses")).catch((e: unknown) => e)) as Error;
    const devices = simulator.dataset.devices.length;
    expect(error.name).toBe("KafkaDeliveryError");
    expect(error.message).toMatch(
      new RegExp(
        `^${devices} of ${devices} records were not delivered to Kafka \\(127\\.0\\.0\\.1:\\d+\\): topic topic-that-was-never-created: ${devices} x `,
      ),
    );
    expect(error.message).toContain("the scheduler retries it");
  });
});

describe("Secrets Manager problems", () => {
  it("a missing secret fails with the secret's name and how to create it", async () => {
    const { handler } = await handlerWith((fixture) => ({
      ...fixture.settings,
      merakiSecretId: "semaphore/does-not-exist",
    }));
    const error = (await handler(event, lambdaContext("statuses")).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("SecretError");
    expect(error.message).toBe(
      'Secrets Manager secret "semaphore/does-not-exist" was not found: create it (README, "Deploy") or fix ' +
        "the secret name/ARN in the stack config",
    );
  });

  it("a Kafka secret without a password fails naming the missing field and the expected format", async () => {
    const { handler } = await handlerWith(async (fixture) => {
      await fixture.putSecret(fixture.settings.kafkaSecretId, JSON.stringify({ username: "key-only" }));
      return fixture.settings;
    });
    const error = (await handler(event, lambdaContext("statuses")).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("SecretError");
    expect(error.message).toContain("bad fields: password");
    expect(error.message).not.toContain("key-only");
  });
});

describe("an organisation that cannot be reached", () => {
  it("does not stop the other organisation's records, and is reported in the summary", async () => {
    const [healthy, broken] = simulator.dataset.organizations;
    const { fixture, handler } = await handlerWith((f) => ({
      ...f.settings,
      organizationIds: [healthy!.id, broken!.id],
      merakiTimeoutMs: 2_000,
    }));
    simulator.setFaults({
      serverErrors: { count: 1000, status: 503, pathIncludes: `/organizations/${broken!.id}/` },
    });
    try {
      const summary = await handler(event, lambdaContext("statuses"));
      const healthyDevices = simulator.dataset.devices.filter((d) => d.organizationId === healthy!.id).length;
      expect(summary.organizations.swept).toBe(1);
      expect(summary.organizations.failed.map((f) => f.organizationId)).toEqual([broken!.id]);
      expect(summary.records.produced).toBe(healthyDevices);
      const records = await readRecords(inject("kafka"), fixture.settings.topic, healthyDevices, {
        timeoutMs: 20_000,
      });
      expect(new Set(records.map((r) => JSON.parse(r.value).source.organizationId))).toEqual(
        new Set([healthy!.id]),
      );
    } finally {
      simulator.setFaults({});
    }
  });
});

describe("a 429 storm", () => {
  it("is ridden out: every record is still produced", async () => {
    const { fixture, handler } = await handlerWith();
    simulator.setFaults({ rateLimitStorm: { count: 6, retryAfterSeconds: 1 } });
    try {
      const summary = await handler(event, lambdaContext("statuses"));
      expect(summary.records.produced).toBe(simulator.dataset.devices.length);
      const records = await readRecords(
        inject("kafka"),
        fixture.settings.topic,
        simulator.dataset.devices.length,
        {
          timeoutMs: 20_000,
        },
      );
      expect(records).toHaveLength(simulator.dataset.devices.length);
    } finally {
      simulator.setFaults({});
    }
  });
});
