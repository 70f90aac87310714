import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { SelfManagedKafkaEvent } from "aws-lambda";
import { vi } from "vitest";
import { lambdaContext } from "../../../infra/local/lambda-context.js";
import type { ConsumerBatchSummary } from "../../../shared/consumer/batch-tally.js";
import { type ConsumerHandlerOptions, createConsumerHandler } from "../../../shared/consumer/handler.js";
import { jsonLineLog, type RecordLog } from "../../../shared/consumer/record-log.js";
import type { ConsumerSettings } from "../../../shared/consumer/settings.js";

/** The clock of every test: five and a half minutes after the sweep's scheduled time. */
export const NOW = new Date("2026-11-22T10:05:30.000Z");

export const defaultSettings: ConsumerSettings = {
  serviceName: "semaphore-consumer",
  metricNamespace: "Semaphore",
  metricDimensions: "network",
};

export interface ConsumerUnderTest {
  invoke(event: SelfManagedKafkaEvent): Promise<ConsumerBatchSummary>;
  /** Per-record lines exactly as written, one string per line. */
  lines: string[];
  /** Per-record lines, parsed. */
  records(): Array<Record<string, unknown>>;
  /** Every EMF document, parsed, in the order written: the telemetry's, then Powertools Metrics'. */
  emf(): Array<Record<string, unknown>>;
  /** The Powertools Logger's own lines (batch processed / batch failed), parsed. */
  logs(): Array<Record<string, unknown>>;
  /** What was printed through console.warn, as text (Powertools Metrics warns there). */
  warnings(): string[];
}

/**
 * The real handler with its output captured: per-record lines through an injected writer, and
 * the telemetry's EMF documents through an injected output, and Powertools Logger and Metrics in
 * their dev mode, where they print through the global console (captured here, in the same list)
 * instead of a private stdout Console. Metrics stay enabled despite dev mode.
 */
export function consumerUnderTest(
  settings: Partial<ConsumerSettings> = {},
  options: {
    recordLog?: (lines: string[]) => RecordLog;
    /** The deliveries table the handler checks (none: only repeats within a batch are dropped). */
    deliveries?: ConsumerHandlerOptions["deliveries"];
  } = {},
): ConsumerUnderTest {
  vi.stubEnv("POWERTOOLS_DEV", "true");
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
  const full = { ...defaultSettings, ...settings };
  const logger = new Logger({ serviceName: full.serviceName });
  const metrics = new Metrics({ namespace: full.metricNamespace, serviceName: full.serviceName });
  vi.unstubAllEnvs();

  const printed: Array<{ method: string; text: string }> = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((text: unknown) => {
      printed.push({ method, text: String(text) });
    });
  }
  const lines: string[] = [];
  const recordLog =
    options.recordLog?.(lines) ??
    jsonLineLog({ serviceName: full.serviceName, write: (line) => lines.push(line), now: () => NOW });
  const handler = createConsumerHandler(full, {
    logger,
    metrics,
    recordLog,
    emfOutput: { write: (text) => printed.push({ method: "emf", text }), flush: () => undefined },
    now: () => NOW,
    ...(options.deliveries ? { deliveries: options.deliveries } : {}),
  });
  const parsed = (predicate: (text: string) => boolean) =>
    printed
      .filter(({ text }) => predicate(text))
      .map(({ text }) => JSON.parse(text) as Record<string, unknown>);
  return {
    invoke: (event) => handler(event, lambdaContext("semaphore-consumer")),
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    emf: () => parsed((text) => text.includes('"_aws"')),
    logs: () => parsed((text) => text.startsWith("{") && !text.includes('"_aws"')),
    warnings: () => printed.filter(({ method }) => method === "warn").map(({ text }) => text),
  };
}
