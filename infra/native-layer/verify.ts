/**
 * Checks that a Lambda layer directory holds a Kafka client the nodejs24.x ARM64 runtime can load:
 * every ELF file in it is 64-bit AArch64, linked against glibc (not musl) no newer than Amazon
 * Linux 2023's, the layer's package is the version the functions were bundled against, its manifest
 * names the runtime's Node ABI, and the whole layer fits Lambda's 250 MB unzipped limit.
 * Pure TypeScript, no dependencies: `cdk synth` runs it before the layer is packaged.
 */
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { join, relative } from "node:path";
import {
  compareVersions,
  ELFCLASS64,
  type ElfInfo,
  EM_AARCH64,
  ET_DYN,
  highestRequiredVersion,
  isElf,
  libcFlavour,
  machineName,
  parseElf,
} from "./elf.js";

/** What the functions run on: the nodejs24.x managed runtime on ARM64 (Amazon Linux 2023). */
export const LAMBDA_TARGET = {
  runtime: "nodejs24.x",
  /** NODE_MODULE_VERSION of Node.js 24. */
  nodeAbi: 137,
  /** The version node-pre-gyp maps to that ABI (its abi_crosswalk knows 24.0.0 -> 137). */
  nodeTarget: "24.0.0",
  platform: "linux",
  arch: "arm64",
  libc: "glibc",
  machine: EM_AARCH64,
  /** Amazon Linux 2023's glibc and libstdc++ (GCC 11): a binary needing newer symbols fails to load. */
  maxGlibc: "2.34",
  maxGlibcxx: "3.4.29",
  /** Lambda's limit on a function's unzipped code plus all its layers. */
  maxUnzippedBytes: 262_144_000,
} as const;

export const KAFKA_PACKAGE = "@confluentinc/kafka-javascript";
/** Where the Node.js runtime looks for layer modules: /opt/nodejs/node_modules. */
export const KAFKA_PACKAGE_DIR = `nodejs/node_modules/${KAFKA_PACKAGE}`;
export const KAFKA_BINARY = `${KAFKA_PACKAGE_DIR}/build/Release/confluent-kafka-javascript.node`;
export const LAYER_MANIFEST = "semaphore-layer.json";

/** Libraries every Lambda ARM64 execution environment provides (glibc, libstdc++, libgcc). */
const SYSTEM_LIBRARIES = new Set([
  "libc.so.6",
  "libm.so.6",
  "libpthread.so.0",
  "libdl.so.2",
  "librt.so.1",
  "libresolv.so.2",
  "libstdc++.so.6",
  "libgcc_s.so.1",
  "ld-linux-aarch64.so.1",
]);

/** semaphore-layer.json: written by build.ts (or fixture.ts), read here and by `cdk synth`. */
export interface LayerManifest {
  schemaVersion: 1;
  package: typeof KAFKA_PACKAGE;
  version: string;
  target: { runtime: string; nodeAbi: number; platform: string; arch: string; libc: string };
  /** "prebuilt": Confluent's released binary; "test-fixture": a stand-in that cannot talk to Kafka. */
  source: "prebuilt" | "test-fixture";
  /** Where the binary came from (the release tarball's URL), for the record. */
  binary?: string;
}

/** The manifest of a layer built for LAMBDA_TARGET, whichever way its binary was obtained. */
export function layerManifest(
  version: string,
  source: LayerManifest["source"],
  binary?: string,
): LayerManifest {
  const { runtime, nodeAbi, platform, arch, libc } = LAMBDA_TARGET;
  return {
    schemaVersion: 1,
    package: KAFKA_PACKAGE,
    version,
    target: { runtime, nodeAbi, platform, arch, libc },
    source,
    ...(binary ? { binary } : {}),
  };
}

export interface BinaryReport {
  path: string;
  info?: ElfInfo;
  problems: string[];
  warnings: string[];
}

export interface LayerReport {
  directory: string;
  manifest?: LayerManifest;
  sizeBytes: number;
  binaries: BinaryReport[];
  problems: string[];
  warnings: string[];
}

export class NativeLayerError extends Error {
  override readonly name = "NativeLayerError";
}

