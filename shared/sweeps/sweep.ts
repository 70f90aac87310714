import type { TelemetryRecord } from "../kafka/record.js";
import type { InventoryCache } from "./inventory.js";
import type { MerakiReader, OrganizationRow } from "./meraki-reader.js";
import type { SweepWindow } from "./window.js";

export type SweepKind = "uplink-loss-latency" | "network-clients" | "device-statuses";

/** Everything one organisation's sweep needs; the same for every kind. */
export interface OrganizationSweepContext {
  meraki: MerakiReader;
  inventory: InventoryCache;
  organization: OrganizationRow;
  window: SweepWindow;
  sweepId: string;
  observedAt: string;
  topic: string;
}

/** Records to produce plus, by reason, the API rows that were not turned into records. */
export interface OrganizationSweepResult {
  records: TelemetryRecord[];
  dropped: Record<string, number>;
}

/** Adding a telemetry kind = one module implementing this + one entry in the stack config. */
export interface SweepDefinition {
  kind: SweepKind;
  schema: string;
  defaultTopic: string;
  /** How far behind real time the API's data is, applied when deriving the window. */
  dataDelaySeconds: number;
  sweepOrganization(context: OrganizationSweepContext): Promise<OrganizationSweepResult>;
}

export function countDrop(dropped: Record<string, number>, reason: string): void {
  dropped[reason] = (dropped[reason] ?? 0) + 1;
}
