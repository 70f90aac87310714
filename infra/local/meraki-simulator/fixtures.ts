// Static vocabularies the generator draws from. Real model names, firmware strings and OUIs make
// the fixtures look like production data, which keeps parsers honest (e.g. models with suffixes).

export type ProductType = "appliance" | "switch" | "wireless" | "camera";

export interface City {
  name: string;
  code: string;
  timeZone: string;
  lat: number;
  lng: number;
  street: string;
  region: string;
}

export const CITIES: readonly City[] = [
  {
    name: "Seattle",
    code: "SEA",
    timeZone: "America/Los_Angeles",
    lat: 47.6062,
    lng: -122.3321,
    street: "Pine St",
    region: "WA, USA",
  },
  {
    name: "San Jose",
    code: "SJC",
    timeZone: "America/Los_Angeles",
    lat: 37.3382,
    lng: -121.8863,
    street: "Market St",
    region: "CA, USA",
  },
  {
    name: "Denver",
    code: "DEN",
    timeZone: "America/Denver",
    lat: 39.7392,
    lng: -104.9903,
    street: "Larimer St",
    region: "CO, USA",
  },
  {
    name: "Chicago",
    code: "CHI",
    timeZone: "America/Chicago",
    lat: 41.8781,
    lng: -87.6298,
    street: "Wacker Dr",
    region: "IL, USA",
  },
  {
    name: "Austin",
    code: "AUS",
    timeZone: "America/Chicago",
    lat: 30.2672,
    lng: -97.7431,
    street: "Congress Ave",
    region: "TX, USA",
  },
  {
    name: "New York",
    code: "NYC",
    timeZone: "America/New_York",
    lat: 40.7128,
    lng: -74.006,
    street: "Broadway",
    region: "NY, USA",
  },
  {
    name: "Toronto",
    code: "YYZ",
    timeZone: "America/Toronto",
    lat: 43.6532,
    lng: -79.3832,
    street: "King St W",
    region: "ON, Canada",
  },
  {
    name: "London",
    code: "LON",
    timeZone: "Europe/London",
    lat: 51.5072,
    lng: -0.1276,
    street: "Cheapside",
    region: "London, UK",
  },
  {
    name: "Berlin",
    code: "BER",
    timeZone: "Europe/Berlin",
    lat: 52.52,
    lng: 13.405,
    street: "Friedrichstrasse",
    region: "Berlin, Germany",
  },
  {
    name: "Amsterdam",
    code: "AMS",
    timeZone: "Europe/Amsterdam",
    lat: 52.3676,
    lng: 4.9041,
    street: "Damrak",
    region: "Amsterdam, Netherlands",
  },
  {
    name: "Tokyo",
    code: "TYO",
    timeZone: "Asia/Tokyo",
    lat: 35.6762,
    lng: 139.6503,
    street: "Chuo-dori",
    region: "Tokyo, Japan",
  },
  {
    name: "Sydney",
    code: "SYD",
    timeZone: "Australia/Sydney",
    lat: -33.8688,
    lng: 151.2093,
    street: "George St",
    region: "NSW, Australia",
  },
];

export const ORGANIZATION_NAMES = [
  "Acme Retail",
  "Globex Logistics",
  "Initech Health",
  "Umbrella Schools",
  "Stark Manufacturing",
  "Wayne Hospitality",
  "Hooli Offices",
  "Tyrell Labs",
];

export const SITE_KINDS = ["Branch", "Store", "Clinic", "Warehouse", "Office"];
export const NETWORK_TAGS = ["24x7", "east", "flagship", "pilot", "retail", "west"];
export const DEVICE_TAGS = ["floor-1", "floor-2", "lobby", "poe", "recently-added", "warehouse"];

export const MODELS: Record<ProductType, readonly string[]> = {
  appliance: ["MX67", "MX68", "MX75", "MX85", "MX95", "MX105"],
  switch: ["MS120-8LP", "MS130-24P", "MS225-48FP", "MS250-48FP", "MS390-24UX"],
  wireless: ["MR36", "MR44", "MR46", "MR56", "CW9166I"],
  camera: ["MV12W", "MV22", "MV33", "MV63", "MV72"],
};

