// API requests: how many Dashboard API requests the organisation answered in the window, per
// 2-minute interval and response code, from one organisation-wide call asked for exactly the
// window's t0/t1 (without them it answers the last 31 days). Every application using the
// organisation shares its rate budget, Semaphore included: the 429s counted here are the
// requests the budget refused, whoever made them.

import { MetricUnit } from "@aws-lambda-powertools/metrics";
import * as z from "zod";
import { type TelemetryRecord, toTelemetryRecord } from "../kafka/record.js";
import { getOrganizations } from "../meraki/inventory.js";
import { defineOperation, type OperationItem } from "../meraki/operation.js";
import { integer, item, list, object, text } from "../meraki/spec-fields.js";
import { count, envelopeSchema, id, isoInstant, sourceBase, startsBeforeEnd } from "../schemas/envelope.js";
import { countDrop, envelopeHead, type MappingInput, type OrganizationSweepResult } from "../sweeps/sweep.js";
import { type ApiTimeLimits, assertWithinApiLimits } from "../sweeps/window-span.js";
import { defineKind } from "./kind.js";

/** GET /organizations/{organizationId}/apiRequests/overview/responseCodes/byInterval: not paginated. */
export const getOrganizationApiRequestsOverviewResponseCodesByInterval = defineOperation({
  operationId: "getOrganizationApiRequestsOverviewResponseCodesByInterval",
  path: "/organizations/{organizationId}/apiRequests/overview/responseCodes/byInterval",
  scope: "organization",
  item: item({
    startTs: text,
    endTs: text,
    counts: list(object({ code: integer, count: integer })),
  }),
});

export type ApiRequestsIntervalRow = OperationItem<
  typeof getOrganizationApiRequestsOverviewResponseCodesByInterval
>;

/** The finest of the spec's intervals (120, 3600, 14400, 21600 seconds). */
export const API_REQUESTS_INTERVAL_SECONDS = 120;

/** "The maximum lookback period is 31 days from today", and "t1 can be a maximum of 31 days after t0". */
const THIRTY_ONE_DAYS = 31 * 86_400;
const API_REQUESTS_LIMITS: ApiTimeLimits = {
  operationId: getOrganizationApiRequestsOverviewResponseCodesByInterval.operationId,
  lookbackSeconds: THIRTY_ONE_DAYS,
  span: { maxSeconds: THIRTY_ONE_DAYS },
};

export const API_REQUESTS_SCHEMA = "semaphore.api-requests.v1";

/** 429 is the class of its own: the budget refusing, not the client erring. */
export const RATE_LIMITED_CODE = 429;

export const apiRequestsEnvelope = envelopeSchema(
  API_REQUESTS_SCHEMA,
  z.object(sourceBase),
  z
    .object({
      /** The interval as the API delimits it; its start lies inside the window. */
      intervalStart: isoInstant,
      intervalEnd: isoInstant,
      code: z.number().int(),
      /** 1xx ... 5xx, with 429 apart; "other" for a code outside 100-599. */
      codeClass: id,
      count,
    })
    .refine(...startsBeforeEnd("intervalStart", "intervalEnd")),
);

export type ApiRequestsEnvelope = z.infer<typeof apiRequestsEnvelope>;

export function responseCodeClass(code: number): string {
  if (code === RATE_LIMITED_CODE) return String(RATE_LIMITED_CODE);
  return code >= 100 && code <= 599 ? `${Math.floor(code / 100)}xx` : "other";
}

/**
 * One record per (interval, response code), keyed by the organisation id. Only intervals starting
 * inside the window are kept, so consecutive windows never count an interval twice (an API that
 * aligned its intervals before t0 would otherwise repeat the previous window's last one); rows
 * without a readable start, counts without a code and repeated (interval, code) pairs are dropped
 * and counted.
 */
