// Public surface of the Meraki Dashboard API client.
export {
  MerakiClient,
  type MerakiClientOptions,
  type MerakiReader,
  type MerakiRequest,
  type QueryValue,
  readerWithSignal,
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
  SEMAPHORE_USER_AGENT,
} from "./http.js";
export {
  type Device,
  getOrganizationDevices,
  getOrganizationNetworks,
  getOrganizations,
  type Network,
  type Organization,
} from "./inventory.js";
export {
  defineOperation,
  MERAKI_API_SPEC_VERSION,
  type MerakiOperation,
  type OperationItem,
} from "./operation.js";
