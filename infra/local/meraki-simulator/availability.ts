// One organisation's device availability over time, which the availabilities, their change history,
// the (deprecated) statuses and the assurance alerts all read, so that they tell one story.
//
// The dataset's statuses are what the devices have when the simulator starts, and every other
// route reads them as fixed, so the history is built to end in them and to keep them:
// - An offline device stopped reporting `lastReportedSecondsAgo` before the start and was marked
//   offline a few minutes later; a dormant one was marked offline then too, and dormant a week
//   after. Neither comes back.
// - Online and alerting devices flicker: in every 5-minute slot of absolute time a few of them
//   (one per 100, at least one) turn alerting (an online one) or online (an alerting one) for 20 s
//   to 2 minutes. Which ones and when hashes (seed, organisation, slot), so a window asked twice
//   gets the same answer, tiled windows never repeat a change, and every window of a slot or more
//   holds some. Online and alerting devices both report, so the other routes stay true meanwhile.

import type { Catalog } from "./catalog.js";
import type { DeviceStatus, SimDevice, SimOrganization } from "./dataset.js";
import type { HandlerContext } from "./operation.js";
import { hash32 } from "./random.js";

export const SLOT_MS = 300_000;
const DAY_MS = 86_400_000;
/** One flickering device per this many that can flicker, per slot. */
const DEVICES_PER_FLICKER = 100;
/** How long after its last report a device is marked offline (Meraki waits a few missed check-ins). */
const OFFLINE_AFTER_MS = { min: 120_000, spread: 180_000 };
/** An offline device becomes dormant after a week without reporting. */
const DORMANT_AFTER_MS = 7 * DAY_MS;
/** The lookback of the change history; a device that never flickered in it is alerting since before it. */
const LOOKBACK_MS = 31 * DAY_MS;

export interface AvailabilityChange {
  /** Epoch milliseconds. */
  ts: number;
  device: SimDevice;
  from: DeviceStatus;
  to: DeviceStatus;
}

/**
 * A stretch of time in which a device was not simply online: alerting, or not reporting (offline,
 * then perhaps dormant). `endMs` is null while it lasts.
 */
export interface Episode {
  device: SimDevice;
  kind: "alerting" | "unreachable";
  startMs: number;
  endMs: number | null;
}

interface Flicker {
  device: SimDevice;
  startMs: number;
  endMs: number;
}

interface Outage {
  lastReportMs: number;
  offlineMs: number;
  /** Dormant devices only. */
  dormantMs: number | null;
}

const flipped = (status: DeviceStatus): DeviceStatus => (status === "online" ? "alerting" : "online");

export class OrganizationAvailability {
  readonly #organizationId: string;
  readonly #seed: number;
  readonly #startedAtMs: number;
  /** The devices that flicker: online and alerting ones, in serial order. */
  readonly #flickering: readonly SimDevice[];
  readonly #quiet: readonly SimDevice[];
  readonly #flickers = new Map<number, Flicker[]>();

  constructor(
    devices: readonly SimDevice[],
    options: { organizationId: string; seed: number; startedAtMs: number },
  ) {
    this.#organizationId = options.organizationId;
    this.#seed = options.seed;
    this.#startedAtMs = options.startedAtMs;
    this.#flickering = devices.filter((d) => d.status === "online" || d.status === "alerting");
    this.#quiet = devices.filter((d) => d.status === "offline" || d.status === "dormant");
  }

  statusAt(device: SimDevice, ms: number): DeviceStatus {
    const outage = this.#outage(device);
    if (outage === undefined) {
      return this.#flickerAt(device, ms) === undefined ? device.status : flipped(device.status);
    }
    if (outage.dormantMs !== null && ms >= outage.dormantMs) return "dormant";
    return ms >= outage.offlineMs ? "offline" : "online";
  }

  /** When the device last reported, as seen at `ms`: a moment ago while it reports, else its last report. */
  lastReportedAtMs(device: SimDevice, ms: number): number {
    const outage = this.#outage(device);
    if (outage === undefined) return ms - device.lastReportedSecondsAgo * 1000;
    return Math.min(ms, outage.lastReportMs);
  }

  /** Every change with fromMs <= ts < toMs, by time (then serial). */
  changesIn(fromMs: number, toMs: number): AvailabilityChange[] {
    const changes: AvailabilityChange[] = [];
    const keep = (change: AvailabilityChange) => {
      if (change.ts >= fromMs && change.ts < toMs) changes.push(change);
    };
    for (const flicker of this.#flickersBetween(fromMs, toMs)) {
      const base = flicker.device.status;
      keep({ ts: flicker.startMs, device: flicker.device, from: base, to: flipped(base) });
      keep({ ts: flicker.endMs, device: flicker.device, from: flipped(base), to: base });
    }
    for (const device of this.#quiet) {
      const outage = this.#outage(device)!;
      keep({ ts: outage.offlineMs, device, from: "online", to: "offline" });
      if (outage.dormantMs !== null) keep({ ts: outage.dormantMs, device, from: "offline", to: "dormant" });
    }
    return changes.sort((a, b) => a.ts - b.ts || compareText(a.device.serial, b.device.serial));
  }

