import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startMerakiSimulatorInWorker,
  type WorkerSimulator,
} from "../../infra/local/meraki-simulator/index.js";

async function get(sim: WorkerSimulator, path: string): Promise<Response> {
  return fetch(`${sim.baseUrl}${path}`, { headers: { Authorization: `Bearer ${sim.apiKey}` } });
}

describe("simulator on a worker thread", () => {
  let sim: WorkerSimulator;
  beforeAll(async () => {
    sim = await startMerakiSimulatorInWorker({ seed: 7, organizations: 2, networksPerOrg: 3 });
  });
  beforeEach(() => sim.resetLog());
  afterAll(() => sim.stop());

  it("serves the dataset the caller holds a copy of", async () => {
    const response = await get(sim, "/organizations");
    const organizations = (await response.json()) as Array<{ id: string }>;
    expect(organizations.map((o) => o.id)).toEqual(sim.dataset.organizations.map((o) => o.id));
  });

  it("hands over its request log", async () => {
    const orgId = sim.dataset.organizations[0]!.id;
    await get(sim, `/organizations/${orgId}/networks`);
    const log = await sim.requests();
    expect(log.map((r) => [r.path, r.status, r.organizationId])).toEqual([
      [`/organizations/${orgId}/networks`, 200, orgId],
    ]);
  });

  it("applies faults set from the caller's thread", async () => {
    await sim.setFaults({ serverErrors: { count: 1, status: 503 } });
    const orgId = sim.dataset.organizations[1]!.id;
    expect((await get(sim, `/organizations/${orgId}/networks`)).status).toBe(503);
    expect((await get(sim, `/organizations/${orgId}/networks`)).status).toBe(200);
  });
});
