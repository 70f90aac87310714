import { sweepSettingsFromEnv } from "../shared/config/sweep-settings.js";
import { createSweepHandler } from "../shared/handlers/sweep-handler.js";
import { uplinkLossLatencySweep } from "../shared/sweeps/uplink-loss-latency.js";

/** Lambda entry point: one uplink-loss-latency sweep per invocation, settings from the environment. */
export const handler = createSweepHandler(
  uplinkLossLatencySweep,
  sweepSettingsFromEnv(uplinkLossLatencySweep),
);
