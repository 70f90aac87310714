/**
 * Item 4 of issue 11, for the cases of one test file: everything the code under test writes to
 * stdout, stderr or the console while the file runs (Powertools log lines at DEBUG, EMF documents,
 * anything printed), plus every error and summary the cases got back, noted whole (message, stack,
 * cause chain and own fields), searched for known secret values at the end. Output is kept, not
 * shown; FAULTS_VERBOSE=1 passes it through as well.
 */
import { inspect } from "node:util";

export interface LeakWatch {
  start(): void;
  stop(): void;
  /** Keeps a value the code under test returned or threw. */
  note(where: string, value: unknown): void;
  /** Where each secret (by label) was seen: empty when none was. */
  findings(secrets: Readonly<Record<string, string>>): string[];
  /** Everything captured and noted, for the checks that the watch saw what it should. */
  text(): string;
}

type Write = typeof process.stdout.write;
const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

export function leakWatch(): LeakWatch {
  const seen: Array<{ where: string; text: string }> = [];
  const undo: Array<() => void> = [];
  const verbose = process.env.FAULTS_VERBOSE === "1";
  return {
    start() {
      for (const [name, stream] of [
        ["stdout", process.stdout],
        ["stderr", process.stderr],
      ] as const) {
        const original = stream.write;
        const write = (chunk: unknown, ...rest: unknown[]): boolean => {
          seen.push({
            where: name,
            text: typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"),
          });
          if (verbose) return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
          const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
          callback?.();
          return true;
        };
        stream.write = write as Write;
        undo.push(() => {
          stream.write = original;
        });
      }
      for (const method of CONSOLE_METHODS) {
        const original = console[method];
        console[method] = (...args: unknown[]) => {
          seen.push({ where: `console.${method}`, text: args.map((arg) => describe(arg)).join(" ") });
          if (verbose) original.apply(console, args);
        };
        undo.push(() => {
          console[method] = original;
        });
      }
    },
    stop() {
      for (const restore of undo.splice(0).reverse()) restore();
    },
    note(where, value) {
      seen.push({ where, text: describe(value) });
    },
    findings(secrets) {
      const found: string[] = [];
      for (const [label, secret] of Object.entries(secrets)) {
        if (secret.length < 6) throw new Error(`secret "${label}" is too short to search for`);
        for (const { where, text } of seen) if (text.includes(secret)) found.push(`${label} in ${where}`);
      }
      return [...new Set(found)];
    },
    text: () => seen.map(({ text }) => text).join("\n"),
  };
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  const inspected = inspect(value, {
    depth: 12,
    breakLength: Number.POSITIVE_INFINITY,
    maxStringLength: null,
  });
  let json = "";
  try {
    json = JSON.stringify(value) ?? "";
  } catch {
    // cyclic: the inspected form has it all
  }
  return `${inspected}\n${json}`;
}
