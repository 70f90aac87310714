/**
 * How every command-line tool starts and ends: arguments parsed with node:util's parseArgs (a bad
 * option is a UsageError), a known failure printed as one line with its class name, anything else
 * with its stack, and an exit code (0 success, 1 failure, 2 usage).
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { SemaphoreError } from "../../../shared/errors.js";
import { UsageError } from "./errors.js";

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/** parseArgs, with its TypeErrors (unknown option, missing value) as UsageErrors. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): Parsed<T> {
  try {
    return parseArgs(config);
  } catch (error) {
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/**
 * Runs `main` and exits with its code. `usage` is printed after a UsageError and for `--help`.
 * process.exit is safe here: stdout and stderr are synchronous for files, pipes and terminals on
 * Linux, so nothing written is lost; and it ends whatever Kafka client is still closing.
 */
export function runCommand(name: string, usage: string, main: () => Promise<number>): void {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  // `npm run consume -- <kind> | head`: once the reader has gone, there is no one left to write to.
  // A command that stops on Ctrl-C stops as if it had been given (npm start stops what it started);
  // any other ends here. Writes after that fail too, and are dropped.
  let readerGone = false;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (readerGone) return;
    if (error.code !== "EPIPE") throw error;
    readerGone = true;
    if (process.listenerCount("SIGINT") > 0) process.emit("SIGINT", "SIGINT");
    else process.exit(0);
  });
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${describeFailure(name, error, usage)}\n`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}

export function describeFailure(name: string, error: unknown, usage: string): string {
  if (error instanceof UsageError) return `${name}: ${error.message}\n\n${usage}`;
  if (error instanceof SemaphoreError) return `${name}: ${error.name}: ${error.message}`;
  if (error instanceof Error) return `${name}: unexpected ${error.stack ?? error.message}`;
  return `${name}: unexpected failure: ${String(error)}`;
}

/** A positive integer option, or a UsageError naming the option. */
export function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new UsageError(`--${option} must be a whole number of at least 1, not "${value}"`);
  }
  return number;
}
