import {
  DEVICE_STATUS_SCHEMA,
  type DeviceStatusRecord,
  NETWORK_CLIENT_SCHEMA,
  type NetworkClientRecord,
  UPLINK_LOSS_LATENCY_SCHEMA,
  type UplinkLossLatencyRecord,
} from "../schemas/index.js";
import { kindOf, type TelemetryEnvelope } from "./envelopes.js";
import type { RecordLocation } from "./kafka-event.js";
import { summariseUplinkSamples, type UplinkSummary } from "./uplink-samples.js";

/**
 * The fields of one "telemetry" log line: flat (no nesting), so every field is a column in
 * CloudWatch Logs Insights (`filter kind = "uplink-loss-latency" and lossPercent > 5`). Every line
 * of a kind has the same fields; a value the API did not report is null, never missing.
 * The record's location comes last so the line can be traced back to Kafka.
 */
export type TelemetryFields = Record<string, string | number | null>;

export function telemetryFields(
  envelope: TelemetryEnvelope,
  location: RecordLocation,
  uplink?: UplinkSummary,
): TelemetryFields {
  const common = {
    kind: kindOf(envelope.schema),
    schema: envelope.schema,
    recordId: envelope.id,
    windowStart: envelope.window.start,
    windowEnd: envelope.window.end,
    organizationId: envelope.source.organizationId,
    organizationName: envelope.source.organizationName,
    networkId: envelope.source.networkId,
    networkName: envelope.source.networkName,
    serial: envelope.source.serial,
    deviceName: envelope.source.deviceName,
  };
  const where = { topic: location.topic, partition: location.partition, offset: location.offset };
  switch (envelope.schema) {
    case UPLINK_LOSS_LATENCY_SCHEMA:
      return {
        ...common,
        ...uplinkFields(envelope, uplink ?? summariseUplinkSamples(envelope.data.samples)),
        ...where,
      };
    case NETWORK_CLIENT_SCHEMA:
      return { ...common, ...clientFields(envelope), ...where };
    case DEVICE_STATUS_SCHEMA:
      return { ...common, ...deviceStatusFields(envelope), ...where };
    default:
      return unreachable(envelope);
  }
}

function uplinkFields(envelope: UplinkLossLatencyRecord, summary: UplinkSummary): TelemetryFields {
  return {
    model: envelope.source.model,
    uplink: envelope.data.uplink,
    ip: envelope.data.ip,
    lossPercent: summary.lossPercent.latest,
    latencyMs: summary.latencyMs.latest,
    lossPercentAvg: summary.lossPercent.avg,
    lossPercentMax: summary.lossPercent.max,
    latencyMsAvg: summary.latencyMs.avg,
    latencyMsMax: summary.latencyMs.max,
    samples: envelope.data.samples.length,
  };
}

function clientFields(envelope: NetworkClientRecord): TelemetryFields {
  return {
    clientId: envelope.source.clientId,
    mac: envelope.source.mac,
    description: envelope.source.description,
    ip: envelope.data.ip,
    status: envelope.data.status,
    ssid: envelope.data.ssid,
    vlan: envelope.data.vlan,
    manufacturer: envelope.data.manufacturer,
    os: envelope.data.os,
    usageSentKb: envelope.data.usage.sent,
    usageRecvKb: envelope.data.usage.recv,
  };
}

function deviceStatusFields(envelope: DeviceStatusRecord): TelemetryFields {
  return {
    model: envelope.source.model,
    productType: envelope.source.productType,
    status: envelope.data.status,
    lastReportedAt: envelope.data.lastReportedAt,
    publicIp: envelope.data.publicIp,
    lanIp: envelope.data.lanIp,
  };
}

function unreachable(envelope: never): never {
  throw new Error(`no telemetry line for schema ${(envelope as { schema: string }).schema}`);
}