/** Models with field-replaceable power supplies, the only ones whose statuses list components. */
export const POWER_SUPPLY_MODELS: Record<string, string> = {
  "MS250-48FP": "PWR-MS320-1025WAC",
  "MS390-24UX": "PWR-C5-1KWAC",
};

/** Meraki names the MX train "wired". */
export const FIRMWARE: Record<ProductType, string> = {
  appliance: "wired-18-211-2",
  switch: "switch-17-1-3",
  wireless: "wireless-31-1-4",
  camera: "camera-6-1",
};

export const DEVICE_NAME_SUFFIX: Record<ProductType, string> = {
  appliance: "MX",
  switch: "SW",
  wireless: "AP",
  camera: "CAM",
};

/** Cisco Meraki's registered OUIs. */
export const MERAKI_OUIS = [
  "0c:8d:db",
  "14:9f:43",
  "34:56:fe",
  "88:15:44",
  "98:18:88",
  "ac:17:c8",
  "e0:55:3d",
];

/** Documentation ranges (RFC 5737): realistic-looking public addresses that route nowhere. */
export const PUBLIC_BLOCKS = ["203.0.113", "198.51.100", "192.0.2"];

export const FIRST_NAMES = [
  "Ana",
  "Ben",
  "Chen",
  "Dara",
  "Eli",
  "Fatima",
  "Goran",
  "Hana",
  "Ivo",
  "Jun",
  "Kofi",
  "Lena",
];

export interface ClientProfile {
  manufacturer: string;
  ouis: readonly string[];
  os: string;
  prediction: string;
  /** Probability that the client is on Wi-Fi when the network has access points. */
  wireless: number;
  describe: "phone" | "laptop" | "device";
  label: string;
  hasUser: boolean;
}

export const CLIENT_PROFILES: readonly ClientProfile[] = [
  {
    manufacturer: "Apple",
    ouis: ["a4:83:e7", "f0:18:98"],
    os: "iOS",
    prediction: "iPhone 15, iOS17.4",
    wireless: 1,
    describe: "phone",
    label: "iPhone",
    hasUser: false,
  },
  {
    manufacturer: "Apple",
    ouis: ["3c:22:fb", "bc:d0:74"],
    os: "Mac OS X",
    prediction: "MacBook Pro, macOS 14.4",
    wireless: 0.9,
    describe: "laptop",
    label: "MacBook",
    hasUser: true,
  },
  {
    manufacturer: "Samsung",
    ouis: ["8c:f5:a3"],
    os: "Android",
    prediction: "Galaxy S23, Android 14",
    wireless: 1,
    describe: "phone",
    label: "Galaxy",
    hasUser: false,
  },
  {
    manufacturer: "Dell",
    ouis: ["f8:bc:12", "b0:7b:25"],
    os: "Windows 11",
    prediction: "Windows 11",
    wireless: 0.6,
    describe: "laptop",
    label: "LAPTOP",
    hasUser: true,
  },
  {
    manufacturer: "Intel",
    ouis: ["a0:36:bc"],
    os: "Windows 10",
    prediction: "Windows 10",
    wireless: 0.7,
    describe: "laptop",
    label: "DESKTOP",
    hasUser: true,
  },
  {
    manufacturer: "Hewlett Packard",
    ouis: ["3c:52:82"],
    os: "Other",
    prediction: "HP LaserJet Pro",
    wireless: 0,
    describe: "device",
    label: "PRINTER",
    hasUser: false,
  },
  {
    manufacturer: "Zebra Technologies",
    ouis: ["00:07:4d"],
    os: "Android",
    prediction: "Zebra TC52, Android 11",
    wireless: 1,
    describe: "device",
    label: "SCANNER",
    hasUser: false,
  },
];

export const SSIDS = ["Corp", "Guest", "Scanners"];
export const VLANS: readonly (readonly [string, string])[] = [
  ["10", "Corp"],
  ["20", "Guest"],
  ["30", "IoT"],
];
