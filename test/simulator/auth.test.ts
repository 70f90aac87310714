import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get } from "./helpers.js";

describe("authentication and unknown resources", () => {
  let sim: RunningSimulator;
  let orgId: string;

  beforeAll(async () => {
    sim = await startMerakiSimulator({ apiKey: "k-123", now: fixedClock });
    orgId = sim.dataset.organizations[0]!.id;
  });
  afterAll(() => sim.stop());

  it("answers 401 without a key", async () => {
    const response = await get(sim, "/organizations", {});
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: ["Invalid API key"] });
  });

  it("answers 401 to a wrong bearer key", async () => {
    const response = await get(sim, "/organizations", { Authorization: "Bearer not-the-key" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: ["Invalid API key"] });
  });

  it("accepts the key as a bearer token", async () => {
    expect((await get(sim, "/organizations", { Authorization: "Bearer k-123" })).status).toBe(200);
  });

  it("accepts the key in X-Cisco-Meraki-API-Key", async () => {
    expect((await get(sim, "/organizations", { "X-Cisco-Meraki-API-Key": "k-123" })).status).toBe(200);
  });

  it("accepts the keys given later and refuses one they leave out (rotation, then revocation)", async () => {
    sim.setApiKeys(["k-123", "k-456"]);
    expect((await get(sim, "/organizations", { Authorization: "Bearer k-456" })).status).toBe(200);
    expect((await get(sim, "/organizations", { Authorization: "Bearer k-123" })).status).toBe(200);
    sim.setApiKeys(["k-456"]);
    expect((await get(sim, "/organizations", { Authorization: "Bearer k-123" })).status).toBe(401);
    sim.setApiKeys(["k-123"]);
  });

  it("exposes the key it expects", () => {
    expect(sim.apiKey).toBe("k-123");
  });

  it("checks the key before looking the organisation up", async () => {
    const response = await get(sim, "/organizations/0/devices", { Authorization: "Bearer wrong" });
    expect(response.status).toBe(401);
  });

  it("answers 404 for an unknown organisation", async () => {
    const response = await get(sim, "/organizations/0/devices");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: ["Not found"] });
  });

  it("answers 404 for an unknown network", async () => {
    const response = await get(sim, "/networks/N_0/clients");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: ["Not found"] });
  });

  it("answers 404 for an operation it does not simulate", async () => {
    const response = await get(sim, `/organizations/${orgId}/constructor`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: ["Not found"] });
  });

  it("answers 404 outside /api/v1", async () => {
    const response = await fetch(`${sim.baseUrl.replace("/api/v1", "")}/organizations`, {
      headers: { Authorization: "Bearer k-123" },
    });
    expect(response.status).toBe(404);
  });

  it("answers 405 to methods other than GET", async () => {
    const response = await fetch(`${sim.baseUrl}/organizations`, {
      method: "POST",
      headers: { Authorization: "Bearer k-123" },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });
});
