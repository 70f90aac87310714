/**
 * Real HTTP servers for the Meraki faults the simulator does not produce by itself: a front that
 * sits between the client and the simulator and, for the requests a rule matches, answers in its
 * place (a 429 with an HTTP-date Retry-After, an HTML error page, a body without end, a slow
 * answer) or passes the simulator's answer on with a changed Link header; and a "key trap", another
 * host that records every request it gets, so a test can show the API key never went there.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FrontRequest {
  /** Below /api/v1, without the query string. */
  path: string;
  search: string;
  /** The Authorization header as received. */
  authorization: string | undefined;
  /** Which rule answered it, if any. */
  rule: string | undefined;
  /** When it arrived (epoch ms). */
  at: number;
}

export interface FrontRule {
  /** Names the rule in the request log. */
  name: string;
  /** Matches the path below /api/v1 (no query string). */
  path: string | RegExp;
  /** How many matching requests it takes; the rest pass through. Default: all of them. */
  times?: number;
  /** Answers the request; `forward` fetches the simulator's answer to it. */
  respond(req: IncomingMessage, res: ServerResponse, forward: () => Promise<Upstream>): Promise<void>;
}

export interface HostileFront {
  /** Base URL for the client: this front's /api/v1. */
  baseUrl: string;
  origin: string;
  requests: FrontRequest[];
  /** Replaces the rules (counts start again). */
  setRules(rules: FrontRule[]): void;
  stop(): Promise<void>;
}

const API_PREFIX = "/api/v1";

export async function startHostileFront(simulatorBaseUrl: string): Promise<HostileFront> {
  const upstreamOrigin = new URL(simulatorBaseUrl).origin;
  let rules: Array<{ rule: FrontRule; left: number }> = [];
  const requests: FrontRequest[] = [];
  const stopping = new AbortController();

  const server = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? "/", "http://front.invalid");
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const entry = rules.find(
      ({ rule, left }) =>
        left > 0 && (typeof rule.path === "string" ? path.includes(rule.path) : rule.path.test(path)),
    );
    if (entry) entry.left -= 1;
    requests.push({
      path,
      search: url.search,
      authorization: req.headers.authorization,
      rule: entry?.rule.name,
      at: Date.now(),
    });
    const forward = async (): Promise<Upstream> => {
      const headers: Record<string, string> = {};
      for (const name of ["authorization", "accept", "user-agent"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      const response = await fetch(`${upstreamOrigin}${url.pathname}${url.search}`, {
        headers,
        redirect: "manual",
      });
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (!["content-length", "transfer-encoding", "connection", "keep-alive"].includes(name))
          out[name] = value;
      });
      return { status: response.status, headers: out, body: await response.text() };
    };
    const respond =
      entry?.rule.respond ??
      (async (_req: IncomingMessage, response: ServerResponse, fwd: () => Promise<Upstream>) => {
        send(response, await fwd());
      });
    respond(req, res, forward).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  const origin = await listen(server);
  return {
    baseUrl: `${origin}${API_PREFIX}`,
    origin,
    requests,
    setRules: (next) => {
      rules = next.map((rule) => ({ rule, left: rule.times ?? Number.POSITIVE_INFINITY }));
    },
    stop: async () => {
      stopping.abort();
      await close(server);
    },
  };
}

export function send(res: ServerResponse, upstream: Upstream): void {
  res.writeHead(upstream.status, { ...upstream.headers, "content-length": Buffer.byteLength(upstream.body) });
  res.end(upstream.body);
}

/** A status and body instead of the simulator's answer. */
export function answer(
  name: string,
  path: FrontRule["path"],
  reply: { status: number; body: string; headers?: Record<string, string> },
  times?: number,
): FrontRule {
  return {
    name,
    path,
    ...(times === undefined ? {} : { times }),
    respond: async (_req, res) => send(res, { headers: {}, ...reply }),
  };
}

/** The simulator's answer, `delayMs` late (the client gives up first when its timeout is shorter). */
export function slow(name: string, path: FrontRule["path"], delayMs: number, times?: number): FrontRule {
  return {
    name,
    path,
    ...(times === undefined ? {} : { times }),
    respond: async (_req, res, forward) => {
      const gone = new AbortController();
      res.once("close", () => gone.abort());
      try {
        await sleep(delayMs, undefined, { signal: gone.signal });
      } catch {
        return; // the client hung up
      }
      send(res, await forward());
    },
  };
}

/** A 200 whose JSON array never ends: chunks of items, as fast as the client reads them. */
export function endless(name: string, path: FrontRule["path"]): FrontRule {
  return {
    name,
    path,
    respond: async (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.from(`${'{"serial":"Q2XX-XXXX-XXXX","status":"online"},'.repeat(1_000)}`);
      res.write("[");
      let open = true;
      res.once("close", () => {
        open = false;
      });
      while (open) {
        if (!res.write(chunk))
          await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
      }
    },
  };
}

/** The simulator's answer with its Link header replaced by `link(requestUrl)`. */
export function relink(
  name: string,
  path: FrontRule["path"],
  link: (requestUrl: URL) => string,
  times?: number,
): FrontRule {
  return {
    name,
    path,
    ...(times === undefined ? {} : { times }),
    respond: async (req, res, forward) => {
      const upstream = await forward();
      const host = req.headers.host ?? "127.0.0.1";
      const { link: _dropped, ...headers } = upstream.headers;
      send(res, {
        ...upstream,
        headers: { ...headers, link: link(new URL(req.url ?? "/", `http://${host}`)) },
      });
    },
  };
}

export interface KeyTrap {
  origin: string;
  /** The Authorization header of every request it received ("" when none). */
  authorizations: string[];
  stop(): Promise<void>;
}

/** Another host: answers every request with an empty page and remembers what it was sent. */
export async function startKeyTrap(): Promise<KeyTrap> {
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    authorizations.push(req.headers.authorization ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end("[]");
  });
  const origin = await listen(server);
  return { origin, authorizations, stop: () => close(server) };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
