import { createConsumerHandler } from "../shared/consumer/handler.js";
import { consumerSettingsFromEnv } from "../shared/consumer/settings.js";

/** Lambda entry point for the self-managed Kafka event source mapping; settings from the environment. */
export const handler = createConsumerHandler(consumerSettingsFromEnv());
