// The consumer handler on a 10,000-record SelfManagedKafka event (the event source mapping's
// maximum batch) mixed over every kind, made of the records the kinds' real sweeps produced in the
// sweeps row, against baselines, in the same run.
//
//   bare decode       base64 -> JSON.parse -> zod safeParse of every record, with the compiled
//                     schemas the consumer uses; no output at all. The floor: what validating
//                     alone costs.
//   consumer          createConsumerHandler as deployed: JSON lines and the telemetry's EMF
//                     documents straight to stdout, the batch's own metrics through Powertools
//                     Metrics, summary through the Powertools Logger.
//   consumer, lines   the same handler, but each telemetry line through logger.info() of the
//   via Powertools    Powertools Logger (with its Lambda context): the alternative record-log.ts
//                     decided against.
//
// Each approach runs in its own child process (fresh heap, honest RSS) with stdout going to
// /dev/null, as fast as a Lambda's log pipe. "cold" is the first batch (JIT, zod warm-up), "warm"
// the median of the next ones. Memory: the growth of peak RSS over all runs (Buffers, JIT code and
// malloc arenas live outside the heap) and the GC time per warm batch (allocation pressure).

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { Logger } from "@aws-lambda-powertools/logger";
import type { SelfManagedKafkaEvent } from "aws-lambda";
import { lambdaContext } from "../../../infra/local/lambda-context.js";
import { createConsumerHandler } from "../../../shared/consumer/handler.js";
import type { RecordLog } from "../../../shared/consumer/record-log.js";
import type { ConsumerSettings } from "../../../shared/consumer/settings.js";
import type { TelemetryRecord } from "../../../shared/kafka/record.js";
import { kindOfSchema } from "../../../shared/kinds/registry.js";
import { compiledSchema } from "../../../shared/schemas/compiled.js";
import { kafkaEvent, produced } from "../../consumer/support/kafka-event.js";
import { runInChild, serveInChild } from "../child-row.js";
import { type BenchResult, RESULTS_DIR } from "../table.js";

const RECORDS = 10_000;
const PARTITIONS = 6;
const WARM_RUNS = 15;

const TARGET_WARM_MS = 150;
const CHILD = "consumer";

const approaches = {
  "bare decode": bareDecode,
  consumer: (event: SelfManagedKafkaEvent) => consumer(event, "json-lines"),
  "consumer, lines via Powertools": (event: SelfManagedKafkaEvent) => consumer(event, "powertools"),
} as const;
type ApproachName = keyof typeof approaches;

interface Result {
  approach: ApproachName;
  coldMs: number;
  warmMs: number;
  heapRetainedMb: number;
  coldPeakRssMb: number;
  peakRssMb: number;
  gcMsPerBatch: number;
  stdoutMb: number;
}

async function bareDecode(event: SelfManagedKafkaEvent): Promise<() => Promise<void>> {
  return async () => {
    for (const records of Object.values(event.records)) {
      for (const record of records) {
        const json = JSON.parse(Buffer.from(record.value, "base64").toString("utf8")) as { schema: string };
        const kind = kindOfSchema(json.schema);
        if (kind !== undefined) compiledSchema(kind.schema.envelope).safeParse(json);
      }
    }
  };
}

async function consumer(
  event: SelfManagedKafkaEvent,
  lines: "json-lines" | "powertools",
): Promise<() => Promise<void>> {
  const settings: ConsumerSettings = {
    serviceName: "semaphore-consumer",
    metricNamespace: "Semaphore",
    metricDimensions: "network",
  };
  const logger = new Logger({ serviceName: settings.serviceName });
  const viaLogger: RecordLog = {
    telemetry: (fields) => logger.info("telemetry", fields),
    rejected: ({ location, key, rejection }) =>
      logger.warn("rejected record", { ...rejection, ...location, key }),
  };
  const handler = createConsumerHandler(settings, {
    logger,
    ...(lines === "powertools" ? { recordLog: viaLogger } : {}),
  });
  return async () => {
    const summary = await handler(event, lambdaContext("semaphore-consumer"));
    if (summary.accepted !== RECORDS)
      throw new Error(`expected ${RECORDS} accepted, got ${summary.accepted}`);
  };
}

