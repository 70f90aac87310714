/**
 * Runs the local tools as a user does (a process of their own, through tsx), against the broker and
 * moto of the integration tier, and collects their output.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Called with the process once it is spawned (to watch what it starts). */
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * An empty directory for session files: the tools must not find a `npm start` someone else runs on
 * this machine.
 */
export const RUN_DIR = mkdtempSync(join(tmpdir(), "semaphore-cli-run-"));

export function runCli(
  tool: "invoke" | "topics" | "consume",
  args: string[],
  options: CliOptions = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, ["--import", "tsx", `infra/cli/${tool}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, SEMAPHORE_RUN_DIR: RUN_DIR, UV_THREADPOOL_SIZE: "64", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  options.onSpawn?.(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/**
 * Runs a tool on a terminal of its own (a pseudo-terminal from util-linux `script`), as a person at
 * a shell does; once its output shows `prompt`, types `reply` and Enter. Everything the tool writes,
 * stdout and stderr, arrives as the terminal shows it, in `stdout`.
 */
export function runCliOnTerminal(
  tool: "invoke" | "topics" | "consume",
  args: string[],
  answer: { prompt: string; reply: string },
): Promise<CliRun> {
  const command = [process.execPath, "--import", "tsx", `infra/cli/${tool}.ts`, ...args]
    .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
    .join(" ");
  const child = spawn("script", ["--quiet", "--return", "--command", command, "/dev/null"], {
    cwd: ROOT,
    env: { ...process.env, SEMAPHORE_RUN_DIR: RUN_DIR },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let answered = false;
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!answered && stdout.includes(answer.prompt)) {
      answered = true;
      child.stdin!.write(`${answer.reply}\n`);
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** The options that point a tool at the integration tier's broker, with a credentials file. */
export function kafkaArgs(): string[] {
  const kafka = inject("kafka");
  const file = join(mkdtempSync(join(tmpdir(), "semaphore-cli-creds-")), "kafka.json");
  writeFileSync(file, JSON.stringify({ username: kafka.username, password: kafka.password }), {
    mode: 0o600,
  });
  return [
    "--kafka-bootstrap",
    kafka.bootstrapServers,
    "--kafka-credentials",
    file,
    "--kafka-ca",
    kafka.caLocation,
  ];
}

/** The JSON lines of an output, parsed. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
