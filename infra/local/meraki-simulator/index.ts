// Public surface of the Meraki Dashboard API simulator.

export type {
  ClientConnection,
  DatasetOptions,
  DeviceStatus,
  ProductType,
  SimClient,
  SimDevice,
  SimNetwork,
  SimOrganization,
  SimPowerSupply,
  SimulatedDataset,
} from "./dataset.js";
export { API_PREFIX, DEFAULT_API_KEY, startMerakiSimulator } from "./server.js";
export type {
  FaultTarget,
  RunningSimulator,
  SimulatorFaults,
  SimulatorOptions,
  SimulatorRequest,
} from "./types.js";
export { startMerakiSimulatorInWorker, type WorkerSimulator, type WorkerSimulatorOptions } from "./worker.js";
