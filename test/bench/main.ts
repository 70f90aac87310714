// `npm run bench`: the pipeline against its baselines and its limits, measured in one run, printed
// as one table and kept as JSON in bench-results/ (git-ignored). `npm run bench -- --only <row>`
// runs one row: producer, sweeps, budget, scale, consumer, cold-start.
//
//   producer     KafkaTelemetryProducer into the local broker over SASL_SSL, vs flush per record
//   sweeps       every kind on a 1,000-device, 200-network organisation against the simulator at
//                Meraki's real limit, vs calls / budget; uplinks also vs the seed's per-device calls
//   budget       every kind fired at once on a 500-network organisation, sharing one budget through
//                DynamoDB (moto), vs a bucket per function; then with another application at 3 req/s
//   scale        the clients sweep of a 2,000-network organisation at the budget, vs calls / budget;
//                10,000 networks in shards taking turns: the period in which every network is covered
//   consumer     a 10,000-record batch mixed over every kind, cold and warm, vs a bare decode
//                (uses the sweeps row's records: running it alone runs the sweeps too)
//   cold-start   each function's bundle size and module initialisation time

import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startKafkaBroker } from "../../infra/local/kafka/broker.js";
import { budgetRow } from "./rows/budget.js";
import { coldStartRow } from "./rows/cold-start.js";
import { consumerRow } from "./rows/consumer.js";
import { producerRow } from "./rows/producer.js";
import { scaleRow } from "./rows/scale.js";
import { sweepsRow } from "./rows/sweeps.js";
import { type BenchResult, machine, renderTable, saveRun } from "./table.js";

const ROWS = ["producer", "sweeps", "budget", "scale", "consumer", "cold-start"] as const;
type Row = (typeof ROWS)[number];

const { values } = parseArgs({ options: { only: { type: "string", multiple: true } } });
const unknown = (values.only ?? []).filter((row) => !(ROWS as readonly string[]).includes(row));
if (unknown.length > 0) {
  console.error(`npm run bench: no row ${unknown.join(", ")}; the rows are ${ROWS.join(", ")}`);
  process.exit(2);
}
const selected = new Set<Row>((values.only as Row[] | undefined) ?? ROWS);
const root = fileURLToPath(new URL("../..", import.meta.url));

async function announce<T>(what: string, row: Promise<T>): Promise<T> {
  console.error(`bench: ${what}...`);
  const started = performance.now();
  const result = await row;
  console.error(`bench: ${what}: done in ${Math.round((performance.now() - started) / 1000)} s`);
  return result;
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const results: BenchResult[] = [];
  if (selected.has("producer")) {
    console.error("bench: producer (starting the local Kafka broker)...");
    const broker = await startKafkaBroker();
    try {
      results.push(...(await producerRow(broker)));
    } finally {
      await broker.stop();
    }
  }
  // The paced rows wait on Meraki's rate limit more than on the CPU, each with its own simulated
  // organisation (its own 10 req/s) on its own simulator thread. The scale row (records only
  // counted) runs beside the others in a process of its own, which keeps the whole run within 10
  // minutes; the sweeps row and the budget row (15 sweeps at once against moto) do not run beside
  // each other: measured that way the budget row met 429s and the clients sweep ran 40% over its
  // bound, under CPU contention. The CPU-bound rows (producer, consumer, cold start) run alone.
  const sweepsThenBudget = (async () => {
    const sweeps =
      selected.has("sweeps") || selected.has("consumer")
        ? await announce("sweeps of every kind against the simulator at Meraki's 10 req/s", sweepsRow())
        : undefined;
    const budget = selected.has("budget")
      ? await announce("one budget per organisation, every kind at once (moto's DynamoDB)", budgetRow())
      : undefined;
    return { sweeps, budget };
  })();
  const [{ sweeps, budget }, scale] = await Promise.all([
    sweepsThenBudget,
    selected.has("scale")
      ? announce("clients sweeps of 2,000 networks, and of 10,000 in shards", scaleRow())
      : undefined,
  ]);
  if (selected.has("sweeps") && sweeps !== undefined) results.push(...sweeps.results);
  results.push(...(budget ?? []), ...(scale ?? []));
  if (selected.has("consumer") && sweeps !== undefined) {
    console.error("bench: consumer batch...");
    results.push(...(await consumerRow(sweeps.samples)));
  }
  if (selected.has("cold-start")) {
    console.error("bench: cold start...");
    results.push(...(await coldStartRow(root)));
  }
  const run = {
    startedAt,
    durationSeconds: (performance.now() - started) / 1000,
    machine: machine(),
    results,
  };
  console.log("");
  console.log(renderTable(results));
  console.log("");
  const m = run.machine;
  console.log(
    `${startedAt.slice(0, 10)}, ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node} ${m.platform}; ` +
      `${run.durationSeconds.toFixed(0)} s in all. Saved to ${saveRun(run)}`,
  );
  const missed = results.filter((r) => r.target && !r.target.met);
  if (missed.length > 0)
    console.log(`${missed.length} target(s) missed: ${missed.map((r) => r.measure).join("; ")}`);
}

main().catch((error: unknown) => {
  console.error("bench failed:", error);
  process.exitCode = 1;
});
