// The seed's uplink loss & latency sweep, re-implemented for the benchmark so the project's approach
// can be compared with it in the same run. It is deliberately the seed's shape, not a good one:
//
//   GET /organizations/{id}/networks                                   1 call, first page only
//   GET /networks/{networkId}/devices                                  per network (N calls)
//   GET /devices/{serial}/lossAndLatencyHistory?uplink=..&ip=8.8.8.8   per MX and uplink (2M calls)
//
// one request at a time, with plain fetch and Bearer auth, no pagination (the seed never followed
// `Link: rel=next`), no rate limiting and no retries: any non-200 answer ends the sweep.

/** The seed probed both WAN uplinks of every appliance towards Google DNS. */
const UPLINKS = ["wan1", "wan2"] as const;
const PROBE_IP = "8.8.8.8";
/** MX security appliances and Z teleworker gateways report uplink loss and latency. */
const APPLIANCE_MODEL = /^(MX|Z)\d/;

export interface SeedBaselineInput {
  /** e.g. http://127.0.0.1:PORT/api/v1 */
  baseUrl: string;
  apiKey: string;
  organizationId: string;
  /** ISO 8601 instants, sent verbatim as t0 and t1. */
  window: { start: string; end: string };
}

/** One device uplink towards one destination, with its samples: the same subject as Semaphore's records. */
export interface SeedRecord {
  organizationId: string;
  networkId: string;
  networkName: string;
  serial: string;
  deviceName: string;
  model: string;
  uplink: string;
  ip: string;
  samples: Array<{ ts: string; lossPercent: number; latencyMs: number }>;
}

interface NetworkItem {
  id: string;
  name: string;
}

interface DeviceItem {
  serial: string;
  name: string;
  model: string;
  networkId: string;
}

interface HistoryItem {
  startTime: string;
  lossPercent: number;
  latencyMs: number;
}

export async function seedBaselineSweep(input: SeedBaselineInput): Promise<SeedRecord[]> {
  const get = async <T>(path: string, query: Record<string, string> = {}): Promise<T> => {
    const url = new URL(`${input.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${input.apiKey}` } });
    if (response.status !== 200) {
      throw new Error(`seed baseline: GET ${path} answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as T;
  };

  const records: SeedRecord[] = [];
  const networks = await get<NetworkItem[]>(
    `/organizations/${encodeURIComponent(input.organizationId)}/networks`,
  );
  for (const network of networks) {
    const devices = await get<DeviceItem[]>(`/networks/${encodeURIComponent(network.id)}/devices`);
    for (const device of devices) {
      if (!APPLIANCE_MODEL.test(device.model)) continue;
      for (const uplink of UPLINKS) {
        const history = await get<HistoryItem[]>(
          `/devices/${encodeURIComponent(device.serial)}/lossAndLatencyHistory`,
          {
            t0: input.window.start,
            t1: input.window.end,
            uplink,
            ip: PROBE_IP,
          },
        );
        if (history.length === 0) continue;
        records.push({
          organizationId: input.organizationId,
          networkId: network.id,
          networkName: network.name,
          serial: device.serial,
          deviceName: device.name,
          model: device.model,
          uplink,
          ip: PROBE_IP,
          samples: history.map((h) => ({
            ts: h.startTime,
            lossPercent: h.lossPercent,
            latencyMs: h.latencyMs,
          })),
        });
      }
    }
  }
  return records;
}
