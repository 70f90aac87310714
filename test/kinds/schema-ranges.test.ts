// The values every kind's schema refuses, on a real record of each kind (swept from the simulator)
// with one value changed: percentages outside 0-100, negative or fractional counts, negative
// latencies and amounts, empty ids, and windows or intervals that do not start before they end.
// Each refusal is named by its violation, the reason the consumer rejects it with and the sweep
// drops it under, by the compiled schema both use; that schema answers as zod's runtime parser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { CONSUMED_KINDS, KINDS, kindById } from "../../shared/kinds/registry.js";
import { compiledSchema } from "../../shared/schemas/compiled.js";
import { type SchemaViolation, violationOf } from "../../shared/schemas/violations.js";
import { type EveryKindSweep, sweepEveryKind } from "./support/every-kind-sweep.js";

type Json = Record<string, unknown>;

let sweep: EveryKindSweep;

beforeAll(async () => {
  sweep = await sweepEveryKind();
});

afterAll(() => sweep.simulator.stop());

/** The first record the kind's sweep made (or the first `matching`), as JSON to change. */
function recordOf(kindId: string, matching: (envelope: Json) => boolean = () => true): Json {
  const record = sweep.byKind
    .get(kindId)!
    .records.map((r) => JSON.parse(r.value) as Json)
    .find(matching);
  if (record === undefined) throw new Error(`the ${kindId} sweep made no such record`);
  return record;
}

/** Sets the value at a dotted path ("data.samples.0.lossPercent"). */
function set(envelope: Json, path: string, value: unknown): void {
  const keys = path.split(".");
  let at = envelope as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}

/** What the schema as the consumer and the sweeps use it (compiled) says of the record. */
function verdict(kindId: string, envelope: Json): SchemaViolation | "valid" {
  const parsed = compiledSchema(kindById(kindId).schema.envelope).safeParse(envelope);
  return parsed.success ? "valid" : violationOf(parsed.error.issues);
}

const isHumidity = (e: Json) => (e.data as Json).metric === "humidity";
const isTemperature = (e: Json) => (e.data as Json).metric === "temperature";
const isMerakiPeer = (e: Json) => (e.data as Json).peerType === "meraki";

/** [kind, what changes, the values at paths, which record, the violation]. */
const CASES: ReadonlyArray<
  [string, string, Record<string, unknown>, ((e: Json) => boolean) | null, SchemaViolation]
> = [
  [
    "uplink-loss-latency",
    "a loss of 1e306 %",
    { "data.samples.0.lossPercent": 1e306 },
    null,
    "value-out-of-range",
  ],
  [
    "uplink-loss-latency",
    "a loss below 0 %",
    { "data.samples.0.lossPercent": -0.1 },
    null,
    "value-out-of-range",
  ],
  [
    "uplink-loss-latency",
    "a negative latency",
    { "data.samples.0.latencyMs": -1 },
    null,
    "value-out-of-range",
  ],
  ["uplink-loss-latency", "an empty networkId", { "source.networkId": "" }, null, "empty-field"],
  ["network-clients", "an empty clientId", { "source.clientId": "" }, null, "empty-field"],
  ["network-clients", "an empty last device serial", { "source.serial": "" }, null, "empty-field"],
  ["network-clients", "negative kilobytes sent", { "data.usage.sent": -5 }, null, "value-out-of-range"],
  ["network-clients", "a fractional firstSeen", { "data.firstSeen": 1.5 }, null, "value-out-of-range"],
  ["device-availability", "an empty status", { "data.status": "" }, null, "empty-field"],
  ["device-availability-changes", "an empty serial", { "source.serial": "" }, null, "empty-field"],
  ["appliance-uplink-statuses", "an empty interface", { "data.interface": "" }, null, "empty-field"],
  ["cellular-uplink-statuses", "an RSRP above -31 dBm", { "data.rsrpDbm": 5 }, null, "value-out-of-range"],
  ["cellular-uplink-statuses", "an RSRQ below -34 dB", { "data.rsrqDb": -40 }, null, "value-out-of-range"],
  ["cellular-uplink-statuses", "an MTU of 0", { "data.mtu": 0 }, null, "value-out-of-range"],
  ["assurance-alerts", "an empty alertId", { "source.alertId": "" }, null, "empty-field"],
  [
    "wireless-channel-utilization",
    "a utilization of 101 %",
    { "data.samples.0.totalPercent": 101 },
    null,
    "value-out-of-range",
  ],
  [
    "wireless-channel-utilization",
    "an interval ending at its start",
    { "data.samples.0.end": "$data.samples.0.start" },
    null,
    "inverted-window",
  ],
  [
    "wireless-packet-loss",
    "a loss of 100.5 %",
    { "data.downstream.lossPercent": 100.5 },
    null,
    "value-out-of-range",
  ],
  [
    "wireless-packet-loss",
    "more packets lost than sent",
    { "data.upstream.total": 10, "data.upstream.lost": 11 },
    null,
    "value-out-of-range",
  ],
  [
    "wireless-packet-loss",
    "a negative packet count",
    { "data.downstream.total": -1 },
    null,
    "value-out-of-range",
  ],
  [
    "wireless-clients-overview",
    "a fractional client count",
    { "data.onlineClients": 2.5 },
    null,
    "value-out-of-range",
  ],
  ["switch-port-statuses", "an empty portId", { "data.portId": "" }, null, "empty-field"],
  ["sensor-readings", "a humidity of 101 %", { "data.value": 101 }, isHumidity, "value-out-of-range"],
  [
    "sensor-readings",
    "a temperature below absolute zero",
    { "data.value": -300 },
    isTemperature,
    "value-out-of-range",
  ],
  [
    "sensor-readings",
    "a Fahrenheit value below absolute zero",
    { "data.fahrenheit": -500 },
    isTemperature,
    "value-out-of-range",
  ],
  [
    "appliance-vpn-statuses",
    "a hub priority of 0",
    { "data.priority": 0 },
    isMerakiPeer,
    "value-out-of-range",
  ],
  [
    "appliance-vpn-statuses",
    "an empty peer network id",
    { "data.peerNetworkId": "" },
    isMerakiPeer,
    "empty-field",
  ],
  ["appliance-uplinks-usage", "negative bytes received", { "data.received": -1 }, null, "value-out-of-range"],
  ["appliance-uplinks-usage", "a fractional byte count", { "data.sent": 0.5 }, null, "value-out-of-range"],
  ["api-requests", "a negative request count", { "data.count": -1 }, null, "value-out-of-range"],
  [
    "api-requests",
    "an interval ending before it starts",
    { "data.intervalEnd": "2020-01-01T00:00:00Z" },
    null,
    "inverted-window",
  ],
];

