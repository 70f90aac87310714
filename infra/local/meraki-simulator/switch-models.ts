// The port layout of each simulated MS model (fixtures.ts MODELS.switch), from the models' data
// sheets: the access ports wired clients connect to, numbered from 1, and the uplink ports after
// them or on a network module (MS390), which the API names slot_module_port.

/** Speeds the spec's port status vocabulary has and the simulated models negotiate. */
export type PortSpeed = "100 Mbps" | "1 Gbps" | "2.5 Gbps" | "5 Gbps" | "10 Gbps";

export interface SwitchPortLayout {
  /** Ports 1..accessPorts. */
  accessPorts: number;
  /** What a connected access port negotiates, most common first. */
  accessSpeeds: readonly PortSpeed[];
  uplinkPortIds: readonly string[];
  uplinkSpeed: PortSpeed;
  /** Every access port can deliver PoE. */
  poe: boolean;
}

const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

export const SWITCH_PORT_LAYOUTS: Readonly<Record<string, SwitchPortLayout>> = {
  "MS120-8LP": {
    accessPorts: 8,
    accessSpeeds: ["1 Gbps", "100 Mbps"],
    uplinkPortIds: range(9, 10),
    uplinkSpeed: "1 Gbps",
    poe: true,
  },
  "MS130-24P": {
    accessPorts: 24,
    accessSpeeds: ["1 Gbps", "100 Mbps"],
    uplinkPortIds: range(25, 28),
    uplinkSpeed: "1 Gbps",
    poe: true,
  },
  "MS225-48FP": {
    accessPorts: 48,
    accessSpeeds: ["1 Gbps", "100 Mbps"],
    uplinkPortIds: range(49, 52),
    uplinkSpeed: "10 Gbps",
    poe: true,
  },
  "MS250-48FP": {
    accessPorts: 48,
    accessSpeeds: ["1 Gbps", "100 Mbps"],
    uplinkPortIds: range(49, 52),
    uplinkSpeed: "10 Gbps",
    poe: true,
  },
  "MS390-24UX": {
    accessPorts: 24,
    accessSpeeds: ["10 Gbps", "5 Gbps", "2.5 Gbps", "1 Gbps"],
    uplinkPortIds: range(1, 8).map((port) => `1_MA-MOD-8X10G_${port}`),
    uplinkSpeed: "10 Gbps",
    poe: true,
  },
};

/** The layout of a switch model; a switch model without one is a gap in this table. */
export function switchPortLayout(model: string): SwitchPortLayout {
  const layout = SWITCH_PORT_LAYOUTS[model];
  if (layout === undefined) throw new RangeError(`no port layout for switch model ${model}`);
  return layout;
}
