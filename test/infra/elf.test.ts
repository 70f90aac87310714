/**
 * The ELF/libc verifier against REAL ELF files: this machine's x86-64 node binary and Kafka
 * client module (wrong machine: must be rejected) and AArch64 objects compiled here by the Debian
 * cross compiler (gcc-aarch64-linux-gnu), including a musl-linked and a too-new-glibc one.
 * Nothing binary is committed; everything is generated at test time.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ELFCLASS32,
  ELFCLASS64,
  ElfFormatError,
  EM_AARCH64,
  EM_X86_64,
  ET_DYN,
  ET_EXEC,
  highestRequiredVersion,
  libcFlavour,
  parseElf,
} from "../../infra/native-layer/elf.js";
import { compileAarch64 } from "../../infra/native-layer/fixture.js";
import { checkNativeBinary } from "../../infra/native-layer/verify.js";

const KAFKA_NODE =
  "node_modules/@confluentinc/kafka-javascript/build/Release/confluent-kafka-javascript.node";
let work: string;
const files: Record<string, string> = {};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "semaphore-elf-"));
  // Fails with install instructions (gcc-aarch64-linux-gnu) when the cross compiler is missing.
  files.module = compileAarch64(
    "#include <string.h>\nunsigned long probe(const char *s) { return strlen(s); }\n",
    join(work, "module.node"),
    ["-shared", "-fPIC", "-Wl,--no-as-needed"],
  );
  files.executable = compileAarch64(
    '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n',
    join(work, "hello"),
    [],
  );
  // glibc 2.36 added arc4random: a module using it cannot load on Amazon Linux 2023 (glibc 2.34).
  files.newGlibc = compileAarch64(
    "#include <stdlib.h>\nunsigned int pick(void) { return arc4random(); }\n",
    join(work, "new-glibc.node"),
    ["-shared", "-fPIC"],
  );
  // A module linked the way musl links: its C library is libc.musl-aarch64.so.1.
  const muslLibc = compileAarch64(
    "int musl_marker(void) { return 1; }\n",
    join(work, "libc.musl-aarch64.so.1"),
    ["-shared", "-fPIC", "-nostdlib", "-Wl,-soname,libc.musl-aarch64.so.1"],
  );
  files.musl = compileAarch64(
    "int musl_marker(void);\nint probe(void) { return musl_marker(); }\n",
    join(work, "musl.node"),
    ["-shared", "-fPIC", "-nostdlib", "-Wl,--no-as-needed", muslLibc],
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** DT_NEEDED as binutils' readelf prints them: the reference the parser is checked against. */
function readelfNeeded(path: string): string[] {
  const out = execFileSync("readelf", ["-d", "-W", path], { encoding: "utf8" });
  return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
}

