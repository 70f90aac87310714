import type { MerakiReader } from "../meraki/client.js";
import {
  type Device,
  getOrganizationDevices,
  getOrganizationNetworks,
  getOrganizations,
  type Network,
  type Organization,
} from "../meraki/inventory.js";

/**
 * Names and models change rarely but every record carries them, so the organisation, network and
 * device lists are cached per organisation across warm invocations (module scope in the Lambda)
 * and refreshed after a TTL. This keeps a warm uplink sweep at one API call per organisation.
 */
export interface InventoryCacheOptions {
  ttlMs: number;
  now?: () => number;
}

/** Unknown serials trigger one refresh of the device list, but not more often than this. */
const REFRESH_FOR_UNKNOWN_MIN_AGE_MS = 60_000;

interface Entry<T> {
  value: T;
  fetchedAt: number;
}

export class InventoryCache {
  readonly #ttlMs: number;
  readonly #now: () => number;
  #organizations: Entry<Organization[]> | undefined;
  readonly #networks = new Map<string, Entry<Map<string, Network>>>();
  readonly #devices = new Map<string, Entry<Map<string, Device>>>();

  constructor(options: InventoryCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  async organizations(meraki: MerakiReader): Promise<Organization[]> {
    if (!this.#fresh(this.#organizations)) {
      this.#organizations = { value: await meraki.all(getOrganizations), fetchedAt: this.#now() };
    }
    return this.#organizations!.value;
  }

  async networks(meraki: MerakiReader, organizationId: string): Promise<Map<string, Network>> {
    return this.#cached(this.#networks, organizationId, async () => {
      const rows = await meraki.all(getOrganizationNetworks, { organizationId });
      return new Map(rows.map((row) => [row.id, row]));
    });
  }

  async devices(meraki: MerakiReader, organizationId: string): Promise<Map<string, Device>> {
    return this.#cached(this.#devices, organizationId, async () => {
      const rows = await meraki.all(getOrganizationDevices, { organizationId });
      return new Map(rows.map((row) => [row.serial, row]));
    });
  }

  /**
   * The device list, refreshed once (with the networks) when the telemetry names a serial it lacks
   * and it is over a minute old: a device added since the cache was filled then gets its names in
   * its record, while a serial that is simply not in the inventory costs at most one refresh a minute.
   */
  async devicesKnowing(
    meraki: MerakiReader,
    organizationId: string,
    serials: Iterable<string | null | undefined>,
  ): Promise<Map<string, Device>> {
    const devices = await this.devices(meraki, organizationId);
    const fetchedAt = this.#devices.get(organizationId)?.fetchedAt ?? this.#now();
    if (this.#now() - fetchedAt <= REFRESH_FOR_UNKNOWN_MIN_AGE_MS) return devices;
    for (const serial of serials) {
      if (serial && !devices.has(serial)) {
        this.invalidate(organizationId);
        return this.devices(meraki, organizationId);
      }
    }
    return devices;
  }

  invalidate(organizationId: string): void {
    this.#networks.delete(organizationId);
    this.#devices.delete(organizationId);
  }

  clear(): void {
    this.#organizations = undefined;
    this.#networks.clear();
    this.#devices.clear();
  }

  #fresh<T>(entry: Entry<T> | undefined): entry is Entry<T> {
    return entry !== undefined && this.#now() - entry.fetchedAt < this.#ttlMs;
  }

  async #cached<T>(store: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const entry = store.get(key);
    if (this.#fresh(entry)) return entry.value;
    const value = await load();
    store.set(key, { value, fetchedAt: this.#now() });
    return value;
  }
}
