// A Meraki key that Meraki stops accepting must not be reused from the secrets cache: with the
// inventory cached, a revoked key fails inside every organisation's sweep (SweepFailedError), or
// inside only some of them, and the next invocation has to read the secret again. Real handler,
// real Secrets Manager (moto) holding the key, the simulator rotating and revoking keys.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lambdaContext } from "../../infra/local/lambda-context.js";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { createSweepHandler, type SweepHandler } from "../../shared/handlers/sweep-handler.js";
import { MerakiAuthError } from "../../shared/meraki/index.js";
import { SweepFailedError } from "../../shared/sweeps/errors.js";
import { type SweepFixture, sweepFixture } from "../support/sweep-fixture.js";

const OLD_KEY = "old-key-0000000000000000000000000000000000";
const NEW_KEY = "new-key-1111111111111111111111111111111111";
const event = { scheduledTime: "2026-11-22T10:00:00Z" };

let simulator: RunningSimulator;
let fixture: SweepFixture;
let handler: SweepHandler;

beforeAll(async () => {
  simulator = await startMerakiSimulator({
    seed: 3,
    organizations: 2,
    networksPerOrg: 2,
    devicesPerOrg: 6,
    apiKey: OLD_KEY,
  });
});

afterAll(async () => {
  await handler?.close();
  await simulator.stop();
});

beforeEach(async () => {
  await handler?.close();
  simulator.setApiKeys([OLD_KEY]);
  simulator.setFaults({});
  // A fresh handler and secret per case, with the secrets cache at its production lifetime (15 min).
  fixture = await sweepFixture({
    kind: "device-availability",
    merakiBaseUrl: simulator.baseUrl,
    merakiApiKey: OLD_KEY,
  });
  handler = createSweepHandler(fixture.settings, {
    secretsManagerClientOptions: fixture.secretsManagerClientOptions,
  });
  // The first invocation reads the secret and fills the inventory cache.
  const warm = await handler(event, lambdaContext("statuses"));
  expect(warm.organizations.swept).toBe(2);
});

const invoke = () => handler(event, lambdaContext("statuses"));

describe("after a Meraki key rotation", () => {
  it("fails the attempt that still used the old key, and the retry reads and uses the new one", async () => {
    await fixture.putSecret(fixture.settings.merakiSecretId, NEW_KEY);
    simulator.setApiKeys([NEW_KEY]);

    const stale = await invoke().catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(SweepFailedError);
    expect((stale as SweepFailedError).failures.map((f) => f.error)).toEqual([
      expect.any(MerakiAuthError),
      expect.any(MerakiAuthError),
    ]);

    const retried = await invoke();
    expect(retried.organizations).toEqual({ swept: 2, failed: [], skipped: [] });
  });
});

describe("after a Meraki key is revoked", () => {
  it("reads the secret again on every attempt, so the key put there after the failure is used at once", async () => {
    simulator.setApiKeys([NEW_KEY]);
    await expect(invoke()).rejects.toBeInstanceOf(SweepFailedError);
    await expect(invoke()).rejects.toBeInstanceOf(SweepFailedError);

    await fixture.putSecret(fixture.settings.merakiSecretId, NEW_KEY);
    const fixed = await invoke();
    expect(fixed.organizations).toEqual({ swept: 2, failed: [], skipped: [] });
  });
});

describe("a 401 for only some organisations", () => {
  it("delivers the others and still reads the secret again on the next invocation", async () => {
    const second = simulator.dataset.organizations[1]!;
    simulator.setFaults({ serverErrors: { count: 1_000, status: 401, organizationId: second.id } });
    const partial = await invoke();
    expect(partial.organizations.swept).toBe(1);
    expect(partial.organizations.failed.map((f) => f.organizationId)).toEqual([second.id]);
    expect(partial.organizations.failed[0]!.error).toContain("HTTP 401");

    // Had the old key stayed cached, this invocation would fail for every organisation.
    simulator.setFaults({});
    await fixture.putSecret(fixture.settings.merakiSecretId, NEW_KEY);
    simulator.setApiKeys([NEW_KEY]);
    const next = await invoke();
    expect(next.organizations).toEqual({ swept: 2, failed: [], skipped: [] });
  });
});
