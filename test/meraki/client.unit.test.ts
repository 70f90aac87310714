// Client behaviour that the simulator cannot provoke (redirects, hostile or looping links, hosts,
// aborts, timeouts), driven through an injected fetch so no socket or real time is involved.
import { describe, expect, it } from "vitest";
import { getOrganizationDevicesStatuses } from "../../shared/kinds/device-statuses.js";
import { getNetworkClients } from "../../shared/kinds/network-clients.js";
import { getOrganizationDevicesUplinksLossAndLatency } from "../../shared/kinds/uplink-loss-latency.js";
import {
  getOrganizationDevices,
  getOrganizationNetworks,
  getOrganizations,
  MerakiClient,
  type MerakiClientOptions,
  MerakiNetworkError,
  MerakiUnexpectedResponseError,
} from "../../shared/meraki/index.js";

interface Sent {
  url: string;
  authorization: string | null;
  redirect: RequestInit["redirect"];
}

type Responder = (url: URL, signal: AbortSignal | undefined) => Response | Promise<Response>;

function stubClient(respond: Responder, options: Partial<MerakiClientOptions> = {}) {
  const sent: Sent[] = [];
  const sleeps: number[] = [];
  const logs: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  const fetchStub: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    sent.push({
      url: url.href,
      authorization: new Headers(init?.headers).get("authorization"),
      redirect: init?.redirect,
    });
    return respond(url, init?.signal ?? undefined);
  };
  const client = new MerakiClient({
    apiKey: "unit-key",
    fetch: fetchStub,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    logger: {
      debug: (message, attributes) => logs.push({ level: "debug", message, attributes }),
      warn: (message, attributes) => logs.push({ level: "warn", message, attributes }),
    },
    ...options,
  });
  return { client, sent, sleeps, logs };
}