async function child(name: ApproachName, recordsFile: string): Promise<Result> {
  const gc = globalThis.gc!;
  // The log's size is counted on the cold batch only: counting the UTF-8 bytes of every chunk
  // would charge the warm batches for the measurement.
  let stdoutBytes = 0;
  const write = process.stdout.write.bind(process.stdout);
  const counting = ((chunk: string | Uint8Array, ...rest: never[]) => {
    stdoutBytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stdout.write = counting;

  const records = JSON.parse(readFileSync(recordsFile, "utf8")) as TelemetryRecord[];
  const event = kafkaEvent(produced(records, PARTITIONS));
  const run = await approaches[name](event);
  gc();
  const before = process.memoryUsage();
  const peakBefore = process.resourceUsage().maxRSS;
  const coldStart = performance.now();
  await run();
  const coldMs = performance.now() - coldStart;
  const coldPeakRssKb = process.resourceUsage().maxRSS - peakBefore;
  gc();
  const retained = process.memoryUsage().heapUsed - before.heapUsed;
  const coldStdout = stdoutBytes;
  process.stdout.write = write;

  let gcMs = 0;
  const gcPauses = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gcPauses.observe({ entryTypes: ["gc"] });
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const start = performance.now();
    await run();
    warm.push(performance.now() - start);
  }
  // GC entries are delivered asynchronously: let them arrive before reading the total.
  await new Promise((resolve) => setTimeout(resolve, 50));
  gcPauses.disconnect();
  warm.sort((a, b) => a - b);
  return {
    approach: name,
    coldMs,
    warmMs: warm[Math.floor(warm.length / 2)]!,
    heapRetainedMb: retained / 2 ** 20,
    coldPeakRssMb: coldPeakRssKb / 1024,
    peakRssMb: (process.resourceUsage().maxRSS - peakBefore) / 1024,
    gcMsPerBatch: gcMs / WARM_RUNS,
    stdoutMb: coldStdout / 2 ** 20,
  };
}

/** Round-robin over the kinds, so the batch mixes them as a consumer of several topics sees them. */
function mixedBatch(samples: ReadonlyMap<string, TelemetryRecord[]>): TelemetryRecord[] {
  const lists = [...samples.values()].filter((list) => list.length > 0);
  if (lists.length === 0) throw new Error("no records to build the consumer batch from");
  const batch: TelemetryRecord[] = [];
  for (let i = 0; batch.length < RECORDS; i++) {
    const list = lists[i % lists.length]!;
    const record = list[Math.floor(i / lists.length) % list.length]!;
    // Unique ids: a repeated record would be counted as a duplicate, not written.
    const copy = Math.floor(i / lists.length / list.length);
    batch.push(copy === 0 ? record : withCopyId(record, copy));
  }
  return batch;
}

function withCopyId(record: TelemetryRecord, copy: number): TelemetryRecord {
  const envelope = JSON.parse(record.value) as { id: string };
  const id = `${envelope.id.slice(0, 28)}${copy.toString(16).padStart(4, "0")}`;
  const value = JSON.stringify({ ...envelope, id });
  return { ...record, value, headers: { ...record.headers, "record-id": id } };
}

export async function consumerRow(samples: ReadonlyMap<string, TelemetryRecord[]>): Promise<BenchResult[]> {
  const batch = mixedBatch(samples);
  const recordsFile = join(RESULTS_DIR, "consumer-batch.json");
  // A fresh clone has no results folder until the first run is saved, after this row.
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(recordsFile, JSON.stringify(batch));
  const results = new Map<ApproachName, Result>();
  for (const name of Object.keys(approaches) as ApproachName[])
    results.set(
      name,
      await runInChild<Result>(import.meta.filename, CHILD, [name, recordsFile], ["--expose-gc"]),
    );
  const bare = results.get("bare decode")!;
  const deployed = results.get("consumer")!;
  const viaLogger = results.get("consumer, lines via Powertools")!;
  const kinds = samples.size;
  return [
    {
      row: "consumer",
      measure: `${RECORDS.toLocaleString("en")}-record batch over ${kinds} kinds, warm (median of ${WARM_RUNS})`,
      value: deployed.warmMs,
      unit: "ms",
      baseline: { label: "bare decode", value: bare.warmMs },
      better: "lower",
      target: { text: `< ${TARGET_WARM_MS} ms`, met: deployed.warmMs < TARGET_WARM_MS },
    },
    {
      row: "consumer",
      measure: "the same batch, cold (first in a fresh process)",
      value: deployed.coldMs,
      unit: "ms",
      baseline: { label: "bare decode", value: bare.coldMs },
      better: "lower",
    },
    {
      row: "consumer",
      measure: "peak memory growth over every run",
      value: deployed.peakRssMb,
      unit: "MB",
      baseline: { label: "bare decode", value: bare.peakRssMb },
      better: "lower",
    },
    {
      row: "consumer",
      measure: "GC time per warm batch",
      value: deployed.gcMsPerBatch,
      unit: "ms",
      baseline: { label: "bare decode", value: bare.gcMsPerBatch },
      better: "lower",
    },
    {
      row: "consumer",
      measure: "warm batch with each line through the Powertools Logger (the alternative not taken)",
      value: viaLogger.warmMs,
      unit: "ms",
      baseline: { label: "direct JSON lines", value: deployed.warmMs },
      better: "lower",
      note: `${viaLogger.stdoutMb.toFixed(1)} MB of log per batch against ${deployed.stdoutMb.toFixed(1)} MB`,
    },
  ];
}

await serveInChild(CHILD, ([name, recordsFile]) => child(name as ApproachName, recordsFile!));
