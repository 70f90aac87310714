// The simulated inventory: generated once at start from the seed and the sizes, so requests only
// slice and render it. Arrays are kept in the order the API pages them (networks by id, devices by
// serial, clients by id) so tests can compare pages against them directly.

import {
  CALLING_CODES,
  CARRIERS,
  CELLULAR_GENERATION,
  CITIES,
  type City,
  CLIENT_PROFILES,
  DEVICE_NAME_SUFFIX,
  DEVICE_TAGS,
  FIRMWARE,
  FIRST_NAMES,
  MERAKI_OUIS,
  MODELS,
  NETWORK_TAGS,
  ORGANIZATION_NAMES,
  POWER_SUPPLY_MODELS,
  type ProductType,
  PUBLIC_BLOCKS,
  SITE_KINDS,
  SSIDS,
  VLANS,
} from "./fixtures.js";
import { hash32, Random } from "./random.js";
import { switchPortLayout } from "./switch-models.js";

export type { ProductType } from "./fixtures.js";
export type DeviceStatus = "online" | "alerting" | "offline" | "dormant";
export type ClientConnection = "Wired" | "Wireless";

export interface DatasetOptions {
  seed: number;
  organizations: number;
  networksPerOrg: number;
  devicesPerOrg: number;
  clientsPerNetwork: number;
}

export interface SimOrganization {
  id: string;
  name: string;
  url: string;
  licensingModel: "co-term" | "per-device" | "subscription";
  region: string;
  /** Where the region's data is hosted (cloud.region.host.name). */
  regionHost: string;
}

export interface SimNetwork {
  id: string;
  organizationId: string;
  name: string;
  productTypes: ProductType[];
  timeZone: string;
  tags: string[];
  enrollmentString: string;
  url: string;
  notes: string;
  /** The address every device in the network reaches the internet from (the MX's WAN). */
  publicIp: string;
}

export interface SimPowerSupply {
  slot: number;
  serial: string;
  model: string;
  status: "powering";
  poeMaximumWatts: number;
}

/**
 * An MG's SIM, its carrier and what the carrier assigned. The uplink's status follows the device's
 * and its signal varies with time (cellular-uplinks.ts); these stay fixed.
 */
export interface SimCellular {
  provider: string;
  mcc: string;
  mnc: string;
  apn: string;
  /** 20 digits: 89, the country calling code, an issuer, an account and a Luhn check digit. */
  iccid: string;
  /** 15 digits: MCC, MNC and the subscriber number. */
  imsi: string;
  /** The SIM's phone number, E.164 digits without "+". */
  msisdn: string;
  /** The modem's IMEI: 14 digits and a Luhn check digit. */
  imei: string;
  generation: "4G" | "5G";
  /** The carrier-assigned address on the cellular interface, and the carrier's gateway. */
  ip: string;
  gateway: string;
  publicIp: string;
  /** The carrier's resolvers, handed out with the address. */
  dns1: string;
  dns2: string;
  roaming: "home" | "roaming";
  mtu: number;
}

export interface SimDevice {
  serial: string;
  name: string;
  mac: string;
  model: string;
  productType: ProductType;
  organizationId: string;
  networkId: string;
  firmware: string;
  lanIp: string;
  gateway: string;
  publicIp: string;
  /** "" (with lanIp and gateway "") for MT sensors, which reach the cloud through a gateway's Bluetooth. */
  ipType: "dhcp" | "static" | "";
  tags: string[];
  lat: number;
  lng: number;
  address: string;
  notes: string;
  /** The device's page in the Dashboard. */
  url: string;
  status: DeviceStatus;
  /** lastReportedAt is rendered relative to the simulator clock. */
  lastReportedSecondsAgo: number;
  powerSupplies: SimPowerSupply[];
  /** Present on cellular gateways (MG) only. */
  cellular: SimCellular | null;
}

export interface SimClient {
  id: string;
  networkId: string;
  mac: string;
  ip: string;
  ip6: string;
  ip6Local: string;
  description: string;
  manufacturer: string;
  os: string;
  user: string;
  vlan: string;
  namedVlan: string;
  ssid: string;
  switchport: string;
  wirelessCapabilities: string;
  smInstalled: boolean;
  recentDeviceSerial: string;
  recentDeviceName: string;
  recentDeviceMac: string;
  recentDeviceConnection: ClientConnection;
  deviceTypePrediction: string;
  groupPolicy8021x: string;
  /** firstSeen/lastSeen are rendered relative to the simulator clock. */
  firstSeenSecondsAgo: number;
  lastSeenSecondsAgo: number;
  usageSentKb: number;
  usageRecvKb: number;
}

