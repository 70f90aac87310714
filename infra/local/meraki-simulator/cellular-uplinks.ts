// getOrganizationCellularGatewayUplinkStatuses: one row per MG with its one cellular uplink. The SIM,
// carrier and addresses come from the dataset; the uplink's status follows the device's availability
// now (availability.ts, which the availabilities and statuses also read: an alerting MG is one whose
// uplink is down, an offline or dormant one reports it not connected), and the signal varies per
// 5-minute slot, hashed from (seed, serial, slot), so repeated calls in a slot agree.

import { availabilityOf } from "./availability.js";
import { type Catalog, devicesOfType } from "./catalog.js";
import type { DeviceStatus, SimCellular, SimDevice, SimOrganization } from "./dataset.js";
import type { HandlerContext, Reply } from "./operation.js";
import { type PageLimits, paginate } from "./pagination.js";
import { stringSet } from "./query.js";
import { unitFromKey } from "./random.js";

const UPLINK_STATUSES_PAGE: PageLimits = { min: 3, max: 1000, default: 1000 };
const SIGNAL_SLOT_MS = 300_000;

export type CellularUplinkStatus = "active" | "connecting" | "not connected";

/** What an MG of this availability status reports: "active" carries traffic, the others carry none. */
export function cellularUplinkStatus(
  seed: number,
  device: SimDevice,
  status: DeviceStatus,
): CellularUplinkStatus {
  if (status === "online") return "active";
  if (status === "alerting") {
    return unitFromKey(`${seed}|${device.serial}|cellular-state`) < 0.5 ? "connecting" : "not connected";
  }
  return "not connected";
}

export function cellularGatewayUplinkStatuses(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const networkIds = stringSet(ctx.query, "networkIds");
  const serials = stringSet(ctx.query, "serials");
  const iccids = stringSet(ctx.query, "iccids");
  const gateways = devicesOfType(catalog, org.id, "cellularGateway").filter(
    (d) =>
      (networkIds === undefined || networkIds.has(d.networkId)) &&
      (serials === undefined || serials.has(d.serial)) &&
      (iccids === undefined || (d.cellular !== null && iccids.has(d.cellular.iccid))),
  );
  const page = paginate(gateways, (d) => d.serial, ctx.query, UPLINK_STATUSES_PAGE, ctx.url);
  const availability = availabilityOf(catalog, org, ctx);
  const body = page.items.map((device) =>
    renderGateway(
      device,
      availability.statusAt(device, ctx.nowMs),
      availability.lastReportedAtMs(device, ctx.nowMs),
      ctx,
    ),
  );
  return { body, headers: { Link: page.link } };
}

function renderGateway(
  device: SimDevice,
  status: DeviceStatus,
  lastReportedMs: number,
  ctx: HandlerContext,
): object {
  return {
    networkId: device.networkId,
    serial: device.serial,
    model: device.model,
    lastReportedAt: new Date(Math.floor(lastReportedMs / 1000) * 1000).toISOString().replace(".000Z", "Z"),
    uplinks:
      device.cellular === null
        ? []
        : [
            renderUplink(
              device,
              device.cellular,
              cellularUplinkStatus(ctx.seed, device, status),
              ctx.seed,
              lastReportedMs,
            ),
          ],
  };
}

/**
 * A disconnected modem has no address, no radio access technology and no signal to report: the
 * spec declares those strings non-nullable, so they are "" (the simulator's convention).
 */
function renderUplink(
  device: SimDevice,
  sim: SimCellular,
  status: CellularUplinkStatus,
  seed: number,
  atMs: number,
): object {
  const attached = status !== "not connected";
  const connected = status === "active";
  const signal = attached ? signalAt(seed, device.serial, atMs, connected) : undefined;
  const generation = sim.generation;
  return {
    interface: "cellular",
    status,
    ip: connected ? sim.ip : "",
    provider: sim.provider,
    publicIp: connected ? sim.publicIp : "",
    model: "integrated",
    signalStat: { rsrp: signal?.rsrp ?? "", rsrq: signal?.rsrq ?? "" },
    mcc: sim.mcc,
    mnc: sim.mnc,
    roaming: { status: attached ? sim.roaming : "unknown" },
    connectionType: attached ? generation.toLowerCase() : "",
    apn: sim.apn,
    gateway: connected ? sim.gateway : "",
    dns1: connected ? sim.dns1 : "",
    dns2: connected ? sim.dns2 : "",
    signalType: attached ? generation : "",
    mtu: sim.mtu,
    iccid: sim.iccid,
    imsi: sim.imsi,
    msisdn: sim.msisdn,
  };
}

/**
 * RSRP in dBm and RSRQ in dB, as the API sends them: integer strings. A modem still connecting
 * hears the tower only faintly.
 */
function signalAt(
  seed: number,
  serial: string,
  atMs: number,
  connected: boolean,
): { rsrp: string; rsrq: string } {
  const slot = Math.floor(atMs / SIGNAL_SLOT_MS);
  // Each MG sits at its own distance from the tower; the slot adds fading around that.
  const site = unitFromKey(`${seed}|${serial}|site`);
  const fading = unitFromKey(`${seed}|${serial}|${slot}|fading`) - 0.5;
  const rsrp = connected ? -112 + site * 38 + fading * 8 : -124 + fading * 4;
  const rsrq = connected ? -16 + site * 10 + fading * 3 : -19 + fading;
  return { rsrp: String(Math.round(rsrp)), rsrq: String(Math.round(rsrq)) };
}
