/**
 * Takes over what the process writes to stdout and stderr, line by line, so that a terminal view
 * can show the functions' output (Powertools' Logger and Metrics write to the streams themselves:
 * INFO lines and EMF to stdout, WARN and ERROR to stderr) in its own way. The original writers stay
 * available for the view's own output.
 */

type Write = typeof process.stdout.write;

export interface OutputTap {
  /** Write to the real stdout / stderr. */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Hands over any unfinished line and gives the streams back. */
  restore(): void;
}

export function tapOutput(onLine: (line: string, stream: "stdout" | "stderr") => void): OutputTap {
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  const partial = { stdout: "", stderr: "" };
  const tap = (name: "stdout" | "stderr"): Write =>
    ((chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const lines = (partial[name] + text).split("\n");
      partial[name] = lines.pop() ?? "";
      for (const line of lines) onLine(line, name);
      const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    }) as Write;
  process.stdout.write = tap("stdout");
  process.stderr.write = tap("stderr");
  const real = (name: "stdout" | "stderr") => (text: string) => {
    originals[name].call(process[name], text);
  };
  return {
    stdout: real("stdout"),
    stderr: real("stderr"),
    restore() {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
      for (const name of ["stdout", "stderr"] as const) {
        if (partial[name] !== "") onLine(partial[name], name);
        partial[name] = "";
      }
    },
  };
}
