import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { DEVICE_STATUS_SCHEMA, NETWORK_CLIENT_SCHEMA, UPLINK_LOSS_LATENCY_SCHEMA } from "../schemas/index.js";
import type { TelemetryEnvelope } from "./envelopes.js";
import type { MetricDimensionMode } from "./settings.js";
import {
  type MeasureSummary,
  roundTo3,
  summariseUplinkSamples,
  type UplinkSummary,
} from "./uplink-samples.js";

type Dimensions = Record<string, string>;
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** Devices in the organisation's inventory but in no network report a null networkId. */
export const UNASSIGNED_NETWORK = "unassigned";

// CloudWatch ignores EMF timestamps more than 14 days old or 2 hours ahead.
const MAX_PAST_MS = 14 * 24 * 3600_000;
const MAX_FUTURE_MS = 2 * 3600_000;

interface Group {
  /** The per-network set, and in device mode the per-device set as well. */
  dimensionSets: Dimensions[];
  /** Names for people reading the EMF document in Logs Insights; not dimensions (no cardinality cost). */
  metadata: Dimensions;
  /** The window the telemetry describes, not when the consumer happened to read it. */
  windowStart: string;
}

interface UplinkGroup extends Group {
  loss: Accumulator;
  latency: Accumulator;
}

interface CountGroup extends Group {
  members: Set<string>;
}

interface Accumulator {
  sum: number;
  count: number;
  max: number;
}

/**
 * Aggregates a batch's telemetry into a bounded number of EMF documents: one per
 * (window, network, uplink) for loss and latency, one per (window, network) for clients seen and
 * one per (window, network, status) for device counts, never one per record. In device mode the
 * groups are per device and each document carries two dimension sets, the device one and the
 * network one, so network-level metrics exist in both modes (read counts with the Sum statistic:
 * a network's value then arrives in several documents, and a sweep can span several batches).
 */
export class TelemetryMetrics {
  readonly #mode: MetricDimensionMode;
  readonly #uplinks = new Map<string, UplinkGroup>();
  readonly #clients = new Map<string, CountGroup>();
  readonly #devices = new Map<string, CountGroup>();

  constructor(mode: MetricDimensionMode) {
    this.#mode = mode;
  }

  add(envelope: TelemetryEnvelope, uplink?: UplinkSummary): void {
    const networkId = envelope.source.networkId ?? UNASSIGNED_NETWORK;
    const serial = this.#mode === "device" ? envelope.source.serial : null;
    switch (envelope.schema) {
      case UPLINK_LOSS_LATENCY_SCHEMA: {
        const summary = uplink ?? summariseUplinkSamples(envelope.data.samples);
        const key = `${envelope.window.start}|${networkId}|${serial}|${envelope.data.uplink}`;
        let group = this.#uplinks.get(key);
        if (!group) {
          const base = groupOf(envelope, networkId, serial, { Uplink: envelope.data.uplink });
          group = { ...base, loss: accumulator(), latency: accumulator() };
          this.#uplinks.set(key, group);
        }
        accumulate(group.loss, summary.lossPercent);
        accumulate(group.latency, summary.latencyMs);
        return;
      }
      case NETWORK_CLIENT_SCHEMA: {
        const key = `${envelope.window.start}|${networkId}|${serial}`;
        countMember(this.#clients, key, envelope.source.clientId, () =>
          groupOf(envelope, networkId, serial, {}),
        );
        return;
      }
      case DEVICE_STATUS_SCHEMA: {
        const status = envelope.data.status;
        const key = `${envelope.window.start}|${networkId}|${serial}|${status}`;
        countMember(this.#devices, key, envelope.source.serial, () =>
          groupOf(envelope, networkId, serial, { Status: status }),
        );
        return;
      }
    }
  }

  /** Emits one EMF document per group through Powertools; `now` decides which timestamps CloudWatch keeps. */
  publish(metrics: Metrics, now: Date): void {
    for (const group of this.#uplinks.values()) {
      const values: Array<[string, Unit, number]> = [];
      if (group.loss.count > 0) {
        values.push(["LossPercentAvg", MetricUnit.Percent, roundTo3(group.loss.sum / group.loss.count)]);
        values.push(["LossPercentMax", MetricUnit.Percent, group.loss.max]);
      }
      if (group.latency.count > 0) {
        values.push([
          "LatencyMsAvg",
          MetricUnit.Milliseconds,
          roundTo3(group.latency.sum / group.latency.count),
        ]);
        values.push(["LatencyMsMax", MetricUnit.Milliseconds, group.latency.max]);
      }
      emit(metrics, group, values, now);
    }
    for (const group of this.#clients.values()) {
      emit(metrics, group, [["ClientsSeen", MetricUnit.Count, group.members.size]], now);
    }
    for (const group of this.#devices.values()) {
      emit(metrics, group, [["Devices", MetricUnit.Count, group.members.size]], now);
    }
  }
}

/** serial is null in network mode, and for a client last seen on no known device. */
function groupOf(
  envelope: TelemetryEnvelope,
  networkId: string,
  serial: string | null,
  extra: Dimensions,
): Group {
  const source = envelope.source;
  const network: Dimensions = { NetworkId: networkId, ...extra };
  const metadata: Dimensions = { organizationId: source.organizationId };
  if (source.networkName) metadata.networkName = source.networkName;
  if (serial === null) return { dimensionSets: [network], metadata, windowStart: envelope.window.start };
  if (source.deviceName) metadata.deviceName = source.deviceName;
  return {
    dimensionSets: [network, { NetworkId: networkId, Serial: serial, ...extra }],
    metadata,
    windowStart: envelope.window.start,
  };
}

function accumulator(): Accumulator {
  return { sum: 0, count: 0, max: Number.NEGATIVE_INFINITY };
}

function accumulate(into: Accumulator, measure: MeasureSummary): void {
  if (measure.count === 0) return;
  into.sum += measure.sum;
  into.count += measure.count;
  into.max = Math.max(into.max, measure.max!);
}

/** Counts distinct ids, not records, so a count can never exceed the clients or devices there are. */
function countMember(
  groups: Map<string, CountGroup>,
  key: string,
  member: string,
  create: () => Group,
): void {
  let group = groups.get(key);
  if (!group) {
    group = { ...create(), members: new Set() };
    groups.set(key, group);
  }
  group.members.add(member);
}

function emit(metrics: Metrics, group: Group, values: Array<[string, Unit, number]>, now: Date): void {
  if (values.length === 0) return;
  const at = Date.parse(group.windowStart);
  // Outside CloudWatch's window (a replayed backlog) the data is still counted, at processing time.
  if (at >= now.getTime() - MAX_PAST_MS && at <= now.getTime() + MAX_FUTURE_MS) metrics.setTimestamp(at);
  for (const dimensions of group.dimensionSets) metrics.addDimensions(dimensions);
  for (const [key, value] of Object.entries(group.metadata)) metrics.addMetadata(key, value);
  for (const [name, unit, value] of values) metrics.addMetric(name, unit, value);
  metrics.publishStoredMetrics();
}