  /** The episodes going on at `ms`, one per device that is not online then. */
  openEpisodesAt(ms: number): Episode[] {
    const episodes: Episode[] = [];
    for (const device of this.#flickering) {
      const flicker = this.#flickerAt(device, ms);
      if (device.status === "online" && flicker !== undefined) {
        episodes.push({ device, kind: "alerting", startMs: flicker.startMs, endMs: null });
      } else if (device.status === "alerting" && flicker === undefined) {
        episodes.push({ device, kind: "alerting", startMs: this.#alertingSince(device, ms), endMs: null });
      }
    }
    for (const device of this.#quiet) {
      const outage = this.#outage(device)!;
      if (ms >= outage.offlineMs) {
        episodes.push({ device, kind: "unreachable", startMs: outage.offlineMs, endMs: null });
      }
    }
    return episodes;
  }

  /** The episodes that ended with fromMs <= end < toMs: only alerting ones end, outages last. */
  episodesEndedIn(fromMs: number, toMs: number): Episode[] {
    const episodes: Episode[] = [];
    for (const flicker of this.#flickersBetween(fromMs, toMs)) {
      const { device } = flicker;
      // An online device's alerting ends with its flicker; an alerting one's when the flicker starts.
      const endMs = device.status === "online" ? flicker.endMs : flicker.startMs;
      if (endMs < fromMs || endMs >= toMs) continue;
      const startMs =
        device.status === "online" ? flicker.startMs : this.#alertingSince(device, flicker.startMs);
      episodes.push({ device, kind: "alerting", startMs, endMs });
    }
    return episodes.sort((a, b) => (a.endMs ?? 0) - (b.endMs ?? 0));
  }

  /** The flickers of the slots that overlap [fromMs, toMs). */
  #flickersBetween(fromMs: number, toMs: number): Flicker[] {
    const flickers: Flicker[] = [];
    for (let slot = Math.floor(fromMs / SLOT_MS); slot * SLOT_MS < toMs; slot++) {
      flickers.push(...this.#flickersOf(slot));
    }
    return flickers;
  }

  #flickerAt(device: SimDevice, ms: number): Flicker | undefined {
    return this.#flickersOf(Math.floor(ms / SLOT_MS)).find(
      (flicker) => flicker.device === device && ms >= flicker.startMs && ms < flicker.endMs,
    );
  }

  /** An alerting device has been alerting since its last flicker ended. */
  #alertingSince(device: SimDevice, ms: number): number {
    for (let slot = Math.floor(ms / SLOT_MS); slot * SLOT_MS > ms - LOOKBACK_MS; slot--) {
      const flicker = this.#flickersOf(slot).find((f) => f.device === device && f.endMs <= ms);
      if (flicker !== undefined) return flicker.endMs;
    }
    // Not reached in practice: a device flickers about once every 100 slots (8 hours).
    return ms - LOOKBACK_MS;
  }

  /** Which devices flicker in the slot and when: distinct devices, each inside the slot. */
  #flickersOf(slot: number): Flicker[] {
    const cached = this.#flickers.get(slot);
    if (cached !== undefined) return cached;
    const count = Math.ceil(this.#flickering.length / DEVICES_PER_FLICKER);
    const taken = new Set<number>();
    const flickers: Flicker[] = [];
    for (let j = 0; j < count; j++) {
      const key = `${this.#seed}|${this.#organizationId}|flicker|${slot}|${j}`;
      let index = hash32(key) % this.#flickering.length;
      while (taken.has(index)) index = (index + 1) % this.#flickering.length;
      taken.add(index);
      const startMs = slot * SLOT_MS + 5_000 + (hash32(`${key}|start`) % 170_000);
      flickers.push({
        device: this.#flickering[index]!,
        startMs,
        endMs: startMs + 20_000 + (hash32(`${key}|length`) % 100_000),
      });
    }
    this.#flickers.set(slot, flickers);
    return flickers;
  }

  /** When an offline or dormant device stopped reporting and was marked so; undefined for the others. */
  #outage(device: SimDevice): Outage | undefined {
    if (device.status !== "offline" && device.status !== "dormant") return undefined;
    const lastReportMs = this.#startedAtMs - device.lastReportedSecondsAgo * 1000;
    const delay =
      OFFLINE_AFTER_MS.min + (hash32(`${this.#seed}|${device.serial}|offline`) % OFFLINE_AFTER_MS.spread);
    return {
      lastReportMs,
      offlineMs: lastReportMs + delay,
      dormantMs: device.status === "dormant" ? lastReportMs + DORMANT_AFTER_MS : null,
    };
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The organisation's availability as the simulator tells it to this request. */
export function availabilityOf(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): OrganizationAvailability {
  return new OrganizationAvailability(catalog.devicesByOrg.get(org.id) ?? [], {
    organizationId: org.id,
    seed: ctx.seed,
    startedAtMs: ctx.startedAtMs,
  });
}
