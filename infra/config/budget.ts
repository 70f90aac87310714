import { MERAKI_MAX_REQUESTS_PER_SECOND } from "../../shared/config/sweep-settings.js";
import { KIND_IDS, type KindId, kindById } from "../../shared/kinds/registry.js";
import { getOrganizationNetworks } from "../../shared/meraki/inventory.js";
import { shardTurnSeconds, shardTurnsProblem } from "./schedule.js";
import { MAX_SHARDS, type StackConfig } from "./stack-config.js";

/**
 * How the Meraki budget of one organisation is divided, as the stack sees it: every schedule (one
 * per enabled kind, one per shard of a kind split into shards) may invoke a sweep of the same
 * organisation at the same moment. That count is each function's MERAKI_BUDGET_SHARES, so that
 * while DynamoDB is unreachable each invocation takes rate / shares and all of them together stay
 * within the budget, whichever of them happen to run at that moment.
 */
export function budgetShares(config: StackConfig): number {
  return KIND_IDS.filter((kind) => config.sweeps[kind].enabled).reduce(
    (sum, kind) => sum + config.sweeps[kind].shards,
    0,
  );
}

/**
 * The lowest budget any swept organisation has: the organisation the operator sized
 * (`expectedNetworks`) is not named, so the check assumes the worst.
 */
export function lowestOrganizationRate(config: StackConfig): number {
  const { requestsPerSecond, requestsPerSecondByOrganization, organizationIds } = config.meraki;
  const rateOf = (organizationId: string) =>
    requestsPerSecondByOrganization[organizationId] ?? requestsPerSecond;
  const rates =
    organizationIds.length > 0
      ? organizationIds.map(rateOf)
      : [requestsPerSecond, ...Object.values(requestsPerSecondByOrganization)];
  return Math.min(...rates);
}

/**
 * Calls an organisation-wide kind's warm sweep makes, as the capacity check counts them: one call,
 * or a few pages (`npm run bench`, sweeps row: 1 to 11 calls per sweep at 1,000 devices), spread by
 * the flexible windows; what the per-network kind has left is the organisation's rate less these.
 */
const ORGANIZATION_WIDE_CALLS_PER_SWEEP = 1;

/** What one shard of a per-network kind costs, and whether it fits its turn and its timeout. */
export interface SweepCapacity {
  kind: KindId;
  networks: number;
  shards: number;
  /** Meraki calls one shard makes: its networks, plus the network list of a cold inventory. */
  callsPerShard: number;
  /** The organisation's budget (requests per second), and what the other kinds leave of it. */
  organizationRate: number;
  availableRate: number;
  /** How long one shard's calls take at the available rate. */
  secondsPerShard: number;
  /** What they must fit in: the Lambda timeout, and the shard's turn (the period / shards). */
  timeoutSeconds: number;
  periodSeconds: number;
  turnSeconds: number;
  limitSeconds: number;
  fits: boolean;
  /** The fewest shards with which each shard would fit; undefined when no number of shards does. */
  shardsThatFit: number | undefined;
}

/**
 * The capacity check of a per-network kind with `expectedNetworks` set, or undefined when there is
 * nothing to check. Calls are counted as the sweep makes them: one per network of the shard (more
 * when a network has more clients than a page holds, which this cannot know), plus the network list
 * of a cold inventory (one call per page of its largest page size; the organisation list is a call
 * of the key, not of the organisation's budget). The shards take turns (schedule.ts), so a shard
 * has the organisation's rate less what the other kinds take, for its turn of the period and
 * within its timeout; the organisation counted is the one with the lowest rate.
 */
export function sweepCapacity(config: StackConfig, kind: KindId): SweepCapacity | undefined {
  const sweep = config.sweeps[kind];
  if (!sweep.enabled || !kindById(kind).perNetwork || sweep.expectedNetworks === undefined) return undefined;
  const networks = sweep.expectedNetworks;
  const organizationRate = lowestOrganizationRate(config);
  const availableRate = organizationRate - otherKindsLoad(config, kind);
  const periodSeconds = sweep.windowSeconds;
  const { maxPerPage } = getOrganizationNetworks;
  const inventoryCalls = maxPerPage === undefined ? 1 : Math.ceil(networks / maxPerPage);
  const estimate = (shards: number) => {
    const callsPerShard = Math.ceil(networks / shards) + inventoryCalls;
    const turnSeconds =
      shards === 1 ? periodSeconds : shardTurnSeconds(periodSeconds, { index: 1, count: shards });
    const limitSeconds = Math.min(sweep.timeoutSeconds, turnSeconds);
    const secondsPerShard = callsPerShard / availableRate;
    return {
      callsPerShard,
      turnSeconds,
      limitSeconds,
      secondsPerShard,
      fits: secondsPerShard <= limitSeconds,
    };
  };
  let shardsThatFit: number | undefined;
  for (let shards = 1; shards <= Math.min(networks, MAX_SHARDS); shards++) {
    if (shardTurnsProblem(sweep.schedule, shards) !== undefined) break;
    if (estimate(shards).fits) {
      shardsThatFit = shards;
      break;
    }
  }
  return {
    kind,
    networks,
    shards: sweep.shards,
    organizationRate,
    availableRate,
    ...estimate(sweep.shards),
    timeoutSeconds: sweep.timeoutSeconds,
    periodSeconds,
    shardsThatFit,
  };
}

/** Requests per second the other enabled kinds take from the organisation, on average. */
function otherKindsLoad(config: StackConfig, kind: KindId): number {
  return KIND_IDS.filter((other) => other !== kind && config.sweeps[other].enabled).reduce((sum, other) => {
    const sweep = config.sweeps[other];
    const calls = kindById(other).perNetwork
      ? (sweep.expectedNetworks ?? 0)
      : ORGANIZATION_WIDE_CALLS_PER_SWEEP;
    return sum + calls / sweep.windowSeconds;
  }, 0);
}

/** The synth warning of a capacity that does not fit: the numbers, and what would. */
export function capacityWarning(capacity: SweepCapacity): string {
  const c = capacity;
  const seconds = (value: number) => `${Math.ceil(value)} s`;
  const rate = (value: number) => `${Number(value.toFixed(2))} req/s`;
  const wholeSweep = c.networks / c.availableRate;
  const advice =
    c.shardsThatFit !== undefined
      ? `${c.shardsThatFit} shards would fit (sweeps.${c.kind}.shards)`
      : wholeSweep > c.periodSeconds
        ? `no number of shards fits: every network once needs ${seconds(wholeSweep)} of the budget, more than the ` +
          `period; choose a longer schedule (sweeps.${c.kind}.schedule) or give the organisation more of its budget ` +
          `(meraki.requestsPerSecondByOrganization, at most ${MERAKI_MAX_REQUESTS_PER_SECOND})`
        : `no number of shards (at most ${MAX_SHARDS}, one per minute of the period) fits its turn and timeout; ` +
          `choose a longer schedule or raise timeoutSeconds (at most 900)`;
  return (
    `${c.kind}: ${c.networks} expected networks in ${c.shards} shard(s) make ${c.callsPerShard} Meraki calls per ` +
    `shard, ${seconds(c.secondsPerShard)} at ${rate(c.availableRate)} (the organisation's ${rate(c.organizationRate)} ` +
    `less the other kinds), longer than the ${seconds(c.limitSeconds)} it has (timeoutSeconds ` +
    `${c.timeoutSeconds}, turn ${c.turnSeconds} s of the ${c.periodSeconds} s period); ${advice}`
  );
}
