/** What `npm start` prints once its services are up: what runs where, and each kind's schedule and topic. */
import { clip, type Style } from "./format.js";

export interface BannerSweep {
  kind: string;
  schedule: string;
  topic: string;
  shards: number;
}

export interface BannerFacts {
  kafka: string;
  meraki: string;
  aws: string;
  consumer: string;
  sweeps: BannerSweep[];
  /** `--once`: one round of sweeps, then exit. */
  once: boolean;
}

export function renderBanner(
  facts: BannerFacts,
  width: number,
  paint: (style: Style, text: string) => string,
): string[] {
  const label = (name: string, value: string) => `  ${paint("bold", name.padEnd(9))} ${value}`;
  const kindWidth = Math.max(4, ...facts.sweeps.map((s) => s.kind.length));
  const scheduleWidth = Math.max(8, ...facts.sweeps.map((s) => s.schedule.length + (s.shards > 1 ? 12 : 0)));
  const rows = facts.sweeps.map((s) => {
    const schedule = s.shards > 1 ? `${s.schedule}, ${s.shards} shards` : s.schedule;
    return clip(`    ${s.kind.padEnd(kindWidth)}  ${schedule.padEnd(scheduleWidth)}  ${s.topic}`, width);
  });
  return [
    paint("bold", "Semaphore local pipeline") + paint("dim", "  (times are UTC)"),
    label("Kafka", facts.kafka),
    label("Meraki", facts.meraki),
    label("AWS", facts.aws),
    label("Consumer", facts.consumer),
    "",
    paint("dim", `    ${"kind".padEnd(kindWidth)}  ${"schedule".padEnd(scheduleWidth)}  topic`),
    ...rows,
    "",
    // Two lines, not one: a terminal narrower than both wraps the commands in the middle.
    ...(facts.once
      ? ["  One round of sweeps, then the run ends once the consumer has read every record."]
      : [
          "  Sweeps run now and then on their schedules. Ctrl-C stops everything.",
          "  In another terminal: npm run topics -- list · npm run consume -- <kind> · npm run invoke -- <kind>",
        ]
    ).map((line) => paint("dim", line)),
    "",
  ];
}
