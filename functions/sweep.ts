import { sweepSettingsFromEnv } from "../shared/config/sweep-settings.js";
import { createSweepHandler } from "../shared/handlers/sweep-handler.js";

/**
 * Lambda entry point of every sweep function: one sweep of the kind named by SWEEP_KIND per
 * invocation, settings from the environment (infra/config/function-env.ts sets them).
 */
export const handler = createSweepHandler(sweepSettingsFromEnv());