/** Checks one ELF file against the Lambda target. `path` only labels the messages. */
export function checkNativeBinary(
  bytes: Uint8Array,
  path: string,
  layerFiles: ReadonlySet<string> = new Set(),
): BinaryReport {
  const report: BinaryReport = { path, problems: [], warnings: [] };
  let info: ElfInfo;
  try {
    info = parseElf(bytes);
  } catch (error) {
    report.problems.push(`${path}: unreadable ELF file: ${(error as Error).message}`);
    return report;
  }
  report.info = info;
  if (info.elfClass !== ELFCLASS64) {
    report.problems.push(`${path}: 32-bit ELF (ELFCLASS32); Lambda arm64 needs 64-bit (ELFCLASS64)`);
  }
  if (info.machine !== LAMBDA_TARGET.machine) {
    report.problems.push(
      `${path}: built for ${machineName(info.machine)} (e_machine ${info.machine}); ` +
        `Lambda arm64 needs AArch64 (e_machine ${EM_AARCH64})`,
    );
  }
  if (info.type !== ET_DYN && /\.(node|so)(\.\d+)*$/.test(path)) {
    report.problems.push(
      `${path}: not a shared object (e_type ${info.type}); a native module must be ET_DYN`,
    );
  }
  const libc = libcFlavour(info);
  if (libc === "musl") {
    report.problems.push(
      `${path}: linked against musl (${[info.interpreter, ...info.needed].filter(Boolean).join(", ")}); ` +
        "the Lambda runtime (Amazon Linux 2023) uses glibc: use the linux-glibc-arm64 build",
    );
  } else if (libc === "unknown") {
    report.problems.push(`${path}: links no known C library (no libc.so.6 in DT_NEEDED); expected glibc`);
  }
  const glibc = highestRequiredVersion(info, "GLIBC_");
  if (
    glibc &&
    compareVersions(glibc.split(".").map(Number), LAMBDA_TARGET.maxGlibc.split(".").map(Number)) > 0
  ) {
    report.problems.push(
      `${path}: needs GLIBC_${glibc}, newer than Amazon Linux 2023's glibc ${LAMBDA_TARGET.maxGlibc}; ` +
        "it would fail to load on Lambda",
    );
  }
  const glibcxx = highestRequiredVersion(info, "GLIBCXX_");
  if (
    glibcxx &&
    compareVersions(glibcxx.split(".").map(Number), LAMBDA_TARGET.maxGlibcxx.split(".").map(Number)) > 0
  ) {
    report.problems.push(
      `${path}: needs GLIBCXX_${glibcxx}, newer than Amazon Linux 2023's libstdc++ (GLIBCXX_${LAMBDA_TARGET.maxGlibcxx})`,
    );
  }
  for (const lib of info.needed) {
    if (!SYSTEM_LIBRARIES.has(lib) && !layerFiles.has(lib)) {
      report.warnings.push(
        `${path}: needs ${lib}, which is neither in the layer nor a glibc/libstdc++ library`,
      );
    }
  }
  return report;
}

function readHead(path: string, length: number): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const buffer = new Uint8Array(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function walk(dir: string, files: Array<{ path: string; size: number }>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, files);
    else if (entry.isFile()) files.push({ path, size: lstatSync(path).size });
    else if (entry.isSymbolicLink()) files.push({ path, size: lstatSync(path).size });
  }
}