const json = (body: unknown, headers: Record<string, string> = {}, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("MerakiClient (stubbed transport)", () => {
  it("sends Bearer auth to the default host with the operation's path and perPage", async () => {
    const { client, sent } = stubClient(() => json([{ serial: "Q1" }]));
    await client.all(getOrganizationDevicesStatuses, { organizationId: "123" });
    expect(sent).toEqual([
      {
        url: "https://api.meraki.com/api/v1/organizations/123/devices/statuses?perPage=1000",
        authorization: "Bearer unit-key",
        redirect: "manual",
      },
    ]);
  });

  it("uses a regional base URL given by config, trailing slash or not", async () => {
    const { client, sent } = stubClient(() => json([{ id: "1", name: "Org" }]), {
      baseUrl: "https://api.meraki.ca/api/v1/",
    });
    await client.all(getOrganizations);
    expect(sent.map((s) => s.url)).toEqual(["https://api.meraki.ca/api/v1/organizations?perPage=9000"]);
  });

  it("follows a shard redirect by hand and keeps the Bearer header on the Meraki sibling host", async () => {
    const { client, sent } = stubClient((url) =>
      url.hostname === "api.meraki.com"
        ? new Response(null, {
            status: 308,
            headers: { location: `https://n42.meraki.com${url.pathname}${url.search}` },
          })
        : json([{ id: "N_1" }]),
    );
    await expect(client.all(getOrganizationNetworks, { organizationId: "9" })).resolves.toEqual([
      { id: "N_1" },
    ]);
    expect(sent.map((s) => [s.url, s.authorization])).toEqual([
      ["https://api.meraki.com/api/v1/organizations/9/networks?perPage=100000", "Bearer unit-key"],
      ["https://n42.meraki.com/api/v1/organizations/9/networks?perPage=100000", "Bearer unit-key"],
    ]);
    expect(client.stats().byOrganization["9"]?.apiCalls).toBe(2);
  });

  it("refuses to send the key to a redirect outside the Meraki domain", async () => {
    const { client, sent } = stubClient(
      () => new Response(null, { status: 302, headers: { location: "https://evil.example/steal" } }),
    );
    const error = await client.all(getOrganizationNetworks, { organizationId: "9" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerakiUnexpectedResponseError);
    expect(String((error as Error).message)).toContain("https://evil.example");
    expect(sent).toHaveLength(1);
  });

  it("follows rel=next verbatim, relative references resolved against the current page", async () => {
    const { client, sent } = stubClient((url) => {
      if (!url.searchParams.has("startingAfter")) {
        return json([{ serial: "A" }], {
          link: `</api/v1/organizations/1/devices?perPage=1000&startingAfter=opaque%2Ftoken>; rel=next`,
        });
      }
      return json([{ serial: "B" }], { link: `<https://api.meraki.com/x>; rel=first` });
    });
    await expect(client.all(getOrganizationDevices, { organizationId: "1" })).resolves.toEqual([
      { serial: "A" },
      { serial: "B" },
    ]);
    expect(sent[1]?.url).toBe(
      "https://api.meraki.com/api/v1/organizations/1/devices?perPage=1000&startingAfter=opaque%2Ftoken",
    );
  });

  it("stops with an error when rel=next points back to a page already fetched", async () => {
    let page = 0;
    const { client, sent } = stubClient(() => {
      page++;
      const next = page === 1 ? "startingAfter=b" : "startingAfter=a";
      return json([{ serial: `S${page}` }], {
        link: `<https://api.meraki.com/api/v1/organizations/1/devices?perPage=1000&${next}>; rel=next`,
      });
    });
    // First page has no cursor; page 2 (b) links to a, page 3 (a) links back to a.
    const error = await client.all(getOrganizationDevices, { organizationId: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerakiUnexpectedResponseError);
    expect((error as MerakiUnexpectedResponseError).message).toContain("pagination loops");
    expect((error as MerakiUnexpectedResponseError).organizationId).toBe("1");
    expect(sent).toHaveLength(3);
  });

  it("yields pages one at a time through the async iterator", async () => {
    const { client, sent } = stubClient((url) =>
      url.searchParams.has("startingAfter")
        ? json([{ id: "c3" }])
        : json([{ id: "c1" }, { id: "c2" }], { link: `<${url.href}&startingAfter=c2>; rel=next` }),
    );
    const iterator = client.pages(getNetworkClients, {
      organizationId: "1",
      networkId: "N_1",
      query: { timespan: 300 },
    });
    const first = await iterator.next();
    expect(first.value).toEqual([{ id: "c1" }, { id: "c2" }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe("https://api.meraki.com/api/v1/networks/N_1/clients?timespan=300&perPage=5000");
    expect((await iterator.next()).value).toEqual([{ id: "c3" }]);
    expect((await iterator.next()).done).toBe(true);
  });

  it("rejects an inventory page whose items lack their id, without retrying", async () => {
    const { client, sent } = stubClient(() => json([{ serial: "A" }, { serial: null, name: "x" }]));
    const error = await client.all(getOrganizationDevices, { organizationId: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerakiUnexpectedResponseError);
    expect((error as Error).message).toContain("item [1].serial");
    expect(sent).toHaveLength(1);
  });

  it("rejects a page that is not a JSON array", async () => {
    const { client } = stubClient(() => json({ id: "k1" }));
    await expect(client.all(getNetworkClients, { organizationId: "1", networkId: "N_1" })).rejects.toThrow(
      /expected a JSON array, got object/,
    );
  });

  it("passes telemetry rows without an id through for the sweep to drop and count", async () => {
    const { client } = stubClient(() => json([{ serial: null, status: "online" }, { status: "offline" }]));
    await expect(client.all(getOrganizationDevicesStatuses, { organizationId: "1" })).resolves.toEqual([
      { serial: null, status: "online" },
      { status: "offline" },
    ]);
  });

  it("rejects an id of the wrong type even on telemetry rows", async () => {
    const { client } = stubClient(() => json([{ id: 42 }]));
    await expect(client.all(getNetworkClients, { organizationId: "1", networkId: "N_1" })).rejects.toThrow(
      /item \[0\]\.id/,
    );
  });

  it("keeps uplink rows whose serial is null for the sweep to handle", async () => {
    const rows = [{ serial: null, networkId: "N_1", uplink: "wan1", ip: "8.8.8.8", timeSeries: [] }];
    const { client, sent } = stubClient(() => json(rows));
    await expect(
      client.all(getOrganizationDevicesUplinksLossAndLatency, {
        organizationId: "1",
        query: { t0: "2026-11-22T10:00:00Z", t1: "2026-11-22T10:05:00Z" },
      }),
    ).resolves.toEqual(rows);
    expect(sent[0]?.url).toBe(
      "https://api.meraki.com/api/v1/organizations/1/devices/uplinksLossAndLatency?t0=2026-11-22T10%3A00%3A00Z&t1=2026-11-22T10%3A05%3A00Z",
    );
  });

  it("retries a connection reset and names the cause in the retry log", async () => {
    let calls = 0;
    const { client, sent, logs, sleeps } = stubClient(() => {
      calls++;
      if (calls === 1) {
        const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
        throw new TypeError("fetch failed", { cause: reset });
      }
      return json([{ id: "1" }]);
    });
    await expect(client.all(getOrganizations)).resolves.toEqual([{ id: "1" }]);
    expect(sent).toHaveLength(2);
    expect(sleeps).toEqual([250]);
    expect(logs).toEqual([
      {
        level: "warn",
        message: "Meraki request failed, retrying",
        attributes: {
          operationId: "getOrganizations",
          path: "/api/v1/organizations",
          attempt: 1,
          reason: "fetch failed <- ECONNRESET: read ECONNRESET",
          delayMs: 250,
        },
      },
    ]);
    expect(client.stats().unscoped).toEqual({ apiCalls: 2, rateLimited: 0, retries: 1 });
  });

  it("retries a timed-out request as a network error, then reports MerakiNetworkError", async () => {
    const { client, sent, logs } = stubClient(
      // Never answers; like real fetch, gives up when the signal aborts.
      (_url, signal) =>
        new Promise<Response>((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason));
        }),
      { timeoutMs: 20, maxAttempts: 2 },
    );
    const error = await client.all(getOrganizations).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerakiNetworkError);
    expect((error as MerakiNetworkError).attempts).toBe(2);
    expect((error as Error).message).toContain("timed out after 20 ms");
    expect(sent).toHaveLength(2);
    expect(logs.map((l) => [l.level, l.attributes.reason])).toEqual([["warn", "timed out after 20 ms"]]);
  });

  it("a caller's abort stops at once with the abort reason and is not retried", async () => {
    const controller = new AbortController();
    const { client, sent } = stubClient(() => {
      controller.abort(new Error("lambda deadline"));
      return Promise.reject(new DOMException("aborted", "AbortError"));
    });
    await expect(client.all(getOrganizations, { signal: controller.signal })).rejects.toThrow(
      "lambda deadline",
    );
    expect(sent).toHaveLength(1);
  });

  it("refuses a request missing an id its path names, before sending anything", async () => {
    const { client, sent } = stubClient(() => json([]));
    await expect(client.all(getNetworkClients, { organizationId: "1" })).rejects.toThrow(
      /getNetworkClients needs networkId/,
    );
    expect(sent).toHaveLength(0);
  });

  it("refuses an organisation-scoped operation without an organisation (it selects the rate budget)", async () => {
    const { client, sent } = stubClient(() => json([]));
    await expect(client.all(getNetworkClients, { networkId: "N_1" })).rejects.toThrow(
      /getNetworkClients needs organizationId/,
    );
    expect(sent).toHaveLength(0);
  });

  it("sends array query values the way the Dashboard API reads them", async () => {
    const { client, sent } = stubClient(() => json([]));
    await client.all(getOrganizationDevices, { organizationId: "1", query: { networkIds: ["N_1", "N_2"] } });
    expect(sent[0]?.url).toBe(
      "https://api.meraki.com/api/v1/organizations/1/devices?networkIds%5B%5D=N_1&networkIds%5B%5D=N_2&perPage=5000",
    );
  });

  it("turns a value of another type than the spec says into null instead of failing the page", async () => {
    const { client } = stubClient(() => json([{ serial: "Q1", name: 7, lat: "north", tags: "x" }]));
    await expect(client.all(getOrganizationDevices, { organizationId: "1" })).resolves.toEqual([
      { serial: "Q1", name: null, lat: null, tags: null },
    ]);
  });

  it("refuses an empty API key at construction", () => {
    expect(() => new MerakiClient({ apiKey: " " })).toThrow(/apiKey is empty/);
  });
});
