import type { LineFields, LineValue } from "../kinds/kind.js";
import type { ConsumedKind } from "../kinds/registry.js";
import type { EnvelopeBase } from "../schemas/envelope.js";
import type { RecordLocation } from "./errors.js";

/**
 * The fields of one "telemetry" log line: flat (no nesting), so every field is a column in
 * CloudWatch Logs Insights (`filter kind = "uplink-loss-latency" and lossPercent > 5`). The common
 * columns come first, then the kind's own (its module declares them), then the record's location,
 * so the line can be traced back to Kafka. Every line of a kind has the same fields; a value the
 * API did not report is null, never missing.
 */
export type TelemetryFields = LineFields;

export function telemetryFields(
  kind: ConsumedKind,
  envelope: EnvelopeBase,
  summary: unknown,
  location: RecordLocation,
): TelemetryFields {
  const line: TelemetryFields = {
    kind: kind.id,
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
  for (const [name, value] of fieldEntries(kind)) line[name] = value(envelope, summary);
  line.topic = location.topic;
  line.partition = location.partition;
  line.offset = location.offset;
  return line;
}

type FieldEntries = ReadonlyArray<readonly [string, (envelope: EnvelopeBase, summary: unknown) => LineValue]>;

const entriesByDeclaration = new WeakMap<object, FieldEntries>();

/** The kind's field declarations as entries, listed once per kind instead of once per record. */
function fieldEntries(kind: ConsumedKind): FieldEntries {
  const declaration = kind.consumer.fields;
  let entries = entriesByDeclaration.get(declaration);
  if (entries === undefined) {
    entries = Object.entries(declaration);
    entriesByDeclaration.set(declaration, entries);
  }
  return entries;
}
