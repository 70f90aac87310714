// Static vocabularies the generator draws from. Real model names, firmware strings and OUIs make
// the fixtures look like production data, which keeps parsers honest (e.g. models with suffixes).

export type ProductType = "appliance" | "switch" | "wireless" | "camera" | "cellularGateway" | "sensor";

export type Country = "US" | "CA" | "GB" | "DE" | "NL" | "JP" | "AU";

export interface City {
  name: string;
  code: string;
  country: Country;
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
    country: "US",
    timeZone: "America/Los_Angeles",
    lat: 47.6062,
    lng: -122.3321,
    street: "Pine St",
    region: "WA, USA",
  },
  {
    name: "San Jose",
    code: "SJC",
    country: "US",
    timeZone: "America/Los_Angeles",
    lat: 37.3382,
    lng: -121.8863,
    street: "Market St",
    region: "CA, USA",
  },
  {
    name: "Denver",
    code: "DEN",
    country: "US",
    timeZone: "America/Denver",
    lat: 39.7392,
    lng: -104.9903,
    street: "Larimer St",
    region: "CO, USA",
  },
  {
    name: "Chicago",
    code: "CHI",
    country: "US",
    timeZone: "America/Chicago",
    lat: 41.8781,
    lng: -87.6298,
    street: "Wacker Dr",
    region: "IL, USA",
  },
  {
    name: "Austin",
    code: "AUS",
    country: "US",
    timeZone: "America/Chicago",
    lat: 30.2672,
    lng: -97.7431,
    street: "Congress Ave",
    region: "TX, USA",
  },
  {
    name: "New York",
    code: "NYC",
    country: "US",
    timeZone: "America/New_York",
    lat: 40.7128,
    lng: -74.006,
    street: "Broadway",
    region: "NY, USA",
  },
  {
    name: "Toronto",
    code: "YYZ",
    country: "CA",
    timeZone: "America/Toronto",
    lat: 43.6532,
    lng: -79.3832,
    street: "King St W",
    region: "ON, Canada",
  },
  {
    name: "London",
    code: "LON",
    country: "GB",
    timeZone: "Europe/London",
    lat: 51.5072,
    lng: -0.1276,
    street: "Cheapside",
    region: "London, UK",
  },
  {
    name: "Berlin",
    code: "BER",
    country: "DE",
    timeZone: "Europe/Berlin",
    lat: 52.52,
    lng: 13.405,
    street: "Friedrichstrasse",
    region: "Berlin, Germany",
  },
  {
    name: "Amsterdam",
    code: "AMS",
    country: "NL",
    timeZone: "Europe/Amsterdam",
    lat: 52.3676,
    lng: 4.9041,
    street: "Damrak",
    region: "Amsterdam, Netherlands",
  },
  {
    name: "Tokyo",
    code: "TYO",
    country: "JP",
    timeZone: "Asia/Tokyo",
    lat: 35.6762,
    lng: 139.6503,
    street: "Chuo-dori",
    region: "Tokyo, Japan",
  },
  {
    name: "Sydney",
    code: "SYD",
    country: "AU",
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
  cellularGateway: ["MG21", "MG21E", "MG41", "MG41E", "MG51", "MG52"],
  sensor: ["MT10", "MT11", "MT12", "MT14", "MT15", "MT20", "MT30", "MT40"],
};

/** The metric names of getOrganizationSensorReadingsLatest (spec v1.73.0) the simulated MTs report. */
export type SensorMetric =
  | "apparentPower"
  | "battery"
  | "button"
  | "co2"
  | "current"
  | "door"
  | "downstreamPower"
  | "frequency"
  | "humidity"
  | "indoorAirQuality"
  | "noise"
  | "pm25"
  | "powerFactor"
  | "realPower"
  | "remoteLockoutSwitch"
  | "temperature"
  | "tvoc"
  | "voltage"
  | "water";

/**
 * What each MT model measures, as its datasheet says. The battery-powered models also report their
 * battery; the MT15 (USB) and MT40 (mains) do not.
 */
export const SENSOR_METRICS: Record<string, readonly SensorMetric[]> = {
  MT10: ["battery", "humidity", "temperature"],
  MT11: ["battery", "temperature"],
  MT12: ["battery", "water"],
  MT14: ["battery", "humidity", "indoorAirQuality", "noise", "pm25", "temperature", "tvoc"],
  MT15: ["co2", "humidity", "indoorAirQuality", "noise", "pm25", "temperature", "tvoc"],
  MT20: ["battery", "door"],
  MT30: ["battery", "button"],
  MT40: [
    "apparentPower",
    "current",
    "downstreamPower",
    "frequency",
    "powerFactor",
    "realPower",
    "remoteLockoutSwitch",
    "voltage",
  ],
};

/** Cellular generations of the MG models: MG21/MG41 are LTE, MG51/MG52 5G. */
export const CELLULAR_GENERATION: Record<string, "4G" | "5G"> = {
  MG21: "4G",
  MG21E: "4G",
  MG41: "4G",
  MG41E: "4G",
  MG51: "5G",
  MG52: "5G",
};

export interface Carrier {
  /** As the Dashboard shows the network provider. */
  name: string;
  mcc: string;
  mnc: string;
  apn: string;
}

/** Mobile network operators per country, with their real MCC/MNC and public APNs. */
export const CARRIERS: Record<Country, readonly Carrier[]> = {
  US: [
    { name: "Verizon Wireless", mcc: "311", mnc: "480", apn: "vzwinternet" },
    { name: "AT&T", mcc: "310", mnc: "410", apn: "broadband" },
    { name: "T-Mobile", mcc: "310", mnc: "260", apn: "fast.t-mobile.com" },
  ],
  CA: [
    { name: "Rogers", mcc: "302", mnc: "720", apn: "ltemobile.apn" },
    { name: "Bell", mcc: "302", mnc: "610", apn: "pda.bell.ca" },
  ],
  GB: [
    { name: "Vodafone UK", mcc: "234", mnc: "15", apn: "internet" },
    { name: "EE", mcc: "234", mnc: "30", apn: "everywhere" },
  ],
  DE: [
    { name: "Telekom.de", mcc: "262", mnc: "01", apn: "internet.telekom" },
    { name: "Vodafone.de", mcc: "262", mnc: "02", apn: "web.vodafone.de" },
  ],
  NL: [
    { name: "KPN", mcc: "204", mnc: "08", apn: "internet" },
    { name: "Vodafone NL", mcc: "204", mnc: "04", apn: "live.vodafone.com" },
  ],
  JP: [
    { name: "NTT DOCOMO", mcc: "440", mnc: "10", apn: "spmode.ne.jp" },
    { name: "SoftBank", mcc: "440", mnc: "20", apn: "plus.4g" },
  ],
  AU: [
    { name: "Telstra", mcc: "505", mnc: "01", apn: "telstra.internet" },
    { name: "Optus", mcc: "505", mnc: "02", apn: "connect" },
  ],
};

/** E.164 country calling codes, which also open ICCIDs (after the 89 telecom prefix) and MSISDNs. */
export const CALLING_CODES: Record<Country, string> = {
  US: "1",
  CA: "1",
  GB: "44",
  DE: "49",
  NL: "31",
  JP: "81",
  AU: "61",
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
  cellularGateway: "cellular-gateway-3-111",
  sensor: "sensor-2-5",
};

export const DEVICE_NAME_SUFFIX: Record<ProductType, string> = {
  appliance: "MX",
  switch: "SW",
  wireless: "AP",
  camera: "CAM",
  cellularGateway: "MG",
  sensor: "MT",
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
