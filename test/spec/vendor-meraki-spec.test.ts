import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpecError } from "../../scripts/meraki-spec-subset.js";
import { vendorMerakiSpec } from "../../scripts/vendor-meraki-spec.js";
import { MERAKI_SUBSET_SPEC_URL } from "../../shared/meraki/openapi/spec-files.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/vendor-meraki-spec.ts", import.meta.url));
const vendored = readFileSync(MERAKI_SUBSET_SPEC_URL, "utf8");
const MINIMAL_SPEC = JSON.stringify({
  openapi: "3.0.1",
  info: { version: "2.0.0" },
  paths: { "/b": { get: { operationId: "getB" } }, "/a": { get: { operationId: "getA" } } },
});

describe("scripts/vendor-meraki-spec.ts", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vendor-meraki-spec-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("by default refreshes the vendored subset's operations from the vendored full spec", () => {
    const out = join(dir, "default.json");
    const result = vendorMerakiSpec(["--out", out]);
    expect(result).toEqual({ outFile: out, version: "1.73.0", operations: 25 });
    expect(readFileSync(out, "utf8")).toBe(vendored);
  });

  it("takes positional operation ids instead of the vendored set", () => {
    const spec = join(dir, "minimal.json");
    writeFileSync(spec, MINIMAL_SPEC);
    const out = join(dir, "positional.json");
    vendorMerakiSpec(["--spec", spec, "--out", out, "getB"]);
    expect(Object.keys(JSON.parse(readFileSync(out, "utf8")).paths)).toEqual(["/b"]);
  });

  it("adds --add operation ids to the set, and reads a gzipped spec", () => {
    const spec = join(dir, "minimal.json.gz");
    writeFileSync(spec, gzipSync(MINIMAL_SPEC));
    const out = join(dir, "added.json");
    vendorMerakiSpec(["--spec", spec, "--out", out, "getB", "--add", "getA"]);
    expect(Object.keys(JSON.parse(readFileSync(out, "utf8")).paths)).toEqual(["/a", "/b"]);
  });

  it("rejects an unknown operation id, naming it", () => {
    expect(() => vendorMerakiSpec(["--out", join(dir, "x.json"), "--add", "getNothing"])).toThrow(
      new SpecError("unknown operation id: getNothing"),
    );
  });

  it("rejects a missing spec file, naming it", () => {
    const spec = join(dir, "absent.json.gz");
    expect(() => vendorMerakiSpec(["--spec", spec])).toThrow(
      new SpecError(`cannot read ${spec}: no such file`),
    );
  });

  it("rejects a file that is not JSON", () => {
    const spec = join(dir, "garbage.json.gz");
    writeFileSync(spec, "not gzip");
    expect(() => vendorMerakiSpec(["--spec", spec])).toThrow(
      new SpecError(`cannot read ${spec}: incorrect header check`),
    );
  });

  it("rejects JSON that is not an OpenAPI document", () => {
    const spec = join(dir, "array.json");
    writeFileSync(spec, "[]");
    expect(() => vendorMerakiSpec(["--spec", spec])).toThrow(
      new SpecError(`cannot read ${spec}: not an OpenAPI document: not a JSON object`),
    );
  });

  it("exits with status 2 and the message on stderr, writing nothing", () => {
    const out = join(dir, "never.json");
    const run = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, "--out", out, "getNothing"], {
      encoding: "utf8",
    });
    expect({ status: run.status, stderr: run.stderr, stdout: run.stdout }).toEqual({
      status: 2,
      stderr: "vendor-meraki-spec: unknown operation id: getNothing\n",
      stdout: "",
    });
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });
});
