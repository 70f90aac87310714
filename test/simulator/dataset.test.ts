import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVICE_NAME_SUFFIX, FIRMWARE, MODELS } from "../../infra/local/meraki-simulator/fixtures.js";
import {
  type RunningSimulator,
  type SimulatorOptions,
  startMerakiSimulator,
} from "../../infra/local/meraki-simulator/index.js";
import { fixedClock, get } from "./helpers.js";

const OPTIONS: SimulatorOptions = {
  seed: 42,
  organizations: 2,
  networksPerOrg: 6,
  devicesPerOrg: 30,
  clientsPerNetwork: 9,
  rateLimitPerSecond: 10_000,
  now: fixedClock,
};

async function everyBody(sim: RunningSimulator): Promise<string[]> {
  const paths = ["/organizations"];
  for (const org of sim.dataset.organizations) {
    for (const op of ["networks", "devices", "devices/statuses", "devices/uplinksLossAndLatency"]) {
      paths.push(`/organizations/${org.id}/${op}`);
    }
  }
  for (const network of sim.dataset.networks) paths.push(`/networks/${network.id}/clients?perPage=100`);
  const bodies: string[] = [];
  for (const path of paths) bodies.push(await (await get(sim, path)).text());
  return bodies;
}

describe("generated dataset", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startMerakiSimulator(OPTIONS);
  });
  afterAll(() => sim.stop());

  it("gives byte-identical responses for the same options", async () => {
    const twin = await startMerakiSimulator(OPTIONS);
    try {
      expect(await everyBody(twin)).toEqual(await everyBody(sim));
    } finally {
      await twin.stop();
    }
  });

  it("gives different data for a different seed", async () => {
    const other = await startMerakiSimulator({ ...OPTIONS, seed: 43 });
    try {
      expect(other.dataset.devices.map((d) => d.serial)).not.toEqual(
        sim.dataset.devices.map((d) => d.serial),
      );
    } finally {
      await other.stop();
    }
  });

  it("has the requested numbers of organisations, networks, devices and clients", () => {
    const { organizations, networks, devices, clientsByNetwork } = sim.dataset;
    expect(organizations).toHaveLength(2);
    for (const org of organizations) {
      expect(networks.filter((n) => n.organizationId === org.id)).toHaveLength(6);
      expect(devices.filter((d) => d.organizationId === org.id)).toHaveLength(30);
    }
    expect([...clientsByNetwork.values()].map((c) => c.length)).toEqual(Array(12).fill(9));
  });

  it("puts exactly one MX appliance in every network", () => {
    for (const network of sim.dataset.networks) {
      const appliances = sim.dataset.devices.filter(
        (d) => d.networkId === network.id && d.productType === "appliance",
      );
      expect(appliances.map((d) => d.model.slice(0, 2))).toEqual(["MX"]);
    }
  });

  it("has every device family in every organisation, small as it is", () => {
    for (const org of sim.dataset.organizations) {
      const types = new Set(
        sim.dataset.devices.filter((d) => d.organizationId === org.id).map((d) => d.productType),
      );
      expect([...types].sort()).toEqual([...Object.keys(MODELS)].sort());
    }
  });

  it("gives every device a model of its family, a firmware of its train and a name of its kind", () => {
    for (const device of sim.dataset.devices) {
      expect(MODELS[device.productType]).toContain(device.model);
      expect(device.firmware).toBe(FIRMWARE[device.productType]);
      expect(device.name).toMatch(
        new RegExp(`^[A-Z]{3}\\d{3}-${DEVICE_NAME_SUFFIX[device.productType]}\\d{2}$`),
      );
    }
  });

  it("gives every MG, and only MGs, a SIM: ICCID and IMEI with a valid Luhn digit, IMSI from the carrier", () => {
    for (const device of sim.dataset.devices) {
      const { cellular } = device;
      if (device.productType !== "cellularGateway") {
        expect(cellular).toBeNull();
        continue;
      }
      expect(cellular).not.toBeNull();
      expect(cellular!.iccid).toMatch(/^89\d{18}$/);
      expect(luhnValid(cellular!.iccid)).toBe(true);
      expect(cellular!.imei).toMatch(/^\d{15}$/);
      expect(luhnValid(cellular!.imei)).toBe(true);
      expect(cellular!.imsi).toMatch(/^\d{15}$/);
      expect(cellular!.imsi.startsWith(`${cellular!.mcc}${cellular!.mnc}`)).toBe(true);
      expect(device.publicIp).toBe(cellular!.publicIp);
    }
  });

  it("gives MT sensors no address of their own (they reach the cloud through a gateway)", () => {
    const sensors = sim.dataset.devices.filter((d) => d.productType === "sensor");
    expect(sensors.length).toBeGreaterThan(0);
    for (const sensor of sensors) expect([sensor.lanIp, sensor.gateway, sensor.ipType]).toEqual(["", "", ""]);
  });

  it("lists the IMEI of cellular gateways only, as the API does", async () => {
    const org = sim.dataset.organizations[0]!;
    const body = await (await get(sim, `/organizations/${org.id}/devices`)).json();
    const rows = body as { serial: string; productType: string; imei?: string }[];
    const withImei = rows.filter((row) => row.imei !== undefined);
    expect(withImei.map((row) => row.productType)).toEqual(withImei.map(() => "cellularGateway"));
    expect(withImei.map((row) => [row.serial, row.imei])).toEqual(
      sim.dataset.devices
        .filter((d) => d.organizationId === org.id && d.cellular !== null)
        .map((d) => [d.serial, d.cellular!.imei]),
    );
  });

  it("lists each network's product types from its devices", () => {
    for (const network of sim.dataset.networks) {
      const types = new Set(
        sim.dataset.devices.filter((d) => d.networkId === network.id).map((d) => d.productType),
      );
      expect(network.productTypes).toEqual([...types].sort());
    }
  });

  it("uses Meraki's id formats", () => {
    for (const org of sim.dataset.organizations) expect(org.id).toMatch(/^\d{6,}$/);
    for (const network of sim.dataset.networks) expect(network.id).toMatch(/^[LN]_\d{18}$/);
    for (const device of sim.dataset.devices) {
      expect(device.serial).toMatch(/^Q2[0-9A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(device.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    }
  });

  it("never repeats a serial, MAC or client id", () => {
    const serials = sim.dataset.devices.map((d) => d.serial);
    const macs = sim.dataset.devices.map((d) => d.mac);
    const clientIds = [...sim.dataset.clientsByNetwork.values()].flat().map((c) => c.id);
    expect(new Set(serials).size).toBe(serials.length);
    expect(new Set(macs).size).toBe(macs.length);
    expect(new Set(clientIds).size).toBe(clientIds.length);
  });

  it("refuses fewer devices than networks, since every network needs its MX", async () => {
    await expect(startMerakiSimulator({ networksPerOrg: 5, devicesPerOrg: 4 })).rejects.toThrow(RangeError);
  });

  it("starts and serves 1 org x 200 networks x 1000 devices x 25 clients quickly", async () => {
    const started = performance.now();
    const big = await startMerakiSimulator({
      organizations: 1,
      networksPerOrg: 200,
      devicesPerOrg: 1000,
      clientsPerNetwork: 25,
      now: fixedClock,
    });
    try {
      const orgId = big.dataset.organizations[0]!.id;
      const devices = (await (await get(big, `/organizations/${orgId}/devices`)).json()) as unknown[];
      const rows = (await (
        await get(big, `/organizations/${orgId}/devices/uplinksLossAndLatency`)
      ).json()) as unknown[];
      expect([devices.length, rows.length, big.dataset.clientsByNetwork.size]).toEqual([1000, 400, 200]);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await big.stop();
    }
  });
});

/** The Luhn check over every digit, the last one being the check digit. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    const doubled = i % 2 === 1 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return sum % 10 === 0;
}
