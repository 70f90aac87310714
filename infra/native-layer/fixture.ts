/**
 * A test-fixture layer: the layout and manifest of a real layer, with a tiny AArch64 glibc shared
 * object compiled here by the Debian cross compiler in place of Confluent's binary. It passes the
 * same verifier as the real layer, so templates can be synthesized and tested offline, but it
 * cannot talk to Kafka: its manifest says "test-fixture" and the stack then refuses to deploy it.
 *
 *   npx tsx infra/native-layer/fixture.ts <directory>
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pinnedKafkaVersion } from "./project.js";
import {
  KAFKA_BINARY,
  KAFKA_PACKAGE,
  KAFKA_PACKAGE_DIR,
  LAYER_MANIFEST,
  type LayerManifest,
  layerManifest,
} from "./verify.js";

export const AARCH64_CC = process.env.AARCH64_CC ?? "aarch64-linux-gnu-gcc";

export class CrossCompilerMissingError extends Error {
  override readonly name = "CrossCompilerMissingError";
}

/** Compiles C source into an AArch64 ELF with the Debian cross compiler (gcc-aarch64-linux-gnu). */
export function compileAarch64(
  source: string,
  output: string,
  args: string[] = ["-shared", "-fPIC"],
): string {
  const work = mkdtempSync(join(tmpdir(), "semaphore-aarch64-"));
  try {
    const file = join(work, "source.c");
    writeFileSync(file, source);
    mkdirSync(dirname(output), { recursive: true });
    execFileSync(AARCH64_CC, [...args, "-o", output, file], { stdio: ["ignore", "ignore", "pipe"] });
    return output;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CrossCompilerMissingError(
        `${AARCH64_CC} not found: the native-layer tests compile real AArch64 ELF files. ` +
          "Install the cross compiler: apt-get install -y gcc-aarch64-linux-gnu (Debian/Ubuntu), " +
          "or set AARCH64_CC to another aarch64-linux-gnu C compiler.",
      );
    }
    throw error;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The C source of the stand-in module: links libc (strlen) like any real native module does. */
const FIXTURE_SOURCE = `#include <string.h>
const char *semaphore_fixture_id(void) { return "semaphore test fixture: not a Kafka client"; }
unsigned long semaphore_fixture_len(void) { return strlen(semaphore_fixture_id()); }
`;

/** Writes a verifier-clean test-fixture layer into `directory` (replacing what was there). */
export function createFixtureLayer(directory: string, version = pinnedKafkaVersion()): string {
  rmSync(directory, { recursive: true, force: true });
  const pkgDir = join(directory, KAFKA_PACKAGE_DIR);
  mkdirSync(join(pkgDir, "lib"), { recursive: true });
  writeFileSync(
    join(pkgDir, "package.json"),
    `${JSON.stringify({ name: KAFKA_PACKAGE, version, main: "lib/index.js" }, null, 2)}\n`,
  );
  writeFileSync(
    join(pkgDir, "lib/index.js"),
    'throw new Error("Semaphore test-fixture layer: this is not the Kafka client; build the real layer with infra/native-layer/build.ts");\n',
  );
  compileAarch64(FIXTURE_SOURCE, join(directory, KAFKA_BINARY), [
    "-shared",
    "-fPIC",
    "-O2",
    "-Wl,--no-as-needed",
  ]);
  const manifest: LayerManifest = layerManifest(version, "test-fixture");
  writeFileSync(join(directory, LAYER_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return directory;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (!target) {
    console.error("usage: npx tsx infra/native-layer/fixture.ts <directory>");
    process.exit(2);
  }
  createFixtureLayer(resolve(target));
  console.log(
    `test-fixture layer written to ${resolve(target)} (synth only: the stack refuses to deploy it)`,
  );
}
