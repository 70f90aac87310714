// `npx tsx test/bench/consumer-batch.ts`: the consumer handler on a 10,000-record SelfManagedKafka
// event (the event source mapping's maximum batch), against baselines, in the same run.
//
//   naive decode      base64 -> JSON.parse -> zod safeParse of every record; no output at all. The
//                     floor: what validating alone costs.
//   consumer          createConsumerHandler as deployed: JSON lines straight to stdout, EMF through
//                     Powertools Metrics, summary through the Powertools Logger.
//   consumer, lines   the same handler, but each telemetry line through logger.info() of the
//   via Powertools    Powertools Logger (with its Lambda context): the alternative record-log.ts
//                     decided against.
//
// Each approach runs in its own child process (fresh heap, honest RSS) with stdout going to
// /dev/null, as fast as a Lambda's log pipe. "cold" is the first batch (JIT, zod warm-up), "warm"
// the median of the next ones. Memory: the heap still held after a batch and a GC (what the
// handler keeps), the growth of peak RSS over the cold batch and over all runs (Buffers, JIT
// code and malloc arenas live outside the heap), and the GC time per warm batch (allocation
// pressure).

import { fork } from "node:child_process";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { Logger } from "@aws-lambda-powertools/logger";
import type { SelfManagedKafkaEvent } from "aws-lambda";
import { lambdaContext } from "../../infra/local/lambda-context.js";
import { createConsumerHandler } from "../../shared/consumer/handler.js";
import type { RecordLog } from "../../shared/consumer/record-log.js";
import type { ConsumerSettings } from "../../shared/consumer/settings.js";
import { kindOfSchema } from "../../shared/kinds/registry.js";
import { kafkaEvent, produced } from "../consumer/support/kafka-event.js";
import { largeBatch } from "../consumer/support/telemetry.js";

const RECORDS = 10_000;
const PARTITIONS = 6;
const WARM_RUNS = 7;

const approaches = {
  "naive decode": naiveDecode,
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

async function naiveDecode(event: SelfManagedKafkaEvent): Promise<() => Promise<void>> {
  return async () => {
    for (const records of Object.values(event.records)) {
      for (const record of records) {
        const json = JSON.parse(Buffer.from(record.value, "base64").toString("utf8")) as { schema: string };
        kindOfSchema(json.schema)?.schema.envelope.safeParse(json);
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

async function child(name: ApproachName): Promise<Result> {
  const gc = globalThis.gc!;
  let stdoutBytes = 0;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    stdoutBytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;

  const event = kafkaEvent(produced(largeBatch(RECORDS), PARTITIONS));
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

function runChild(name: ApproachName): Promise<Result> {
  return new Promise((resolve, reject) => {
    const proc = fork(import.meta.filename, ["--child", name], {
      execArgv: [...process.execArgv, "--expose-gc"],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    proc.once("message", (message) => resolve(message as Result));
    proc.once("exit", (code) => {
      if (code !== 0) reject(new Error(`benchmark child "${name}" exited with ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const childIndex = process.argv.indexOf("--child");
  if (childIndex >= 0) {
    const result = await child(process.argv[childIndex + 1] as ApproachName);
    process.send!(result, () => process.exit(0));
    return;
  }
  console.log(
    `consumer batch benchmark: ${RECORDS.toLocaleString("en")} records (uplinks, clients, statuses; 200 networks), ` +
      `${PARTITIONS} partitions per topic, Node ${process.version}\n`,
  );
  const results: Result[] = [];
  for (const name of Object.keys(approaches) as ApproachName[]) results.push(await runChild(name));
  const baseline = results[0]!;
  console.table(
    results.map((r) => ({
      approach: r.approach,
      "cold ms": r.coldMs.toFixed(0),
      "warm ms": r.warmMs.toFixed(0),
      "warm µs/record": ((r.warmMs * 1000) / RECORDS).toFixed(1),
      "warm vs naive": `${(r.warmMs / baseline.warmMs).toFixed(2)}x`,
      "GC ms/batch": r.gcMsPerBatch.toFixed(0),
      "heap retained MB": r.heapRetainedMb.toFixed(1),
      "peak RSS +MB cold": r.coldPeakRssMb.toFixed(0),
      "peak RSS +MB all": r.peakRssMb.toFixed(0),
      "stdout MB/batch": r.stdoutMb.toFixed(2),
    })),
  );
}

await main();
