// Where the vendored Meraki Dashboard API spec lives. The tests and scripts/vendor-meraki-spec.ts
// name the files only through these constants, so moving to another spec version changes one line.

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { MERAKI_API_SPEC_VERSION } from "../operation.js";

export const MERAKI_SPEC_DIR_URL = new URL("./", import.meta.url);

export const fullSpecFileName = (version: string): string => `openapi-v${version}.json.gz`;
export const subsetSpecFileName = (version: string): string => `openapi-subset-v${version}.json`;

/** The complete official spec, gzipped, byte for byte as published. */
export const MERAKI_FULL_SPEC_URL = new URL(fullSpecFileName(MERAKI_API_SPEC_VERSION), MERAKI_SPEC_DIR_URL);

/** The operations Semaphore uses, extracted from the full spec by scripts/vendor-meraki-spec.ts. */
export const MERAKI_SUBSET_SPEC_URL = new URL(
  subsetSpecFileName(MERAKI_API_SPEC_VERSION),
  MERAKI_SPEC_DIR_URL,
);

/** Parses a JSON file, gunzipping it first when its name ends in `.gz`. Throws on any failure. */
export function readJsonFile(file: string | URL): unknown {
  const name = typeof file === "string" ? file : file.pathname;
  const bytes = readFileSync(file);
  return JSON.parse((name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8"));
}