export interface SimulatedDataset {
  options: DatasetOptions;
  organizations: SimOrganization[];
  /** Grouped by organisation (in organisation order), each group sorted by id. */
  networks: SimNetwork[];
  /**
   * Grouped by organisation, each group sorted by serial. Every network has exactly one appliance;
   * the rest are access points, switches, cameras, sensors and cellular gateways (DEVICE_MIX).
   */
  devices: SimDevice[];
  /** Keyed by network id, each list sorted by client id. */
  clientsByNetwork: Map<string, SimClient[]>;
}

/** A client counts as Online while it was seen within this many seconds. */
export const CLIENT_ONLINE_SECONDS = 300;

const SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const DIGITS = "0123456789";
/** The shares of the devices besides the MXs, roughly those of a retail or branch estate. */
const DEVICE_MIX: readonly (readonly [ProductType, number])[] = [
  ["wireless", 40],
  ["switch", 27],
  ["camera", 12],
  ["sensor", 16],
  ["cellularGateway", 5],
];

export function generateDataset(options: DatasetOptions): SimulatedDataset {
  validate(options);
  const rng = new Random(options.seed);
  const unique = new UniqueValues(rng);
  const organizations: SimOrganization[] = [];
  const networks: SimNetwork[] = [];
  const devices: SimDevice[] = [];
  const clientsByNetwork = new Map<string, SimClient[]>();

  const orgBase = 500_000 + (hash32(`org:${options.seed}`) % 4_000_000);
  for (let o = 0; o < options.organizations; o++) {
    // A prime stride keeps ids unique without looking sequential.
    const organization = makeOrganization(rng, String(orgBase + o * 7919), o);
    organizations.push(organization);
    const orgNetworks: GeneratedNetwork[] = [];
    for (let k = 0; k < options.networksPerOrg; k++) orgNetworks.push(makeNetwork(rng, organization, k));
    const orgDevices = makeDevices(rng, unique, organization, orgNetworks, options.devicesPerOrg);
    for (const generated of orgNetworks) {
      const inNetwork = orgDevices.filter((d) => d.networkId === generated.network.id);
      generated.network.productTypes = [...new Set(inNetwork.map((d) => d.productType))].sort();
      const clients: SimClient[] = [];
      for (let j = 0; j < options.clientsPerNetwork; j++) {
        clients.push(makeClient(rng, unique, generated, inNetwork, j));
      }
      clientsByNetwork.set(generated.network.id, clients.sort(byKey((c) => c.id)));
    }
    networks.push(...orgNetworks.map((g) => g.network).sort(byKey((n) => n.id)));
    devices.push(...orgDevices.sort(byKey((d) => d.serial)));
  }
  return { options: { ...options }, organizations, networks, devices, clientsByNetwork };
}

/** Code-unit order, the same order the paginator's cursors compare in. */
export function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

function validate(options: DatasetOptions): void {
  const sizes: [string, number, number][] = [
    ["organizations", options.organizations, 1],
    ["networksPerOrg", options.networksPerOrg, 1],
    ["devicesPerOrg", options.devicesPerOrg, 1],
    ["clientsPerNetwork", options.clientsPerNetwork, 0],
  ];
  for (const [name, value, min] of sizes) {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}`);
  }
  if (!Number.isFinite(options.seed)) throw new RangeError("seed must be a finite number");
  if (options.devicesPerOrg < options.networksPerOrg) {
    throw new RangeError("devicesPerOrg must be >= networksPerOrg: every network has one MX appliance");
  }
}

/** Serials, MACs and client ids must be unique across the whole dataset, as they are in Meraki. */
class UniqueValues {
  readonly #seen = new Set<string>();
  readonly #rng: Random;

  constructor(rng: Random) {
    this.#rng = rng;
  }

  take(make: (rng: Random) => string): string {
    for (;;) {
      const value = make(this.#rng);
      if (!this.#seen.has(value)) {
        this.#seen.add(value);
        return value;
      }
    }
  }
}

interface GeneratedNetwork {
  network: SimNetwork;
  /** The network's Dashboard URL up to /manage, which its devices' pages share. */
  dashboardBase: string;
  index: number;
  city: City;
  code: string;
}

function makeOrganization(rng: Random, id: string, index: number): SimOrganization {
  const base = ORGANIZATION_NAMES[index % ORGANIZATION_NAMES.length] ?? "Organization";
  const round = Math.floor(index / ORGANIZATION_NAMES.length);
  const token = rng.chars("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 6);
  return {
    id,
    name: round === 0 ? base : `${base} ${round + 1}`,
    url: `https://n${rng.int(10, 400)}.meraki.com/o/${token}/manage/organization/overview`,
    licensingModel: rng.weighted([
      ["co-term", 5],
      ["per-device", 3],
      ["subscription", 2],
    ] as const),
    ...rng.weighted([
      [{ region: "North America", regionHost: "United States" }, 6],
      [{ region: "Europe", regionHost: "Germany" }, 3],
      [{ region: "Asia", regionHost: "Singapore" }, 1],
    ] as const),
  };
}

