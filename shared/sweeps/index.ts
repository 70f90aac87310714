import { deviceStatusesSweep } from "./device-statuses.js";
import { networkClientsSweep } from "./network-clients.js";
import type { SweepDefinition, SweepKind } from "./sweep.js";
import { uplinkLossLatencySweep } from "./uplink-loss-latency.js";

export const sweeps: Record<SweepKind, SweepDefinition> = {
  "uplink-loss-latency": uplinkLossLatencySweep,
  "network-clients": networkClientsSweep,
  "device-statuses": deviceStatusesSweep,
};

export const sweepKinds = Object.keys(sweeps) as SweepKind[];
