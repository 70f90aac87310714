// Public surface of the Meraki Dashboard API client used by the sweeps.
export {
  type LossAndLatencyWindow,
  type MerakiCallOptions,
  MerakiClient,
  type MerakiClientOptions,
  type MerakiPageSizes,
  type NetworkClientsWindow,
} from "./client.js";
export {
  MerakiApiError,
  MerakiAuthError,
  type MerakiErrorContext,
  MerakiNetworkError,
  MerakiNotFoundError,
  MerakiRateLimitError,
  MerakiRequestError,
  MerakiServerError,
  MerakiUnexpectedResponseError,
} from "./errors.js";
export {
  DEFAULT_BASE_URL,
  type MerakiCallStats,
  type MerakiClientStats,
  type MerakiHttpOptions,
  type MerakiLogger,
} from "./http.js";
export type {
  Device,
  DeviceStatus,
  LossAndLatencySample,
  Network,
  NetworkClient,
  Organization,
  PowerSupplyStatus,
  ProductType,
  UplinkLossAndLatency,
} from "./types.js";