/** The values at dotted paths changed; "$path" stands for the value the record has at that path. */
function change(envelope: Json, changes: Record<string, unknown>): void {
  for (const [path, value] of Object.entries(changes)) {
    const resolved =
      typeof value === "string" && value.startsWith("$")
        ? value
            .slice(1)
            .split(".")
            .reduce<unknown>((at, key) => (at as Json)[key], envelope)
        : value;
    set(envelope, path, resolved);
  }
}

describe("what each kind's schema refuses", () => {
  it.each(CASES)("%s: %s is %s", (kindId, _what, changes, matching, violation) => {
    const envelope = recordOf(kindId, matching ?? undefined);
    expect(verdict(kindId, envelope), "the unchanged record").toBe("valid");
    change(envelope, changes);
    expect(verdict(kindId, envelope)).toBe(violation);
  });
});

describe("the compiled schemas", () => {
  it.each(CONSUMED_KINDS.map((kind) => [kind.id, kind] as const))(
    "%s: its envelope compiles, so it never falls back to the runtime parser alone",
    (_, kind) => {
      expect(() => z.compile(kind.schema.envelope, { strict: true })).not.toThrow();
    },
  );

  it.each(KINDS.map((kind) => [kind.id] as const))(
    "%s: every swept record parses to the value the runtime parser makes of it",
    (kindId) => {
      const schema = kindById(kindId).schema.envelope;
      for (const envelope of sweep.byKind.get(kindId)!.records.map((r) => JSON.parse(r.value) as Json)) {
        expect(compiledSchema(schema).parse(envelope)).toEqual(schema.parse(envelope));
      }
    },
  );

  it.each(CASES)("%s: %s has the runtime parser's issues", (kindId, _what, changes, matching) => {
    const schema = kindById(kindId).schema.envelope;
    const envelope = recordOf(kindId, matching ?? undefined);
    change(envelope, changes);
    const runtime = schema.safeParse(envelope);
    const compiled = compiledSchema(schema).safeParse(envelope);
    expect(runtime.success).toBe(false);
    expect(compiled.error?.issues).toEqual(runtime.error?.issues);
  });
});

describe("what every kind's schema refuses", () => {
  const eachKind = KINDS.map((kind) => [kind.id] as const);

  it.each(eachKind)("%s: a window whose start is after its end is inverted-window", (kindId) => {
    const envelope = recordOf(kindId);
    const { start, end } = envelope.window as { start: string; end: string };
    envelope.window = { start: end, end: start };
    expect(verdict(kindId, envelope)).toBe("inverted-window");
  });

  it.each(eachKind)("%s: a window that starts where it ends is inverted-window", (kindId) => {
    const envelope = recordOf(kindId);
    set(envelope, "window.end", (envelope.window as { start: string }).start);
    expect(verdict(kindId, envelope)).toBe("inverted-window");
  });

  it.each(eachKind)(
    "%s: a window ending half a second after its start, at another precision, is valid",
    (kindId) => {
      const envelope = recordOf(kindId);
      // As text "…:00.500Z" sorts before "…:00Z": instants of different lengths compare as instants.
      envelope.window = { start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:00:00.500Z" };
      expect(verdict(kindId, envelope)).toBe("valid");
    },
  );

  it.each(eachKind)(
    "%s: a window starting half a second after its end, at another precision, is inverted-window",
    (kindId) => {
      const envelope = recordOf(kindId);
      envelope.window = { start: "2026-11-22T10:00:00.500Z", end: "2026-11-22T10:00:00Z" };
      expect(verdict(kindId, envelope)).toBe("inverted-window");
    },
  );

  it.each(eachKind)("%s: an empty organizationId is empty-field", (kindId) => {
    const envelope = recordOf(kindId);
    set(envelope, "source.organizationId", "");
    expect(verdict(kindId, envelope)).toBe("empty-field");
  });

  it.each(eachKind)("%s: an empty sweepId is empty-field", (kindId) => {
    const envelope = recordOf(kindId);
    envelope.sweepId = "";
    expect(verdict(kindId, envelope)).toBe("empty-field");
  });

  it.each(eachKind)("%s: a missing data object is invalid-envelope", (kindId) => {
    const envelope = recordOf(kindId);
    delete envelope.data;
    expect(verdict(kindId, envelope)).toBe("invalid-envelope");
  });
});
