import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startMerakiSimulator } from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get, getJson, NOW } from "./helpers.js";

interface Client {
  id: string;
  status: string;
  firstSeen: number;
  lastSeen: number;
  ssid: string;
  recentDeviceConnection: string;
  recentDeviceSerial: string;
}

describe("GET /networks/{id}/clients", () => {
  let sim: RunningSimulator;
  let path: string;
  let networkId: string;
  const nowSeconds = NOW.getTime() / 1000;

  beforeAll(async () => {
    sim = await startMerakiSimulator({
      organizations: 1,
      networksPerOrg: 2,
      devicesPerOrg: 20,
      clientsPerNetwork: 40,
      rateLimitPerSecond: 10_000,
      now: fixedClock,
    });
    networkId = sim.dataset.networks[0]!.id;
    path = `/networks/${networkId}/clients`;
  });
  afterAll(() => sim.stop());

  it("returns every client of the network seen in the default day, in id order", async () => {
    const clients = await getJson<Client[]>(sim, `${path}?perPage=1000`);
    expect(clients.map((c) => c.id)).toEqual(sim.dataset.clientsByNetwork.get(networkId)!.map((c) => c.id));
  });

  it("reports firstSeen and lastSeen as epoch seconds relative to the clock", async () => {
    const clients = await getJson<Client[]>(sim, `${path}?perPage=1000`);
    const expected = sim.dataset.clientsByNetwork.get(networkId)!;
    expect(clients.map((c) => [c.firstSeen, c.lastSeen])).toEqual(
      expected.map((c) => [nowSeconds - c.firstSeenSecondsAgo, nowSeconds - c.lastSeenSecondsAgo]),
    );
  });

  it("limits a short timespan to clients seen within it, which are the online ones", async () => {
    const clients = await getJson<Client[]>(sim, `${path}?perPage=1000&timespan=300`);
    const expected = sim.dataset.clientsByNetwork.get(networkId)!.filter((c) => c.lastSeenSecondsAgo <= 300);
    expect(clients.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    expect(clients.every((c) => c.status === "Online")).toBe(true);
  });

  it("windows by t0 as well", async () => {
    const t0 = new Date(NOW.getTime() - 300_000).toISOString();
    const byT0 = await getJson<Client[]>(sim, `${path}?perPage=1000&t0=${t0}`);
    const byTimespan = await getJson<Client[]>(sim, `${path}?perPage=1000&timespan=300`);
    expect(byT0).toEqual(byTimespan);
  });

  it("filters by status", async () => {
    const clients = await getJson<Client[]>(sim, `${path}?perPage=1000&statuses[]=Offline`);
    const expected = sim.dataset.clientsByNetwork.get(networkId)!.filter((c) => c.lastSeenSecondsAgo >= 300);
    expect(clients.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    expect(clients.length).toBeGreaterThan(0);
  });

  it("names an SSID exactly for wireless clients", async () => {
    const clients = await getJson<Client[]>(sim, `${path}?perPage=1000`);
    for (const c of clients) expect(c.ssid !== "").toBe(c.recentDeviceConnection === "Wireless");
  });

  it("attributes each client to a device of the same network", async () => {
    const clients = await getJson<Client[]>(sim, `${path}?perPage=1000`);
    const serials = new Set(
      sim.dataset.devices.filter((d) => d.networkId === networkId).map((d) => d.serial),
    );
    for (const c of clients) expect(serials.has(c.recentDeviceSerial)).toBe(true);
  });

  it.each([
    [
      "t0 with timespan",
      "t0=2026-11-22T00:00:00Z&timespan=60",
      "Specify either 't0' or 'timespan', not both",
    ],
    [
      "a timespan above 31 days",
      "timespan=2678401",
      "'timespan' must be greater than 0 and at most 2678400 seconds",
    ],
    ["t0 more than 31 days ago", "t0=2026-10-01T00:00:00Z", "'t0' can be at most 31 days in the past"],
    ["an unknown status", "statuses[]=Away", "'statuses' must be any of: Offline, Online"],
  ])("rejects %s with 400", async (_name, query, message) => {
    const response = await get(sim, `${path}?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [message] });
  });
});
