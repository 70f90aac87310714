import { MERAKI_MAX_REQUESTS_PER_SECOND } from "../../shared/config/sweep-settings.js";
import { KIND_IDS, type KindId, kindById } from "../../shared/kinds/registry.js";
import { getOrganizationNetworks } from "../../shared/meraki/inventory.js";
import { MAX_SHARDS, type StackConfig } from "./stack-config.js";

/**
 * How the Meraki budget of one organisation is divided, as the stack sees it: every schedule (one
 * per enabled kind, one per shard of a kind split into shards) may invoke a sweep of the same
 * organisation at the same moment. That count is each function's MERAKI_BUDGET_SHARES, so that
 * while DynamoDB is unreachable each invocation takes rate / shares and all of them together stay
 * within the budget; it is also the share the synth-time capacity check below assumes, the least an
 * invocation gets when every schedule fires at once.
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

/** What one shard of a per-network kind costs, and whether it fits its function's time. */
export interface SweepCapacity {
  kind: KindId;
  networks: number;
  shards: number;
  /** Meraki calls one shard makes: its networks, plus the inventory every shard reads. */
  callsPerShard: number;
  /** The organisation's budget (requests per second) and the share of it one invocation is sure of. */
  organizationRate: number;
  shares: number;
  shareRate: number;
  /** How long one shard's calls take at that share. */
  secondsPerShard: number;
  /** What they must fit in: the Lambda timeout, and the period (the timeout never exceeds it). */
  timeoutSeconds: number;
  periodSeconds: number;
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
 * of the key, not of the organisation's budget). Shards run side by side,
 * each taking from the same organisation's budget, so more shards also mean a smaller share each:
 * the estimate at `shards` = n is (networks / n + inventory) / (rate / (other schedules + n)).
 */
export function sweepCapacity(config: StackConfig, kind: KindId): SweepCapacity | undefined {
  const sweep = config.sweeps[kind];
  if (!sweep.enabled || !kindById(kind).perNetwork || sweep.expectedNetworks === undefined) return undefined;
  const networks = sweep.expectedNetworks;
  const organizationRate = lowestOrganizationRate(config);
  const otherShares = budgetShares(config) - sweep.shards;
  const limitSeconds = Math.min(sweep.timeoutSeconds, sweep.windowSeconds);
  const { maxPerPage } = getOrganizationNetworks;
  const inventoryCalls = maxPerPage === undefined ? 1 : Math.ceil(networks / maxPerPage);
  const estimate = (shards: number) => {
    const callsPerShard = Math.ceil(networks / shards) + inventoryCalls;
    const shares = otherShares + shards;
    const shareRate = organizationRate / shares;
    return { callsPerShard, shares, shareRate, secondsPerShard: callsPerShard / shareRate };
  };
  const current = estimate(sweep.shards);
  let shardsThatFit: number | undefined;
  for (let shards = 1; shards <= Math.min(networks, MAX_SHARDS); shards++) {
    if (estimate(shards).secondsPerShard <= limitSeconds) {
      shardsThatFit = shards;
      break;
    }
  }
  return {
    kind,
    networks,
    shards: sweep.shards,
    organizationRate,
    ...current,
    timeoutSeconds: sweep.timeoutSeconds,
    periodSeconds: sweep.windowSeconds,
    limitSeconds,
    fits: current.secondsPerShard <= limitSeconds,
    shardsThatFit,
  };
}

/** The synth warning of a capacity that does not fit: the numbers, and what would. */
export function capacityWarning(capacity: SweepCapacity): string {
  const c = capacity;
  const seconds = (value: number) => `${Math.ceil(value)} s`;
  const rate = (value: number) => `${Number(value.toFixed(2))} req/s`;
  const advice =
    c.shardsThatFit === undefined
      ? `no number of shards (at most ${MAX_SHARDS}) fits: shards share the organisation's ${rate(c.organizationRate)}, and its ` +
        `${c.networks} networks alone need ${seconds(c.networks / c.organizationRate)} of the whole budget; ` +
        "raise timeoutSeconds (at most 900, and the period), give the organisation more of its budget " +
        `(meraki.requestsPerSecondByOrganization, at most ${MERAKI_MAX_REQUESTS_PER_SECOND}), or disable other kinds ` +
        "that share it"
      : `${c.shardsThatFit} shards would fit (sweeps.${c.kind}.shards)`;
  return (
    `${c.kind}: ${c.networks} expected networks in ${c.shards} shard(s) make ${c.callsPerShard} Meraki calls per ` +
    `shard, ${seconds(c.secondsPerShard)} at ${rate(c.shareRate)} (the organisation's ${rate(c.organizationRate)} ` +
    `shared by ${c.shares} schedules), longer than the ${seconds(c.limitSeconds)} it has (timeoutSeconds ` +
    `${c.timeoutSeconds}, period ${c.periodSeconds} s); ${advice}`
  );
}