export function apiRequestsRecords(
  rows: ApiRequestsIntervalRow[],
  input: MappingInput,
): OrganizationSweepResult {
  const records: TelemetryRecord[] = [];
  const dropped: Record<string, number> = {};
  const organizationId = input.organization.id;
  const windowStartMs = Date.parse(input.window.start);
  const windowEndMs = Date.parse(input.window.end);
  const subjects = new Set<string>();
  for (const row of rows) {
    const startMs = row.startTs ? Date.parse(row.startTs) : Number.NaN;
    if (Number.isNaN(startMs)) {
      countDrop(dropped, "no-interval");
      continue;
    }
    if (startMs < windowStartMs || startMs >= windowEndMs) {
      countDrop(dropped, "outside-window");
      continue;
    }
    const endMs = row.endTs ? Date.parse(row.endTs) : Number.NaN;
    const intervalStart = isoSeconds(startMs);
    // An interval without a readable end is taken to last the interval asked for, within the window.
    const intervalEnd = isoSeconds(
      Number.isNaN(endMs) ? Math.min(startMs + API_REQUESTS_INTERVAL_SECONDS * 1000, windowEndMs) : endMs,
    );
    for (const entry of row.counts ?? []) {
      if (typeof entry?.code !== "number") {
        countDrop(dropped, "no-code");
        continue;
      }
      const subject = `${intervalStart}|${entry.code}`;
      if (subjects.has(subject)) {
        countDrop(dropped, "duplicate-code");
        continue;
      }
      subjects.add(subject);
      const envelope: ApiRequestsEnvelope = {
        ...envelopeHead(API_REQUESTS_SCHEMA, organizationId, subject, input),
        source: {
          organizationId,
          organizationName: input.organization.name ?? null,
          networkId: null,
          networkName: null,
          serial: null,
          deviceName: null,
        },
        data: {
          intervalStart,
          intervalEnd,
          code: entry.code,
          codeClass: responseCodeClass(entry.code),
          count: entry.count ?? 0,
        },
      };
      records.push(toTelemetryRecord(input.topic, organizationId, envelope));
    }
  }
  return { records, dropped };
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export const apiRequests = defineKind({
  id: "api-requests",
  title: "API requests",
  recordPer: "interval and response code",
  recordKey: "organization id",
  schema: { id: API_REQUESTS_SCHEMA, version: 1, envelope: apiRequestsEnvelope },
  defaultTopic: "meraki.api.requests",
  topicSettings: { partitions: 1, retentionHours: 7 * 24, cleanupPolicy: "delete" },
  // A request enters the overview within moments; a minute's margin keeps the window complete.
  window: { semantics: "window", dataDelaySeconds: 60, span: API_REQUESTS_LIMITS.span },
  // One call per organisation: seconds.
  deployment: { schedule: "rate(15 minutes)", memoryMb: 256, timeoutSeconds: 60 },
  operations: [getOrganizations, getOrganizationApiRequestsOverviewResponseCodesByInterval],
  async sweepOrganization(context) {
    assertWithinApiLimits(context.window, context.observedAt, API_REQUESTS_LIMITS);
    const rows = await context.meraki.all(getOrganizationApiRequestsOverviewResponseCodesByInterval, {
      organizationId: context.organization.id,
      query: { t0: context.window.start, t1: context.window.end, interval: API_REQUESTS_INTERVAL_SECONDS },
    });
    return apiRequestsRecords(rows, context);
  },
  consumer: {
    summarise: () => undefined,
    fields: {
      intervalStart: (envelope) => envelope.data.intervalStart,
      intervalEnd: (envelope) => envelope.data.intervalEnd,
      code: (envelope) => envelope.data.code,
      codeClass: (envelope) => envelope.data.codeClass,
      count: (envelope) => envelope.data.count,
    },
    metrics: [
      {
        name: "ApiRequests",
        unit: MetricUnit.Count,
        aggregation: "sum",
        description: "Dashboard API requests the organisations answered in the window, by response class",
        dimensions: { CodeClass: (envelope) => envelope.data.codeClass },
        observe: (envelope) => envelope.data.count,
      },
      {
        name: "ApiRequestsRateLimited",
        unit: MetricUnit.Count,
        aggregation: "sum",
        description:
          "Dashboard API requests refused with 429 (the organisation's budget spent) in the window",
        dimensions: {},
        observe: (envelope) => (envelope.data.code === RATE_LIMITED_CODE ? envelope.data.count : null),
      },
    ],
  },
  monitoring: {
    thresholds: {
      rateLimitedRequests: {
        // The budget is 10 requests a second per organisation (9,000 per 15 minutes) whatever its
        // size, so a count compares across organisations; clients that back off see a few 429s in
        // bursts, 100 in a window is refusals sustained all window long.
        default: 100,
        min: 0,
        max: 1_000_000,
        description:
          "429 responses in one sweep window (15 minutes by default) above which the alarm is raised",
      },
    },
    alarms: [
      {
        id: "rate-limited",
        description: (threshold) =>
          `More than ${threshold} Dashboard API requests were refused with 429 in one window: applications ` +
          `are starving the organisation's shared budget; the "API 429s by organisation" query names it.`,
        metric: "ApiRequestsRateLimited",
        statistic: "SUM",
        threshold: "rateLimitedRequests",
        comparison: "above",
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      },
    ],
    widgets: [
      {
        title: "API requests by response class",
        metric: "ApiRequests",
        statistic: "SUM",
        groupBy: "CodeClass",
      },
    ],
    queries: () => [
      {
        id: "RateLimited",
        name: "API 429s by organisation",
        filter: [`code = ${RATE_LIMITED_CODE}`],
        stats: "sum(count) as refused by organizationName, organizationId",
        sort: "refused desc",
        limit: 100,
      },
      {
        id: "ByCode",
        name: "API requests by organisation and code",
        stats: "sum(count) as requests by organizationName, code",
        sort: "requests desc",
        limit: 200,
      },
    ],
  },
});
