import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { JSON_SCHEMA_DIR, renderJsonSchemas } from "../../scripts/generate-json-schemas.js";
import type { TelemetryRecord } from "../../shared/kafka/record.js";
import {
  clientRecords,
  laptop,
  lobbyAp,
  mainOfficeWan1,
  statusRecords,
  uplinkRecords,
} from "./support/telemetry.js";

const committed = () =>
  new Map(
    readdirSync(JSON_SCHEMA_DIR)
      .filter((name) => name.endsWith(".json"))
      .map((name) => [name, readFileSync(join(JSON_SCHEMA_DIR, name), "utf8")]),
  );

function validatorFor(record: TelemetryRecord) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  const schemaFile = `${record.headers.schema}.json`;
  return ajv.compile(JSON.parse(committed().get(schemaFile)!) as object);
}

describe("the committed JSON Schema files", () => {
  it("are exactly what the zod envelope definitions generate", () => {
    const generated = renderJsonSchemas();
    const stale = [...committed()]
      .filter(([name, text]) => generated.get(name) !== text)
      .map(([name]) => name);
    const missing = [...generated.keys()].filter((name) => !committed().has(name));
    expect(
      { stale, missing },
      "shared/schemas/json is out of date with shared/schemas: run `npx tsx scripts/generate-json-schemas.ts` and commit the result",
    ).toEqual({ stale: [], missing: [] });
  });

  it.each([
    ["uplink loss & latency", uplinkRecords([mainOfficeWan1])[0]!],
    ["network client", clientRecords([laptop])[0]!],
    ["device status", statusRecords([lobbyAp])[0]!],
  ])("accept the %s records the sweeps produce", (_kind, record) => {
    const validate = validatorFor(record);
    expect(validate(JSON.parse(record.value)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("carry the ranges and non-empty ids: a loss above 100 %, a negative latency and an empty networkId fail", () => {
    const record = uplinkRecords([mainOfficeWan1])[0]!;
    const validate = validatorFor(record);
    const withSample = (sample: Record<string, unknown>) => {
      const envelope = JSON.parse(record.value) as { data: { samples: Array<Record<string, unknown>> } };
      Object.assign(envelope.data.samples[0]!, sample);
      return envelope;
    };
    expect(validate(withSample({ lossPercent: 1e306 }))).toBe(false);
    expect(validate(withSample({ latencyMs: -1 }))).toBe(false);
    expect(validate(withSample({ lossPercent: 100, latencyMs: 0 }))).toBe(true);
    const envelope = JSON.parse(record.value) as { source: Record<string, unknown> };
    expect(validate({ ...envelope, source: { ...envelope.source, networkId: "" } })).toBe(false);
  });

  it("reject what the zod definitions reject, and allow fields a newer producer adds", () => {
    const record = statusRecords([lobbyAp])[0]!;
    const validate = validatorFor(record);
    const envelope = JSON.parse(record.value) as Record<string, unknown>;
    expect(validate({ ...envelope, id: "not-a-record-id" })).toBe(false);
    expect(validate({ ...envelope, observedAt: "2026-11-22 10:05" })).toBe(false);
    expect(validate({ ...envelope, producerVersion: "1.1.0" })).toBe(true);
  });
});
