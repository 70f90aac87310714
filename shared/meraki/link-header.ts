// RFC 8288 Link header parsing. Meraki pages with `Link: <url>; rel=first, <url>; rel=next, ...`
// and the spec says the cursor tokens in those URLs are the server's business, so the client
// follows them verbatim. A split on "," is not enough: URLs may contain commas and parameter
// values may be quoted strings containing "," or ";". This is a small tokenizer instead.

export interface LinkValue {
  /** The URI reference exactly as written between < and >. */
  uri: string;
  /** Parameters by lower-cased name; the first occurrence wins (RFC 8288 section 3). */
  params: Record<string, string>;
}

const WHITESPACE = /[ \t]/;

/** Parses a Link header value (several headers joined with ", " are fine) into its links. */
export function parseLinkHeader(header: string | null | undefined): LinkValue[] {
  if (header === null || header === undefined) return [];
  const links: LinkValue[] = [];
  let i = 0;
  const n = header.length;

  const skipWhitespace = (): void => {
    while (i < n && WHITESPACE.test(header[i] ?? "")) i++;
  };
  // Recovery from malformed input: drop everything up to the next top-level comma.
  const skipToNextLink = (): void => {
    let quoted = false;
    while (i < n) {
      const c = header[i];
      if (quoted && c === "\\") i++;
      else if (c === '"') quoted = !quoted;
      else if (!quoted && c === ",") break;
      i++;
    }
    i++;
  };

  while (i < n) {
    skipWhitespace();
    if (header[i] === ",") {
      i++;
      continue;
    }
    if (header[i] !== "<") {
      skipToNextLink();
      continue;
    }
    const end = header.indexOf(">", i + 1);
    if (end === -1) break;
    const uri = header.slice(i + 1, end).trim();
    i = end + 1;
    const params: Record<string, string> = {};
    let malformed = false;
    for (;;) {
      skipWhitespace();
      if (i >= n || header[i] === ",") break;
      if (header[i] !== ";") {
        malformed = true;
        break;
      }
      i++;
      skipWhitespace();
      const nameStart = i;
      while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(header[i] ?? "")) i++;
      const name = header.slice(nameStart, i).toLowerCase();
      skipWhitespace();
      let value = "";
      if (header[i] === "=") {
        i++;
        skipWhitespace();
        if (header[i] === '"') {
          i++;
          while (i < n && header[i] !== '"') {
            if (header[i] === "\\" && i + 1 < n) i++;
            value += header[i];
            i++;
          }
          i++;
        } else {
          const valueStart = i;
          while (i < n && !/[;,\s]/.test(header[i] ?? "")) i++;
          value = header.slice(valueStart, i);
        }
      }
      if (name !== "" && !(name in params)) params[name] = value;
    }
    if (malformed) {
      skipToNextLink();
      continue;
    }
    links.push({ uri, params });
  }
  return links;
}

/**
 * The URI of the first link whose `rel` contains `relation`. rel holds space-separated relation
 * types compared case-insensitively, so `rel="next last"` counts as next.
 */
export function findLinkByRel(header: string | null | undefined, relation: string): string | undefined {
  const wanted = relation.toLowerCase();
  for (const link of parseLinkHeader(header)) {
    const rels = (link.params.rel ?? "").toLowerCase().split(/\s+/);
    if (rels.includes(wanted)) return link.uri;
  }
  return undefined;
}
