import { sweepSettingsFromEnv } from "../shared/config/sweep-settings.js";
import { createSweepHandler } from "../shared/handlers/sweep-handler.js";
import { networkClientsSweep } from "../shared/sweeps/network-clients.js";

/** Lambda entry point: one network-clients sweep per invocation, settings from the environment. */
export const handler = createSweepHandler(networkClientsSweep, sweepSettingsFromEnv(networkClientsSweep));
