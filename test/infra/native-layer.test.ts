/** The layer-directory check `cdk synth` runs, on generated layers (the real one needs GitHub). */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createFixtureLayer } from "../../infra/native-layer/fixture.js";
import { pinnedKafkaVersion } from "../../infra/native-layer/project.js";
import {
  assertLayerDirectory,
  KAFKA_BINARY,
  LAYER_MANIFEST,
  NativeLayerError,
  verifyLayerDirectory,
} from "../../infra/native-layer/verify.js";

const work = mkdtempSync(join(tmpdir(), "semaphore-layers-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const version = pinnedKafkaVersion();
let n = 0;
const freshFixture = () => createFixtureLayer(join(work, `layer-${++n}`));

describe("native layer directory", () => {
  it("passes for the generated AArch64 glibc fixture, which says it is a fixture", () => {
    const report = assertLayerDirectory(freshFixture(), version);
    expect(report.problems).toEqual([]);
    expect(report.manifest?.source).toBe("test-fixture");
    expect(report.binaries.map((b) => b.path)).toEqual([KAFKA_BINARY]);
    expect(report.binaries[0]!.info?.machine).toBe(183);
  });

  it("fails, naming the file and the machine, when the binary is this machine's x86-64 build", () => {
    const dir = freshFixture();
    copyFileSync(
      "node_modules/@confluentinc/kafka-javascript/build/Release/confluent-kafka-javascript.node",
      join(dir, KAFKA_BINARY),
    );
    expect(() => assertLayerDirectory(dir, version)).toThrow(NativeLayerError);
    expect(() => assertLayerDirectory(dir, version)).toThrow(
      /confluent-kafka-javascript\.node: built for x86-64 \(e_machine 62\); Lambda arm64 needs AArch64 \(e_machine 183\)/,
    );
    expect(() => assertLayerDirectory(dir, version)).toThrow(/npx tsx infra\/native-layer\/build\.ts/);
  });

  it("fails when the directory was never built", () => {
    expect(() => assertLayerDirectory(join(work, "missing"), version)).toThrow(
      /does not exist or is not a directory/,
    );
  });

  it("fails when the layer is for another Node ABI or another package version", () => {
    const dir = freshFixture();
    const manifestPath = join(dir, LAYER_MANIFEST);
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.target.nodeAbi = 127;
    manifest.version = "1.0.0";
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const problems = verifyLayerDirectory(dir, version).problems.join("\n");
    expect(problems).toMatch(
      /built for linux-arm64 Node ABI 127; nodejs24\.x needs linux-arm64 Node ABI 137/,
    );
    expect(problems).toMatch(
      /holds @confluentinc\/kafka-javascript@1\.0\.0 but the functions are bundled against/,
    );
  });

  it("fails when the layer is 250 MB or more unzipped", () => {
    const dir = freshFixture();
    const filler = join(dir, "nodejs", "filler.bin");
    writeFileSync(filler, "");
    truncateSync(filler, 262_144_000); // sparse: counts its apparent size without using the disk
    expect(verifyLayerDirectory(dir, version).problems.join("\n")).toMatch(
      /MiB unzipped; Lambda allows 250 MiB/,
    );
  });
});
