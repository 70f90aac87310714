/**
 * Builds the Lambda layer that provides @confluentinc/kafka-javascript to the sweep functions:
 * the package's JavaScript from the npm registry (install scripts off, so nothing is compiled for
 * the machine running this), then Confluent's prebuilt linux-glibc-arm64 binary for Node ABI 137
 * (nodejs24.x) fetched by node-pre-gyp from the project's GitHub releases, then the same checks
 * `cdk synth` runs (AArch64, ELFCLASS64, glibc <= 2.34, < 250 MB). Works the same on Linux and
 * macOS, x64 or arm64: nothing is built for, or loaded on, the host.
 *
 *   npx tsx infra/native-layer/build.ts [--out infra/native-layer/build/layer] [--binary <tarball>]
 *
 * --binary uses an already downloaded release tarball (for machines without GitHub access; the
 * file name must be the one printed by the download step). Alternatively, a mirror of the release
 * assets can be given with npm_config_confluent_kafka_javascript_binary_host_mirror=<url>.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pinnedKafkaVersion, repositoryRoot } from "./project.js";
import {
  assertLayerDirectory,
  KAFKA_BINARY,
  KAFKA_PACKAGE,
  KAFKA_PACKAGE_DIR,
  LAMBDA_TARGET,
  LAYER_MANIFEST,
  type LayerManifest,
  layerManifest,
} from "./verify.js";

export const DEFAULT_LAYER_DIRECTORY = "infra/native-layer/build/layer";

/** node-pre-gyp's target options: the Lambda runtime, never the host. */
const TARGET_ARGS = [
  `--target_arch=${LAMBDA_TARGET.arch}`,
  `--target_platform=${LAMBDA_TARGET.platform}`,
  `--target_libc=${LAMBDA_TARGET.libc}`,
  `--target=${LAMBDA_TARGET.nodeTarget}`,
];

/** Source, tests and build inputs the runtime never loads (the librdkafka sources alone are large). */
const PRUNE = [
  "deps",
  "src",
  "ci",
  "test",
  "e2e",
  "examples",
  "docs",
  "build/stage",
  "build/Release/obj.target",
];

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

export function buildLayer(outDirectory: string, options: { binaryTarball?: string } = {}): void {
  const root = repositoryRoot();
  const version = pinnedKafkaVersion(root);
  const nodejsDir = join(outDirectory, "nodejs");
  const pkgDir = join(outDirectory, KAFKA_PACKAGE_DIR);
  console.log(
    `[native-layer] ${KAFKA_PACKAGE}@${version} for ${LAMBDA_TARGET.runtime} arm64 into ${outDirectory}`,
  );

  rmSync(outDirectory, { recursive: true, force: true });
  mkdirSync(nodejsDir, { recursive: true });
  writeFileSync(join(nodejsDir, "package.json"), `${JSON.stringify({ private: true }, null, 2)}\n`);
  run(
    "npm",
    [
      "install",
      "--prefix",
      nodejsDir,
      "--ignore-scripts",
      "--omit=dev",
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--os=linux",
      "--cpu=arm64",
      "--libc=glibc",
      `${KAFKA_PACKAGE}@${version}`,
    ],
    root,
  );
  rmSync(join(nodejsDir, "package.json"));

  const nodePreGyp = join(nodejsDir, "node_modules/@mapbox/node-pre-gyp/bin/node-pre-gyp");
  const tarballUrl = run(
    process.execPath,
    [nodePreGyp, "reveal", "hosted_tarball", ...TARGET_ARGS, "--silent"],
    pkgDir,
  ).trim();
  const expectedName = `confluent-kafka-javascript-v${version}-node-v${LAMBDA_TARGET.nodeAbi}-linux-glibc-arm64.tar.gz`;
  if (basename(tarballUrl) !== expectedName) {
    throw new Error(`node-pre-gyp resolved ${tarballUrl}; expected a file named ${expectedName}`);
  }
  if (options.binaryTarball) {
    const tarball = resolve(options.binaryTarball);
    if (basename(tarball) !== expectedName) {
      throw new Error(`--binary must be ${expectedName} (the release asset for this version and target)`);
    }
    const moduleDir = join(outDirectory, KAFKA_BINARY, "..");
    mkdirSync(moduleDir, { recursive: true });
    // node-pre-gyp's own extraction strips the tarball's top directory into build/Release the same way.
    run("tar", ["-xzf", tarball, "-C", moduleDir, "--strip-components=1"], pkgDir);
    console.log(`[native-layer] extracted ${tarball}`);
  } else {
    console.log(`[native-layer] downloading ${tarballUrl}`);
    run(process.execPath, [nodePreGyp, "install", "--update-binary", ...TARGET_ARGS], pkgDir);
  }

  for (const path of PRUNE) rmSync(join(pkgDir, path), { recursive: true, force: true });

  const manifest: LayerManifest = layerManifest(version, "prebuilt", tarballUrl);
  writeFileSync(join(outDirectory, LAYER_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);

  const report = assertLayerDirectory(outDirectory, version);
  for (const binary of report.binaries) {
    const i = binary.info;
    console.log(
      `[native-layer] ${binary.path}: AArch64 ELF64, needs ${i?.needed.join(", ") || "nothing"}` +
        `${i?.runpath ? `, runpath ${i.runpath}` : ""}`,
    );
  }
  for (const warning of report.warnings) console.warn(`[native-layer] warning: ${warning}`);
  console.log(
    `[native-layer] ok: ${(report.sizeBytes / 1_048_576).toFixed(1)} MiB unzipped, verified for arm64 glibc`,
  );
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === resolve(repositoryRoot(), "infra/native-layer/build.ts")
) {
  const { values } = parseArgs({
    options: { out: { type: "string", default: DEFAULT_LAYER_DIRECTORY }, binary: { type: "string" } },
  });
  const out = resolve(repositoryRoot(), values.out);
  try {
    buildLayer(out, values.binary ? { binaryTarball: values.binary } : {});
  } catch (error) {
    console.error(`[native-layer] FAILED: ${(error as Error).message}`);
    console.error(
      "The download needs access to github.com (Confluent publishes the binaries as release assets). " +
        "Without it, download the file named above elsewhere and pass --binary <file>.",
    );
    process.exit(1);
  }
}