function makeNetwork(rng: Random, organization: SimOrganization, index: number): GeneratedNetwork {
  const city = rng.pick(CITIES);
  const number = String(index + 1).padStart(3, "0");
  const name = `${city.name} ${rng.pick(SITE_KINDS)} ${number}`;
  const slug = name.toLowerCase().replaceAll(" ", "-");
  // Combined networks have L_ ids, single-product ones N_; both appear in real organisations.
  const prefix = rng.next() < 0.7 ? "L_" : "N_";
  const orgPart = 600_000 + (hash32(`net:${organization.id}`) % 399_999);
  const id = `${prefix}${orgPart}${String(1_000_003 + index * 9973).padStart(12, "0")}`;
  const block = PUBLIC_BLOCKS[Math.floor(index / 254) % PUBLIC_BLOCKS.length] ?? "203.0.113";
  const tagCount = rng.int(0, 2);
  const tags = new Set<string>();
  for (let t = 0; t < tagCount; t++) tags.add(rng.pick(NETWORK_TAGS));
  const dashboardBase = `https://n${rng.int(10, 400)}.meraki.com/${slug}/n/${rng.chars("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789", 8)}`;
  const network: SimNetwork = {
    id,
    organizationId: organization.id,
    name,
    productTypes: [],
    timeZone: city.timeZone,
    tags: [...tags].sort(),
    enrollmentString: slug,
    url: `${dashboardBase}/manage/usage/list`,
    notes: `Site ${city.code}${number}`,
    publicIp: `${block}.${(index % 254) + 1}`,
  };
  return { network, dashboardBase, index, city, code: `${city.code}${number}` };
}

function makeDevices(
  rng: Random,
  unique: UniqueValues,
  organization: SimOrganization,
  networks: readonly GeneratedNetwork[],
  count: number,
): SimDevice[] {
  const devices: SimDevice[] = [];
  const perNetworkType = new Map<string, number>();
  const perNetwork = new Map<string, number>();
  for (let d = 0; d < count; d++) {
    // The first pass gives each network its MX; the rest is dealt round-robin so sizes stay even.
    const generated = networks[d % networks.length];
    if (generated === undefined) throw new RangeError("no networks to place devices in");
    const productType = productTypeAt(rng, d - networks.length);
    const typeKey = `${generated.network.id}/${productType}`;
    const ordinal = (perNetworkType.get(typeKey) ?? 0) + 1;
    perNetworkType.set(typeKey, ordinal);
    const hostIndex = perNetwork.get(generated.network.id) ?? 0;
    perNetwork.set(generated.network.id, hostIndex + 1);
    devices.push(makeDevice(rng, unique, organization, generated, productType, ordinal, hostIndex));
  }
  return devices;
}

/**
 * The MXs come first (a negative `afterAppliances`); then one device of every other family, so that
 * even a small dataset has each family; then families drawn by their shares.
 */
function productTypeAt(rng: Random, afterAppliances: number): ProductType {
  if (afterAppliances < 0) return "appliance";
  return DEVICE_MIX[afterAppliances]?.[0] ?? rng.weighted(DEVICE_MIX);
}

