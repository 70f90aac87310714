import { afterEach, describe, expect, it, vi } from "vitest";
import { RecordProcessingError } from "../../shared/consumer/errors.js";
import { processBatch } from "../../shared/consumer/process-batch.js";
import { jsonLineLog } from "../../shared/consumer/record-log.js";
import type { TelemetryFields } from "../../shared/consumer/telemetry-line.js";
import { NOW } from "./support/consumer.js";
import { kafkaEvent, produced } from "./support/kafka-event.js";
import { floor2Ap, lobbyAp, statusRecords } from "./support/telemetry.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** What the line writer promises: exactly JSON.stringify of the leading keys followed by the fields. */
function expectedLine(fields: TelemetryFields): string {
  return JSON.stringify({
    level: "INFO",
    message: "telemetry",
    timestamp: NOW.toISOString(),
    service: "semaphore-consumer",
    ...fields,
  });
}

describe("the JSON line log", () => {
  it.each<[string, TelemetryFields]>([
    ["plain fields", { kind: "x", value: 1.5, name: 'quote " and \\ and é', none: null }],
    ["no fields", {}],
    ["a field named like a leading key", { kind: "x", level: "shadowed", service: "other" }],
    ["an array-index field name", { kind: "x", 7: "first in the object", b: 2 }],
    [
      "numbers JSON has no literal for",
      { infinite: Number.POSITIVE_INFINITY, nan: Number.NaN, negativeZero: -0 },
    ],
    ["a value left out", { kind: "x", missing: undefined as unknown as null, after: 1 }],
  ])("writes the same line as JSON.stringify for %s", (_, fields) => {
    const lines: string[] = [];
    const log = jsonLineLog({
      serviceName: "semaphore-consumer",
      write: (line) => lines.push(line),
      now: () => NOW,
    });
    log.telemetry(fields);
    expect(lines).toEqual([expectedLine(fields)]);
  });

  it("holds stdout lines back until flushed, then writes them in one piece", () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const log = jsonLineLog({ serviceName: "semaphore-consumer", now: () => NOW });
    log.telemetry({ kind: "a" });
    log.telemetry({ kind: "b" });
    expect(writes).toEqual([]);
    log.flush?.();
    expect(writes).toEqual([`${expectedLine({ kind: "a" })}\n${expectedLine({ kind: "b" })}\n`]);
    log.flush?.();
    expect(writes).toHaveLength(1);
  });

  it("names the first record whose line did not go out when a held-back write fails", () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => {
      throw new Error("EPIPE: broken pipe, write");
    });
    const event = kafkaEvent(
      produced(statusRecords([lobbyAp, floor2Ap].map((row, i) => ({ ...row, serial: `Q234-0000-000${i}` })))),
    );
    expect(() =>
      processBatch(event, {
        recordLog: jsonLineLog({ serviceName: "semaphore-consumer", now: () => NOW }),
        metricDimensions: "network",
      }),
    ).toThrow(
      new RecordProcessingError(
        "output",
        { topic: "meraki.devices.statuses", partition: 0, offset: 0 },
        new Error("EPIPE: broken pipe, write"),
      ),
    );
  });
});
