import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { stackConfig } from "../../infra/config/default.js";
import { parseStackConfig } from "../../infra/config/stack-config.js";
import { LOCAL_BUDGET_TABLE } from "../../infra/local/dynamodb/budget-table.js";
import { KIND_IDS } from "../../shared/kinds/registry.js";
import { sweepServiceName } from "../../shared/observability/names.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface LogLine {
  message?: string;
  service?: string;
  summary?: { sweep: string; records: { produced: number } };
  budget?: Array<{ pk: string; ratePerSecond: number; writes: number }>;
  _aws?: { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string; Unit: string }> }> };
  [metric: string]: unknown;
}

/**
 * The README's quick start: `npm start -- --once` brings up its own broker, Secrets Manager and
 * simulator, runs every enabled sweep once through the real handlers, feeds the records to the
 * consumer handler through the event-source emulator, and exits 0. Its stdout is
 * what CloudWatch would receive: JSON log lines and EMF metric documents.
 */
describe("npm start -- --once", () => {
  let code: number | null;
  let stderr = "";
  let lines: LogLine[] = [];

  beforeAll(async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "infra/local/main.ts", "--once", "--devices", "60", "--networks", "6"],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    lines = stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as LogLine);
  }, 120_000);

  it("runs every sweep of the stack config once and exits successfully", () => {
    expect({ code, stderr: stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
    const completed = lines.filter((line) => line.message === "sweep completed");
    // Every kind of the registry: the stack config enables them all by default.
    expect(completed.map((line) => line.summary!.sweep).sort()).toEqual([...KIND_IDS].sort());
    for (const line of completed) {
      // The organisation's API traffic before the run is none: the simulator starts with an empty
      // request log, so the first window of api-requests has nothing to report. Every other kind has.
      if (line.summary!.sweep === "api-requests") continue;
      expect(line.summary!.records.produced, line.summary!.sweep).toBeGreaterThan(0);
    }
  });

  it.each(KIND_IDS.map((kind) => [kind]))(
    "%s: each record it produced is a consumer line exactly once",
    (kind) => {
      const sweep = lines.find((line) => line.message === "sweep completed" && line.summary!.sweep === kind);
      const telemetry = lines.filter((line) => line.message === "telemetry" && line.kind === kind);
      expect(telemetry).toHaveLength(sweep!.summary!.records.produced);
      expect(new Set(telemetry.map((line) => line.recordId)).size).toBe(telemetry.length);
    },
  );

  it("feeds every produced record through the event-source emulator to the consumer, once", () => {
    const finished = lines.find((line) => line.message === "local run finished");
    const produced = lines
      .filter((line) => line.message === "sweep completed")
      .reduce((sum, line) => sum + line.summary!.records.produced, 0);
    expect(finished).toMatchObject({ produced, consumed: produced, failedSweeps: 0 });
    const telemetry = lines.filter((line) => line.message === "telemetry");
    expect(telemetry).toHaveLength(produced);
    expect(new Set(telemetry.map((line) => line.recordId)).size).toBe(produced);
  });

  it("emits one EMF metrics document per sweep with duration, API, 429, retry, record and failure counts", () => {
    const documents = lines.filter(
      (line) => line._aws !== undefined && line.service?.startsWith("semaphore-sweep-"),
    );
    expect(documents.map((doc) => doc.service).sort()).toEqual(KIND_IDS.map(sweepServiceName).sort());
    for (const doc of documents) {
      const [directive] = doc._aws!.CloudWatchMetrics;
      expect(directive!.Namespace).toBe("Semaphore");
      expect(directive!.Metrics.map((m) => m.Name).sort()).toEqual([
        "ApiCalls",
        "ApiRateLimited",
        "ApiRetries",
        "FailedOrganizations",
        "RecordsDropped",
        "RecordsProduced",
        "SweepDuration",
      ]);
      // api-requests has nothing to report in its first window (see the first test).
      if (doc.service !== sweepServiceName("api-requests")) expect(doc.RecordsProduced).toBeGreaterThan(0);
      expect(doc.ApiCalls).toBeGreaterThan(0);
      expect(doc.FailedOrganizations).toBe(0);
    }
  });

  it("draws every sweep's Meraki calls from the budget they share in moto's DynamoDB table", () => {
    const ready = lines.find((line) => line.message === "pipeline ready");
    expect(ready?.merakiBudgetTable).toBe(LOCAL_BUDGET_TABLE);
    // The table was there and reachable throughout: no sweep fell back to a local share.
    expect(lines.filter((line) => line.message?.startsWith("shared Meraki budget"))).toEqual([]);
    const { budget } = lines.find((line) => line.message === "local run finished")!;
    const organizations = new Set(
      lines.filter((line) => line.message === "telemetry").map((line) => String(line.organizationId)),
    );
    expect(organizations.size).toBeGreaterThan(0);
    const { requestsPerSecond } = parseStackConfig(stackConfig).meraki;
    for (const organizationId of organizations) {
      const item = budget!.find((entry) => entry.pk.endsWith(`#${organizationId}`));
      // Fifteen sweeps, each leasing its request slots from the organisation's one item.
      expect(item, organizationId).toEqual({
        pk: expect.any(String),
        ratePerSecond: requestsPerSecond,
        writes: expect.any(Number),
      });
      expect(item!.writes).toBeGreaterThanOrEqual(KIND_IDS.length);
    }
  });
});