function makeDevice(
  rng: Random,
  unique: UniqueValues,
  organization: SimOrganization,
  generated: GeneratedNetwork,
  productType: ProductType,
  ordinal: number,
  hostIndex: number,
): SimDevice {
  const { network, index, city } = generated;
  const model = rng.pick(MODELS[productType]);
  const serial = unique.take(
    (r) => `Q2${r.chars(SERIAL_ALPHABET, 2)}-${r.chars(SERIAL_ALPHABET, 4)}-${r.chars(SERIAL_ALPHABET, 4)}`,
  );
  const isAppliance = productType === "appliance";
  const status: DeviceStatus = rng.weighted(
    isAppliance
      ? ([
          ["online", 95],
          ["alerting", 3],
          ["offline", 2],
        ] as const)
      : ([
          ["online", 90],
          ["alerting", 4],
          ["offline", 4],
          ["dormant", 2],
        ] as const),
  );
  const tags = new Set<string>();
  const tagCount = rng.int(0, 2);
  for (let t = 0; t < tagCount; t++) tags.add(rng.pick(DEVICE_TAGS));
  const psuModel = POWER_SUPPLY_MODELS[model];
  const powerSupplies: SimPowerSupply[] =
    psuModel === undefined
      ? []
      : [1, 2].map((slot) => ({
          slot,
          serial: unique.take(
            (r) =>
              `Q${r.chars(SERIAL_ALPHABET, 3)}-${r.chars(SERIAL_ALPHABET, 4)}-${r.chars(SERIAL_ALPHABET, 4)}`,
          ),
          model: psuModel,
          status: "powering" as const,
          poeMaximumWatts: 740,
        }));
  const mac = unique.take((r) => `${r.pick(MERAKI_OUIS)}:${r.bytes(3, ":")}`);
  const cellular = productType === "cellularGateway" ? makeCellular(rng, unique, city, model, index) : null;
  const addressing = deviceAddressing(productType, index, hostIndex, cellular);
  return {
    serial,
    name: `${generated.code}-${DEVICE_NAME_SUFFIX[productType]}${String(ordinal).padStart(2, "0")}`,
    mac,
    model,
    productType,
    organizationId: organization.id,
    networkId: network.id,
    firmware: FIRMWARE[productType],
    lanIp: addressing.lanIp,
    gateway: addressing.gateway,
    publicIp: cellular?.publicIp ?? network.publicIp,
    ipType: productType === "sensor" ? "" : isAppliance || rng.next() < 0.8 ? "dhcp" : "static",
    tags: [...tags].sort(),
    lat: round(city.lat + (rng.next() - 0.5) * 0.02, 6),
    lng: round(city.lng + (rng.next() - 0.5) * 0.02, 6),
    address: `${rng.int(1, 999)} ${city.street}, ${city.name}, ${city.region}`,
    notes: "",
    // The Dashboard addresses a device's page by its MAC address read as a number.
    url: `${generated.dashboardBase}/manage/nodes/new_list/${Number.parseInt(mac.replaceAll(":", ""), 16)}`,
    status,
    lastReportedSecondsAgo:
      status === "online" || status === "alerting"
        ? rng.int(5, 90)
        : status === "offline"
          ? rng.int(600, 2 * 86_400)
          : rng.int(8 * 86_400, 60 * 86_400),
    powerSupplies,
    cellular,
  };
}

/**
 * The MX's LAN-side address in statuses is its WAN address behind the ISP router; an MG's gateway
 * is its carrier's; MT sensors have no address of their own; everything else lives on the site's
 * 10.x.y.0/24 management subnet behind the MX.
 */
function deviceAddressing(
  productType: ProductType,
  index: number,
  hostIndex: number,
  cellular: SimCellular | null,
): { lanIp: string; gateway: string } {
  const site = `${(index >> 8) & 255}.${index & 255}`;
  const wanSubnet = `192.168.${(index % 250) + 1}`;
  if (productType === "appliance") return { lanIp: `${wanSubnet}.2`, gateway: `${wanSubnet}.1` };
  if (productType === "sensor") return { lanIp: "", gateway: "" };
  return { lanIp: `10.${site}.${10 + (hostIndex % 240)}`, gateway: cellular?.gateway ?? `10.${site}.1` };
}

