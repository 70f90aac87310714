/** Lines of text for a log, given one by one and written out together. */
export interface LineOutput {
  /** One line without its newline. */
  write(line: string): void;
  /** Writes out every line given since the last flush. A failure here is a failure to write them. */
  flush(): void;
}

/** Where stdoutLines' lines go: process.stdout by default. */
export interface ByteSink {
  write(bytes: Uint8Array): unknown;
}

/** The size of each buffer lines are encoded into, unless the lines held back need more. */
const CHUNK_BYTES = 1 << 20;

/**
 * Lines for stdout (CloudWatch Logs in Lambda), held back and written together on flush(): one
 * write(2) per line was a third of a 10,000-record batch's time. Each line is encoded as UTF-8
 * straight into a buffer as it is given: joining a batch's 6 MB of lines into one string first cost
 * ten times as much, most of it flattening the joined string. Bytes handed to the sink are never
 * written over (a full buffer is replaced, not reused), so a sink may keep them. Stdout is still
 * synchronous for pipes and files on Linux, so the lines are out when flush() returns. A failed
 * write drops what it held: the batch fails and is delivered again.
 */
export function stdoutLines(sink: ByteSink = process.stdout): LineOutput {
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Where the lines not yet flushed begin, and where the next one goes. */
  let start = 0;
  let end = 0;
  return {
    write(line) {
      // UTF-8 takes at most three bytes per UTF-16 unit, plus the newline.
      const room = line.length * 3 + 1;
      if (end + room > buffer.length) {
        // Doubled past a chunk, so lines held back by the megabyte are copied a few times, not per line.
        const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 2 * (end - start + room)));
        end = buffer.copy(next, 0, start, end);
        start = 0;
        buffer = next;
      }
      end += buffer.write(line, end);
      buffer[end++] = 0x0a;
    },
    flush() {
      if (end === start) return;
      const lines = buffer.subarray(start, end);
      start = end;
      sink.write(lines);
    },
  };
}