function readManifest(directory: string, problems: string[]): LayerManifest | undefined {
  const path = join(directory, LAYER_MANIFEST);
  if (!existsSync(path)) {
    problems.push(`${LAYER_MANIFEST} is missing: the directory was not made by infra/native-layer/build.ts`);
    return undefined;
  }
  try {
    const manifest = JSON.parse(readFileSync(path, "utf8")) as LayerManifest;
    if (manifest.schemaVersion !== 1 || manifest.package !== KAFKA_PACKAGE || !manifest.target) {
      problems.push(`${LAYER_MANIFEST} is not a Semaphore layer manifest for ${KAFKA_PACKAGE}`);
      return undefined;
    }
    return manifest;
  } catch (error) {
    problems.push(`${LAYER_MANIFEST} is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Checks a layer directory. `expectedVersion` is the @confluentinc/kafka-javascript version the
 * functions are bundled against (package.json), so the layer's JavaScript and binary match it.
 */
export function verifyLayerDirectory(directory: string, expectedVersion: string): LayerReport {
  const report: LayerReport = { directory, sizeBytes: 0, binaries: [], problems: [], warnings: [] };
  if (!existsSync(directory) || !lstatSync(directory).isDirectory()) {
    report.problems.push(`${directory} does not exist or is not a directory`);
    return report;
  }
  const manifest = readManifest(directory, report.problems);
  if (manifest) {
    report.manifest = manifest;
    const t = manifest.target;
    const expected = LAMBDA_TARGET;
    if (t.nodeAbi !== expected.nodeAbi || t.arch !== expected.arch || t.platform !== expected.platform) {
      report.problems.push(
        `the layer was built for ${t.platform}-${t.arch} Node ABI ${t.nodeAbi}; ` +
          `${expected.runtime} needs ${expected.platform}-${expected.arch} Node ABI ${expected.nodeAbi}`,
      );
    }
    if (t.libc !== expected.libc)
      report.problems.push(`the layer was built for ${t.libc}; Lambda needs glibc`);
    if (manifest.version !== expectedVersion) {
      report.problems.push(
        `the layer holds ${KAFKA_PACKAGE}@${manifest.version} but the functions are bundled against ` +
          `${expectedVersion} (package.json): rebuild the layer`,
      );
    }
  }

  const packageJson = join(directory, KAFKA_PACKAGE_DIR, "package.json");
  if (!existsSync(packageJson)) {
    report.problems.push(
      `${KAFKA_PACKAGE_DIR}/package.json is missing: the runtime would not find the module`,
    );
  } else {
    const version = (JSON.parse(readFileSync(packageJson, "utf8")) as { version?: string }).version;
    if (version !== expectedVersion) {
      report.problems.push(`${KAFKA_PACKAGE_DIR} is version ${version}; expected ${expectedVersion}`);
    }
  }
  if (!existsSync(join(directory, KAFKA_BINARY))) {
    report.problems.push(`${KAFKA_BINARY} is missing: the native binary was not installed`);
  }

  const files: Array<{ path: string; size: number }> = [];
  walk(directory, files);
  report.sizeBytes = files.reduce((sum, f) => sum + f.size, 0);
  if (report.sizeBytes >= LAMBDA_TARGET.maxUnzippedBytes) {
    report.problems.push(
      `the layer is ${(report.sizeBytes / 1_048_576).toFixed(1)} MiB unzipped; Lambda allows ` +
        `${(LAMBDA_TARGET.maxUnzippedBytes / 1_048_576).toFixed(0)} MiB for a function and all its layers`,
    );
  }
  const elfFiles = files.filter((f) => f.size >= 4 && isElf(readHead(f.path, 4)));
  const names = new Set(elfFiles.map((f) => f.path.split("/").pop() ?? ""));
  for (const file of elfFiles) {
    const binary = checkNativeBinary(readFileSync(file.path), relative(directory, file.path), names);
    report.binaries.push(binary);
    report.problems.push(...binary.problems);
    report.warnings.push(...binary.warnings);
  }
  if (elfFiles.length === 0 && report.problems.length === 0) {
    report.problems.push("the layer holds no native binary");
  }
  return report;
}

/** verifyLayerDirectory, throwing NativeLayerError with every problem and how to fix it. */
export function assertLayerDirectory(directory: string, expectedVersion: string): LayerReport {
  const report = verifyLayerDirectory(directory, expectedVersion);
  if (report.problems.length > 0) {
    throw new NativeLayerError(
      `the native Kafka client layer at ${directory} cannot run on Lambda ${LAMBDA_TARGET.runtime} arm64:\n` +
        report.problems.map((p) => `  - ${p}`).join("\n") +
        "\nBuild it with `npx tsx infra/native-layer/build.ts` (downloads Confluent's prebuilt " +
        "linux-glibc-arm64 binary; see README.md, section Deploy), or point nativeLayer.directory at a built layer.",
    );
  }
  return report;
}