function makeCellular(
  rng: Random,
  unique: UniqueValues,
  city: City,
  model: string,
  index: number,
): SimCellular {
  const carrier = rng.pick(CARRIERS[city.country]);
  const callingCode = CALLING_CODES[city.country];
  const iccidBody = unique.take((r) => `89${callingCode}${r.chars(DIGITS, 19 - 2 - callingCode.length)}`);
  // Carriers hand out CGNAT addresses (RFC 6598); the public side is in the benchmarking range
  // (RFC 2544), which routes nowhere.
  const cgnat = `100.${64 + (index % 64)}.${rng.int(0, 255)}`;
  return {
    provider: carrier.name,
    mcc: carrier.mcc,
    mnc: carrier.mnc,
    apn: carrier.apn,
    iccid: withLuhnDigit(iccidBody),
    imsi: unique.take(
      (r) => `${carrier.mcc}${carrier.mnc}${r.chars(DIGITS, 15 - carrier.mcc.length - carrier.mnc.length)}`,
    ),
    msisdn: unique.take((r) => `${callingCode}${r.chars(DIGITS, 10)}`),
    imei: withLuhnDigit(unique.take((r) => `35${r.chars(DIGITS, 12)}`)),
    generation: CELLULAR_GENERATION[model] ?? "4G",
    ip: `${cgnat}.${rng.int(2, 254)}`,
    gateway: `${cgnat}.1`,
    dns1: "100.127.0.53",
    dns2: "100.127.1.53",
    publicIp: `198.${18 + (index & 1)}.${(index >> 1) & 255}.${rng.int(1, 254)}`,
    roaming: rng.next() < 0.95 ? "home" : "roaming",
    mtu: rng.pick([1430, 1500]),
  };
}

/** Appends the Luhn check digit, as ICCIDs and IMEIs carry. */
function withLuhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    const doubled = i % 2 === 0 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

function makeClient(
  rng: Random,
  unique: UniqueValues,
  generated: GeneratedNetwork,
  devices: readonly SimDevice[],
  j: number,
): SimClient {
  const profile = rng.pick(CLIENT_PROFILES);
  const aps = devices.filter((d) => d.productType === "wireless");
  const switches = devices.filter((d) => d.productType === "switch");
  const wireless = aps.length > 0 && rng.next() < profile.wireless;
  const wiredUplinks = switches.length > 0 ? switches : devices.filter((d) => d.productType === "appliance");
  const recent = rng.pick(wireless ? aps : wiredUplinks);
  const [vlan, namedVlan] = rng.pick(VLANS);
  const first = rng.pick(FIRST_NAMES);
  // A device that is down has no client online, whatever it saw before.
  const online = rng.next() < 0.75 && (recent.status === "online" || recent.status === "alerting");
  const lastSeenSecondsAgo = online ? rng.int(0, 240) : rng.int(3_600, 20 * 3_600);
  // 172.16.0.0/12 split into one /20 per network: unique addresses for 4086 clients per network.
  const address = ((172 << 24) | (16 << 16)) + ((generated.index * 4096 + 10 + j) % (1 << 20));
  const description =
    profile.describe === "phone"
      ? `${first}'s ${profile.label}`
      : `${profile.label}-${rng.chars("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 7)}`;
  return {
    id: unique.take((r) => `k${r.bytes(3, "")}`),
    networkId: generated.network.id,
    mac: unique.take((r) => `${r.pick(profile.ouis)}:${r.bytes(3, ":")}`),
    ip: [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join("."),
    ip6: `2001:db8:${generated.index.toString(16)}:${vlan}::${(j + 1).toString(16)}`,
    ip6Local: `fe80:0:0:0:${rng.bytes(2, "")}:${rng.bytes(2, "")}:${rng.bytes(2, "")}:${rng.bytes(2, "")}`,
    description,
    manufacturer: profile.manufacturer,
    os: profile.os,
    user: profile.hasUser ? first.toLowerCase() : "",
    vlan,
    namedVlan,
    ssid: wireless ? rng.pick(SSIDS) : "",
    // On a switch, one of its access ports (switch-models.ts); an MX's LAN ports are not modelled.
    switchport: wireless
      ? ""
      : String(rng.int(1, recent.productType === "switch" ? switchPortLayout(recent.model).accessPorts : 48)),
    wirelessCapabilities: wireless ? "802.11ax - 2.4 and 5 GHz" : "",
    smInstalled: profile.manufacturer === "Apple" && rng.next() < 0.3,
    recentDeviceSerial: recent.serial,
    recentDeviceName: recent.name,
    recentDeviceMac: recent.mac,
    recentDeviceConnection: wireless ? "Wireless" : "Wired",
    deviceTypePrediction: profile.prediction,
    groupPolicy8021x: profile.hasUser ? "Employee" : "",
    firstSeenSecondsAgo: lastSeenSecondsAgo + rng.int(3_600, 90 * 86_400),
    lastSeenSecondsAgo,
    usageSentKb: rng.int(10, 500_000),
    usageRecvKb: rng.int(10, 2_000_000),
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
