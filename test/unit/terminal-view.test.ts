// The readable view of the functions' output (npm start, invoke, consume on a terminal): it is
// made from the very lines CloudWatch receives, here the consumer handler's own on the sample
// events, and says the same things in fewer characters.
import { readFileSync } from "node:fs";
import type { SelfManagedKafkaEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { classify, type LogEvent } from "../../infra/local/terminal/log-event.js";
import { PipelineStats } from "../../infra/local/terminal/pipeline-stats.js";
import { PrettyLog } from "../../infra/local/terminal/pretty-log.js";
import { renderStatus } from "../../infra/local/terminal/status-line.js";
import type { SweepSummary } from "../../shared/sweeps/run-sweep.js";
import { consumerUnderTest } from "../consumer/support/consumer.js";

const BATCH_AT = "2026-11-22T10:05:31.000Z";
const plain = (_style: unknown, text: string) => text;

afterEach(() => {
  vi.restoreAllMocks();
});

/** The consumer handler's lines for a sample event: its telemetry lines, then its batch line. */
async function consumerLines(sample: string): Promise<string[]> {
  const consumer = consumerUnderTest();
  await consumer.invoke(
    JSON.parse(readFileSync(`test/events/consumer/${sample}.json`, "utf8")) as SelfManagedKafkaEvent,
  );
  const batch = consumer.logs().find((line) => line.message === "batch processed")!;
  return [...consumer.lines, JSON.stringify({ ...batch, timestamp: BATCH_AT })];
}

function render(lines: string[], options: { width?: number; rows?: number } = {}): string[] {
  const out: string[] = [];
  const view = new PrettyLog({
    write: (line) => out.push(line),
    width: () => options.width ?? 120,
    rows: options.rows ?? 8,
    paint: plain,
  });
  for (const line of lines) view.event(classify(line));
  return out;
}

const summary: SweepSummary = {
  sweep: "network-clients",
  sweepId: "2026-11-22T10:05:00Z",
  window: { start: "2026-11-22T09:45:00Z", end: "2026-11-22T10:00:00Z" },
  topic: "meraki.network.clients",
  shard: { index: 1, count: 2 },
  organizations: {
    swept: 2,
    failed: [{ organizationId: "1780797", error: "MerakiRateLimitError" }],
    skipped: [],
  },
  records: { produced: 1234, bytes: 500_000, dropped: { "no-serial": 2 } },
  skipped: {},
  durationMs: 1520,
};

describe("the readable view of the consumer's lines", () => {
  it("shows a batch as a table per kind: network, device, then the kind's own line fields", async () => {
    expect(render(await consumerLines("network-clients"))).toEqual([
      `── network-clients · 3 records · window 09:45–10:00 · 10:05:31 ${"─".repeat(57)}`,
      "network             device       clientId  mac                description      ip           status  ssid   vlan",
      "Chicago Office 001  CHI001-SW01  k2ee94a   f8:bc:12:52:9b:74  LAPTOP-AW90Z6G   172.16.0.12  Online  –      10",
      "Chicago Office 001  CHI001-AP05  k6ec6bc   3c:22:fb:49:a6:18  MacBook-UZ7QEZ2  172.16.0.13  Online  Guest  30",
      "Chicago Office 001  CHI001-AP02  kc464d3   00:07:4d:4d:38:4c  SCANNER-AW5X4KT  172.16.0.10  Online  Corp   20",
      "4 more columns (too wide): --json prints every line in full",
    ]);
  });

  it("counts the rows past --rows and the columns past the width instead of showing them", async () => {
    // Of the 13 columns, ssid is empty in the one row shown, and 4 fit in 60 characters.
    const lines = render(await consumerLines("network-clients"), { rows: 1, width: 60 });
    expect(lines.slice(1)).toEqual([
      "network             device       clientId  mac",
      "Chicago Office 001  CHI001-SW01  k2ee94a   f8:bc:12:52:9b:74",
      "… 2 more records, 8 more columns (too wide): --json prints every line in full",
    ]);
  });

  it("follows a batch's tables with one line per rejected record: where, why, and the value's start", async () => {
    const lines = render(await consumerLines("malformed"), { width: 200 });
    const rejected = lines.filter((line) => line.includes("! rejected"));
    expect(rejected.map((line) => line.replace(/^\d\d:\d\d:\d\d /, "").split(":")[0])).toEqual([
      "! rejected meraki.uplinks.loss-latency-0@1 empty-value",
      "! rejected meraki.uplinks.loss-latency-0@2 not-base64",
      "! rejected meraki.uplinks.loss-latency-0@3 not-utf8",
      "! rejected meraki.uplinks.loss-latency-0@4 not-json",
      "! rejected meraki.uplinks.loss-latency-0@5 foreign-producer",
      "! rejected meraki.uplinks.loss-latency-0@6 unknown-schema",
      "! rejected meraki.uplinks.loss-latency-0@7 invalid-envelope",
      "! rejected meraki.uplinks.loss-latency-0@8 header-mismatch",
    ]);
    expect(lines[0]).toMatch(/^── uplink-loss-latency · 1 record · window 09:58–10:03 · 10:05:31 ─+$/);
  });

  it("leaves EMF documents and informational lines to --json", () => {
    const lines = [
      JSON.stringify({
        _aws: { Timestamp: 1, CloudWatchMetrics: [] },
        service: "semaphore-consumer",
        BatchRecords: 3,
      }),
      JSON.stringify({
        level: "INFO",
        message: "kafka partitions assigned",
        timestamp: BATCH_AT,
        service: "x",
      }),
    ];
    expect(render(lines)).toEqual([]);
  });
});

describe("the readable view of the sweeps' lines", () => {
  const at = "2026-11-22T10:05:02.000Z";

  it("shows a completed sweep as one line: shard, window, records, topic, organisations, drops, duration", () => {
    const line = JSON.stringify({ level: "INFO", message: "sweep completed", timestamp: at, summary });
    expect(render([line])).toEqual([
      "10:05:02 ✓ network-clients [shard 2/2] · window 09:45–10:00 · 1,234 records · → meraki.network.clients · " +
        "2 organisations · 1 failed (1780797) · 2 dropped · 1,520 ms",
    ]);
  });

  it("shows a failed sweep with its error's class and message", () => {
    const line = JSON.stringify({
      level: "ERROR",
      message: "sweep failed",
      timestamp: at,
      service: "semaphore-sweep-api-requests",
      sweep: "api-requests",
      error: { name: "MerakiAuthError", message: "the API key was rejected (401)" },
    });
    expect(render([line])).toEqual([
      "10:05:02 ✗ api-requests failed: MerakiAuthError: the API key was rejected (401)",
    ]);
  });

  it("shows a warning with its attributes", () => {
    const line = JSON.stringify({
      level: "WARN",
      message: "shared Meraki budget unavailable, using a local share for a minute",
      timestamp: at,
      service: "semaphore-sweep-sensor-readings",
      table: "semaphore-meraki-budget",
    });
    expect(render([line])).toEqual([
      "10:05:02 ! semaphore-sweep-sensor-readings: shared Meraki budget unavailable, using a local share for a minute " +
        "(table=semaphore-meraki-budget)",
    ]);
  });
});

describe("the status line", () => {
  const events = (lines: object[]): LogEvent[] => lines.map((line) => classify(JSON.stringify(line)));

  it("totals the sweeps, the records produced and consumed, and remembers the last error", async () => {
    const stats = new PipelineStats();
    for (const event of [
      ...events([
        { level: "INFO", message: "sweep completed", timestamp: BATCH_AT, summary },
        {
          level: "ERROR",
          message: "sweep failed",
          timestamp: "2026-11-22T10:06:00.000Z",
          sweep: "api-requests",
          error: { name: "MerakiAuthError", message: "401" },
        },
      ]),
      ...(await consumerLines("network-clients")).map(classify),
    ]) {
      stats.event(event);
    }
    const now = Date.parse("2026-11-22T10:06:10.000Z");
    expect(
      renderStatus(
        stats,
        { lag: 12, next: { kind: "uplink-loss-latency", at: now + 95_000 } },
        now,
        200,
        plain,
      ),
    ).toBe(
      "▶ sweeps 1 ok, 1 failed │ produced 1,234 │ consumed 3 │ lag 12 │ next uplink-loss-latency in 1:35 │ " +
        "last error 10:06:00 api-requests: MerakiAuthError: 401",
    );
  });

  it("says the lag is not known yet, and cuts itself to the terminal's width", () => {
    const line = renderStatus(new PipelineStats(), {}, 0, 40, plain);
    expect(line).toBe("▶ sweeps 0 ok │ produced 0 │ consumed …");
  });
});
