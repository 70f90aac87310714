import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KAFKA_PACKAGE } from "./verify.js";

/** The repository root (this file is infra/native-layer/project.ts). */
export function repositoryRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../..");
}

/** The @confluentinc/kafka-javascript version the functions are bundled against (package.json). */
export function pinnedKafkaVersion(root = repositoryRoot()): string {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const version = pkg.dependencies?.[KAFKA_PACKAGE];
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `package.json must pin ${KAFKA_PACKAGE} to an exact version (found ${version ?? "none"})`,
    );
  }
  return version;
}
