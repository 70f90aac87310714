import { describe, expect, it } from "vitest";
import { type ByteSink, stdoutLines } from "../../shared/observability/stdout-lines.js";

/** A sink that keeps every piece it is handed, as a stream holding them until written would. */
function keepingSink(): ByteSink & { pieces: Uint8Array[]; texts(): string[] } {
  const pieces: Uint8Array[] = [];
  return {
    pieces,
    write: (bytes) => pieces.push(bytes),
    texts: () => pieces.map((piece) => Buffer.from(piece).toString("utf8")),
  };
}

describe("stdout lines", () => {
  it("writes nothing until flushed, then every line given with its newline in one piece", () => {
    const sink = keepingSink();
    const out = stdoutLines(sink);
    out.write('{"n":1}');
    out.write('{"n":2}');
    expect(sink.pieces).toEqual([]);
    out.flush();
    expect(sink.texts()).toEqual(['{"n":1}\n{"n":2}\n']);
  });

  it("writes nothing for a flush with no line since the last one", () => {
    const sink = keepingSink();
    const out = stdoutLines(sink);
    out.flush();
    out.write("a");
    out.flush();
    out.flush();
    expect(sink.texts()).toEqual(["a\n"]);
  });

  it("encodes text outside ASCII as UTF-8", () => {
    const sink = keepingSink();
    const out = stdoutLines(sink);
    out.write('{"site":"Zürich 東京 🛰"}');
    out.flush();
    expect(sink.pieces[0]).toEqual(Buffer.from('{"site":"Zürich 東京 🛰"}\n', "utf8"));
  });

  it("holds back lines far beyond one buffer and writes them all, in order, in one piece", () => {
    const sink = keepingSink();
    const out = stdoutLines(sink);
    const lines = Array.from({ length: 5_000 }, (_, i) => `{"line":${i},"pad":"${"x".repeat(900)}"}`);
    for (const line of lines) out.write(line);
    out.flush();
    expect(sink.texts()).toEqual([`${lines.join("\n")}\n`]);
  });

  it("writes a line longer than a buffer whole", () => {
    const sink = keepingSink();
    const out = stdoutLines(sink);
    const long = `"${"é".repeat(1_500_000)}"`;
    out.write("before");
    out.write(long);
    out.write("after");
    out.flush();
    expect(sink.texts()).toEqual([`before\n${long}\nafter\n`]);
  });

  it("never writes over bytes already handed to the sink", () => {
    const sink = keepingSink();
    const out = stdoutLines(sink);
    const expected: string[] = [];
    for (let flush = 0; flush < 40; flush++) {
      let text = "";
      for (let i = 0; i < 100; i++) {
        const line = `{"flush":${flush},"line":${i},"pad":"${"y".repeat(400)}"}`;
        out.write(line);
        text += `${line}\n`;
      }
      out.flush();
      expected.push(text);
    }
    expect(sink.texts()).toEqual(expected);
  });

  it("drops the lines of a write that failed and writes only later lines after it", () => {
    let fail = true;
    const written: string[] = [];
    const out = stdoutLines({
      write: (bytes) => {
        if (fail) throw new Error("EPIPE: broken pipe, write");
        written.push(Buffer.from(bytes).toString("utf8"));
      },
    });
    out.write("lost");
    expect(() => out.flush()).toThrow("EPIPE: broken pipe, write");
    fail = false;
    out.write("next");
    out.flush();
    expect(written).toEqual(["next\n"]);
  });
});
