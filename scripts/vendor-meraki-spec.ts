// Regenerates the vendored subset of the Meraki Dashboard API spec (shared/meraki/openapi/):
//
//   npx tsx scripts/vendor-meraki-spec.ts [--spec <full.json|full.json.gz>] [--out <file>]
//                                         [--add <operationId>]... [<operationId>...]
//
// --spec  the complete spec (meraki/openapi, openapi/spec3.json), plain or gzipped; default the
//         vendored shared/meraki/openapi/openapi-v<MERAKI_API_SPEC_VERSION>.json.gz.
// --out   default shared/meraki/openapi/openapi-subset-v<the spec's info.version>.json.
// ids     positional operation ids replace the set; without any, the set is the operation ids of
//         the vendored subset, so a new spec version refreshes the same operations.
// --add   adds an operation id to that set (repeatable), e.g. when the simulator serves a new one.
//
// Exit status 2, with a message naming the cause, for bad arguments, an unknown operation id, a
// missing file, or a file that is not an OpenAPI document. shared/meraki/openapi/README.md says
// how to move to a new spec version.

import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  MERAKI_FULL_SPEC_URL,
  MERAKI_SPEC_DIR_URL,
  MERAKI_SUBSET_SPEC_URL,
  readJsonFile,
  subsetSpecFileName,
} from "../shared/meraki/openapi/spec-files.js";
import { MERAKI_API_SPEC_VERSION } from "../shared/meraki/operation.js";
import {
  asOpenApiDocument,
  extractSubset,
  type OpenApiDocument,
  operationIdsOf,
  renderSpec,
  SpecError,
} from "./meraki-spec-subset.js";

const USAGE =
  "usage: npx tsx scripts/vendor-meraki-spec.ts [--spec <file>] [--out <file>] [--add <operationId>]... [<operationId>...]";

export interface VendorResult {
  outFile: string;
  /** The full spec's info.version. */
  version: string;
  operations: number;
}

/** Reads, extracts and writes; throws SpecError (exit 2) for anything the caller can fix. */
export function vendorMerakiSpec(argv: readonly string[]): VendorResult {
  const args = parseArguments(argv);
  const full = readSpec(args.spec);
  const ids =
    args.ids.length > 0 ? args.ids : operationIdsOf(readSpec(fileURLToPath(MERAKI_SUBSET_SPEC_URL)));
  const subset = extractSubset(full, [...ids, ...args.add]);
  const outFile =
    args.out ?? fileURLToPath(new URL(subsetSpecFileName(full.info.version), MERAKI_SPEC_DIR_URL));
  writeFileSync(outFile, renderSpec(subset));
  return { outFile, version: full.info.version, operations: operationIdsOf(subset).length };
}

interface Arguments {
  spec: string;
  out: string | undefined;
  add: string[];
  ids: string[];
}

function parseArguments(argv: readonly string[]): Arguments {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        spec: { type: "string" },
        out: { type: "string" },
        add: { type: "string", multiple: true },
      },
    });
    return {
      spec: values.spec ?? fileURLToPath(MERAKI_FULL_SPEC_URL),
      out: values.out,
      add: values.add ?? [],
      ids: positionals,
    };
  } catch (error) {
    throw new SpecError(`${(error as Error).message}\n${USAGE}`);
  }
}

function readSpec(file: string): OpenApiDocument {
  let value: unknown;
  try {
    value = readJsonFile(file);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new SpecError(`cannot read ${file}: ${reason}`);
  }
  try {
    return asOpenApiDocument(value);
  } catch (error) {
    throw new SpecError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function main(): void {
  try {
    const { outFile, version, operations } = vendorMerakiSpec(process.argv.slice(2));
    console.log(`wrote ${outFile} (${operations} operations)`);
    if (version !== MERAKI_API_SPEC_VERSION) {
      console.log(`spec version ${version}: see shared/meraki/openapi/README.md for the remaining steps`);
    }
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    console.error(`vendor-meraki-spec: ${error.message}`);
    process.exitCode = 2;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
