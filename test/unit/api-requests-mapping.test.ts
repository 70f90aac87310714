import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  apiRequests,
  apiRequestsEnvelope,
  apiRequestsRecords,
  getOrganizationApiRequestsOverviewResponseCodesByInterval,
  responseCodeClass,
} from "../../shared/kinds/api-requests.js";

const input = {
  organization: { id: "2930418", name: "My organization" },
  window: { start: "2026-11-22T09:44:00Z", end: "2026-11-22T09:59:00Z" },
  sweepId: "2026-11-22T10:00:00Z",
  observedAt: "2026-11-22T10:00:01Z",
  topic: "meraki.api.requests",
};

const parse = (value: unknown) => getOrganizationApiRequestsOverviewResponseCodesByInterval.item.parse(value);
const interval = (startTs: string, endTs: string, counts: unknown[]) => parse({ startTs, endTs, counts });

describe("apiRequestsRecords", () => {
  it("makes one record per interval and response code, keyed by the organisation", () => {
    const rows = [
      interval("2026-11-22T09:44:00Z", "2026-11-22T09:46:00Z", [
        { code: 200, count: 198 },
        { code: 429, count: 7 },
      ]),
    ];
    const { records, dropped } = apiRequestsRecords(rows, input);
    const id = (subject: string) =>
      recordId("semaphore.api-requests.v1", "2930418", subject, input.window.start);
    expect(dropped).toEqual({});
    expect(records.map((r) => [r.topic, r.key, r.headers["record-id"]])).toEqual([
      ["meraki.api.requests", "2930418", id("2026-11-22T09:44:00Z|200")],
      ["meraki.api.requests", "2930418", id("2026-11-22T09:44:00Z|429")],
    ]);
    expect(apiRequestsEnvelope.parse(JSON.parse(records[1]!.value))).toEqual({
      schema: "semaphore.api-requests.v1",
      id: id("2026-11-22T09:44:00Z|429"),
      sweepId: input.sweepId,
      observedAt: input.observedAt,
      window: input.window,
      source: {
        organizationId: "2930418",
        organizationName: "My organization",
        networkId: null,
        networkName: null,
        serial: null,
        deviceName: null,
      },
      data: {
        intervalStart: "2026-11-22T09:44:00Z",
        intervalEnd: "2026-11-22T09:46:00Z",
        code: 429,
        codeClass: "429",
        count: 7,
      },
    });
  });

  it("keeps only intervals starting inside the window, so consecutive windows never count one twice", () => {
    const rows = [
      interval("2026-11-22T09:43:00Z", "2026-11-22T09:45:00Z", [{ code: 200, count: 1 }]),
      interval("2026-11-22T09:58:00Z", "2026-11-22T09:59:00Z", [{ code: 200, count: 2 }]),
      interval("2026-11-22T09:59:00Z", "2026-11-22T10:01:00Z", [{ code: 200, count: 3 }]),
    ];
    const { records, dropped } = apiRequestsRecords(rows, input);
    expect(records.map((r) => JSON.parse(r.value).data.count)).toEqual([2]);
    expect(dropped).toEqual({ "outside-window": 2 });
  });

  it("reads instants with milliseconds, and drops intervals without a start and counts without a code", () => {
    const rows = [
      interval("2026-11-22T09:50:00.000Z", "2026-11-22T09:52:00.000Z", [
        { code: null, count: 1 },
        { code: 500, count: 2 },
      ]),
      parse({ startTs: null, counts: [{ code: 200, count: 1 }] }),
      interval("2026-11-22T09:52:00Z", "2026-11-22T09:54:00Z", []),
    ];
    const { records, dropped } = apiRequestsRecords(rows, input);
    expect(records.map((r) => JSON.parse(r.value).data)).toEqual([
      {
        intervalStart: "2026-11-22T09:50:00Z",
        intervalEnd: "2026-11-22T09:52:00Z",
        code: 500,
        codeClass: "5xx",
        count: 2,
      },
    ]);
    expect(dropped).toEqual({ "no-code": 1, "no-interval": 1 });
  });
});

describe("responseCodeClass", () => {
  it("classes codes by their hundred, with 429 apart", () => {
    expect([200, 204, 302, 400, 404, 429, 503, 0, 600].map(responseCodeClass)).toEqual([
      "2xx",
      "2xx",
      "3xx",
      "4xx",
      "4xx",
      "429",
      "5xx",
      "other",
      "other",
    ]);
  });
});

describe("api-requests metrics", () => {
  it("counts requests by class, and 429s apart for the alarm", () => {
    const rows = [
      interval("2026-11-22T09:44:00Z", "2026-11-22T09:46:00Z", [
        { code: 200, count: 5 },
        { code: 429, count: 3 },
      ]),
    ];
    const envelopes = apiRequestsRecords(rows, input).records.map((r) =>
      apiRequestsEnvelope.parse(JSON.parse(r.value)),
    );
    const observe = (name: string) => {
      const metric = apiRequests.consumer.metrics.find((m) => m.name === name)!;
      return envelopes.map((e) => [
        metric.observe(e, undefined),
        ...Object.values(metric.dimensions).map((d) => d(e)),
      ]);
    };
    expect(observe("ApiRequests")).toEqual([
      [5, "2xx"],
      [3, "429"],
    ]);
    expect(observe("ApiRequestsRateLimited")).toEqual([[null], [3]]);
  });
});
