import { sweepSettingsFromEnv } from "../shared/config/sweep-settings.js";
import { createSweepHandler } from "../shared/handlers/sweep-handler.js";
import { deviceStatusesSweep } from "../shared/sweeps/device-statuses.js";

/** Lambda entry point: one device-statuses sweep per invocation, settings from the environment. */
export const handler = createSweepHandler(deviceStatusesSweep, sweepSettingsFromEnv(deviceStatusesSweep));
