// The invocation's deadline on its own, and what it does to the Meraki client's paging and retry
// waits (through an injected fetch: a server that pages forever or rate-limits forever).
import { describe, expect, it } from "vitest";
import { getNetworkClients } from "../../shared/kinds/network-clients.js";
import { getOrganizationDevices, MerakiClient, readerWithSignal } from "../../shared/meraki/index.js";
import { SweepDeadline, SweepDeadlineError } from "../../shared/sweeps/deadline.js";

const json = (body: unknown, headers: Record<string, string> = {}, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** At 100 requests/s, the pace of a fast real API, so the deadline comes long before 10,000 pages. */
function clientAnswering(respond: (url: URL) => Response): { client: MerakiClient; sent: string[] } {
  const sent: string[] = [];
  const client = new MerakiClient({
    apiKey: "unit-key",
    requestsPerSecond: 100,
    burst: 1,
    fetch: async (input) => {
      const url = new URL(String(input));
      sent.push(url.href);
      return respond(url);
    },
  });
  return { client, sent };
}

const aborted = (signal: AbortSignal) =>
  new Promise<unknown>((resolve) => signal.addEventListener("abort", () => resolve(signal.reason)));

describe("SweepDeadline", () => {
  it("stops Meraki work the produce reserve before the end of the invocation", async () => {
    const deadline = new SweepDeadline({ remainingMs: 300, produceReserveMs: 250, now: () => 1_000 });
    expect(deadline.hardAt).toBe(1_300);
    expect(deadline.softAt).toBe(1_050);
    expect(await aborted(deadline.signal)).toBeInstanceOf(SweepDeadlineError);
    expect(deadline.reached).toBe(true);
    deadline.dispose();
  });

  it("is reached at once when less time is left than delivering needs", () => {
    const deadline = new SweepDeadline({ remainingMs: 1_000, produceReserveMs: 5_000 });
    expect(deadline.reached).toBe(true);
    expect(deadline.msLeft()).toBe(0);
    expect((deadline.signal.reason as SweepDeadlineError).message).toMatch(
      /^the sweep stopped calling Meraki at .*: raise the function's timeoutSeconds, or shard the kind$/,
    );
    deadline.dispose();
  });
});

describe("the Meraki client under a deadline", () => {
  it("stops a listing that hands out a fresh cursor forever at the deadline, not at the page cap", async () => {
    let page = 0;
    const { client, sent } = clientAnswering((url) => {
      page += 1;
      return json([{ serial: `Q2-${page}` }], {
        link: `<${url.origin}${url.pathname}?startingAfter=${page}>; rel=next`,
      });
    });
    const deadline = new SweepDeadline({ remainingMs: 400, produceReserveMs: 200 });
    const reader = readerWithSignal(client, deadline.signal);
    const error = await reader.all(getOrganizationDevices, { organizationId: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SweepDeadlineError);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.length).toBeLessThan(10_000);
    deadline.dispose();
  });

  it("does not wait out a Retry-After that ends past the deadline", async () => {
    const { client, sent } = clientAnswering(() =>
      json({ errors: ["API rate limit exceeded"] }, { "retry-after": "30" }, 429),
    );
    const deadline = new SweepDeadline({ remainingMs: 300, produceReserveMs: 200 });
    const reader = readerWithSignal(client, deadline.signal);
    const error = await reader
      .all(getNetworkClients, { organizationId: "1", networkId: "N_1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SweepDeadlineError);
    expect(sent).toHaveLength(1);
    deadline.dispose();
  });

  it("sends nothing once the deadline has passed", async () => {
    const { client, sent } = clientAnswering(() => json([]));
    const deadline = new SweepDeadline({ remainingMs: 0, produceReserveMs: 0 });
    const reader = readerWithSignal(client, deadline.signal);
    await expect(reader.all(getOrganizationDevices, { organizationId: "1" })).rejects.toBeInstanceOf(
      SweepDeadlineError,
    );
    expect(sent).toEqual([]);
  });
});