describe("ELF parser on real files", () => {
  it("reads this machine's node binary: x86-64, ELFCLASS64, glibc loader, same DT_NEEDED as readelf", () => {
    const info = parseElf(readFileSync(process.execPath));
    expect(info.machine).toBe(EM_X86_64);
    expect(info.elfClass).toBe(ELFCLASS64);
    expect(info.littleEndian).toBe(true);
    expect(info.interpreter).toMatch(/ld-linux-x86-64\.so\.2$/);
    expect(info.needed).toEqual(readelfNeeded(process.execPath));
    expect(libcFlavour(info)).toBe("glibc");
    expect(highestRequiredVersion(info, "GLIBC_")).toMatch(/^2\.\d+/);
  });

  it("reads the Kafka client module built here: an x86-64 shared object needing librdkafka and libc", () => {
    const info = parseElf(readFileSync(KAFKA_NODE));
    expect(info.machine).toBe(EM_X86_64);
    expect(info.type).toBe(ET_DYN);
    expect(info.interpreter).toBeUndefined();
    expect(info.needed).toEqual(readelfNeeded(KAFKA_NODE));
    expect(info.needed).toContain("libc.so.6");
    expect(info.soname).toBe("confluent-kafka-javascript.node");
  });

  it("reads cross-compiled AArch64 objects: machine 183, loader ld-linux-aarch64, glibc symbol versions", () => {
    const module = parseElf(readFileSync(files.module!));
    expect(module.machine).toBe(EM_AARCH64);
    expect(module.elfClass).toBe(ELFCLASS64);
    expect(module.type).toBe(ET_DYN);
    expect(module.needed).toEqual(["libc.so.6"]);
    expect(module.needed).toEqual(readelfNeeded(files.module!));
    expect(module.versionNeeds.map((n) => n.file)).toEqual(["libc.so.6"]);
    const exe = parseElf(readFileSync(files.executable!));
    expect(exe.machine).toBe(EM_AARCH64);
    expect([ET_EXEC, ET_DYN]).toContain(exe.type); // Debian builds PIE executables (ET_DYN)
    expect(exe.interpreter).toBe("/lib/ld-linux-aarch64.so.1");
    expect(libcFlavour(exe)).toBe("glibc");
    expect(highestRequiredVersion(parseElf(readFileSync(files.newGlibc!)), "GLIBC_")).toBe("2.36");
  });

  it("tells musl from glibc by DT_NEEDED", () => {
    const info = parseElf(readFileSync(files.musl!));
    expect(info.needed).toEqual(["libc.musl-aarch64.so.1"]);
    expect(libcFlavour(info)).toBe("musl");
  });

  it("rejects what is not ELF or is cut short", () => {
    expect(() => parseElf(new TextEncoder().encode("#!/bin/sh\necho hi\n"))).toThrow(ElfFormatError);
    const bytes = readFileSync(files.module!);
    expect(() => parseElf(bytes.subarray(0, 40))).toThrow(/truncated/);
    expect(() => parseElf(bytes.subarray(0, 200))).toThrow(ElfFormatError);
  });

  it("reads a 32-bit header (synthetic: no 32-bit cross compiler is installed)", () => {
    const header = new Uint8Array(52);
    header.set([0x7f, 0x45, 0x4c, 0x46, ELFCLASS32, 1, 1]);
    const view = new DataView(header.buffer);
    view.setUint16(16, ET_DYN, true);
    view.setUint16(18, 40, true); // EM_ARM
    const report = checkNativeBinary(header, "arm32.node");
    expect(report.problems.join("\n")).toMatch(/32-bit ELF \(ELFCLASS32\)/);
    expect(report.problems.join("\n")).toMatch(/ARM \(32-bit\) \(e_machine 40\)/);
  });
});

describe("checkNativeBinary: what Lambda nodejs24.x arm64 can load", () => {
  it("rejects this machine's node binary and Kafka module as the wrong machine", () => {
    for (const path of [process.execPath, KAFKA_NODE]) {
      const report = checkNativeBinary(readFileSync(path), path);
      expect(report.problems.join("\n")).toContain(
        `built for x86-64 (e_machine ${EM_X86_64}); Lambda arm64 needs AArch64 (e_machine ${EM_AARCH64})`,
      );
    }
  });

  it("accepts an AArch64 glibc shared object", () => {
    const report = checkNativeBinary(readFileSync(files.module!), "module.node");
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it("rejects a musl-linked module", () => {
    const report = checkNativeBinary(readFileSync(files.musl!), "musl.node");
    expect(report.problems.join("\n")).toMatch(
      /linked against musl .*libc\.musl-aarch64\.so\.1.*use the linux-glibc-arm64 build/,
    );
  });

  it("rejects a module needing a glibc newer than Amazon Linux 2023's", () => {
    const report = checkNativeBinary(readFileSync(files.newGlibc!), "new-glibc.node");
    expect(report.problems.join("\n")).toMatch(
      /needs GLIBC_2\.36, newer than Amazon Linux 2023's glibc 2\.34/,
    );
  });

  it("warns about a library that is neither in the layer nor part of glibc", () => {
    const report = checkNativeBinary(readFileSync(KAFKA_NODE), KAFKA_NODE);
    expect(report.warnings.join("\n")).toMatch(/needs librdkafka\.so\.1/);
  });
});
