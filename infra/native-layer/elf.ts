/**
 * A minimal, dependency-free ELF reader: just enough to tell which machine, word size, C library
 * and symbol versions a native module was built for, before it is packaged into a Lambda layer.
 *
 * Reads the ELF header, the program headers (PT_INTERP, PT_LOAD, PT_DYNAMIC) and the dynamic
 * section (DT_NEEDED, DT_SONAME, DT_RUNPATH/DT_RPATH, DT_VERNEED), nothing else. Works on 32- and
 * 64-bit, little- and big-endian files, and throws ElfFormatError on anything truncated or malformed.
 */

export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ET_EXEC = 2;
export const ET_DYN = 3;

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const DT_VERNEED = 0x6ffffffe;
const DT_VERNEEDNUM = 0x6fffffff;

/** Names of the e_machine values a reader of an error message is likely to meet. */
const MACHINE_NAMES: Record<number, string> = {
  3: "x86 (i386)",
  8: "MIPS",
  20: "PowerPC",
  21: "PowerPC 64",
  22: "IBM S/390",
  40: "ARM (32-bit)",
  62: "x86-64",
  183: "AArch64 (arm64)",
  243: "RISC-V",
  258: "LoongArch",
};

export function machineName(machine: number): string {
  return MACHINE_NAMES[machine] ?? `unknown machine ${machine}`;
}

export class ElfFormatError extends Error {
  override readonly name = "ElfFormatError";
}

export interface ElfVersionNeed {
  /** The library the versions are needed from, e.g. libc.so.6. */
  file: string;
  /** Version names, e.g. GLIBC_2.17, GLIBCXX_3.4.29. */
  versions: string[];
}

export interface ElfInfo {
  elfClass: typeof ELFCLASS32 | typeof ELFCLASS64;
  littleEndian: boolean;
  /** e_type: ET_EXEC (2), ET_DYN (3), ... */
  type: number;
  /** e_machine: EM_X86_64 (62), EM_AARCH64 (183), ... */
  machine: number;
  /** PT_INTERP: the program interpreter (dynamic loader) of an executable; absent for a shared object. */
  interpreter?: string;
  /** DT_NEEDED entries, in order. */
  needed: string[];
  soname?: string;
  runpath?: string;
  /** DT_VERNEED: symbol versions required from each library. */
  versionNeeds: ElfVersionNeed[];
}

interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

/** True when the bytes start with the ELF magic number. */
export function isElf(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46
  );
}

export function parseElf(bytes: Uint8Array): ElfInfo {
  if (!isElf(bytes)) throw new ElfFormatError("not an ELF file (no \\x7fELF magic)");
  if (bytes.length < 52) throw new ElfFormatError("truncated ELF header");
  const elfClass = bytes[4];
  if (elfClass !== ELFCLASS32 && elfClass !== ELFCLASS64) {
    throw new ElfFormatError(`invalid ELF class ${elfClass}`);
  }
  const dataEncoding = bytes[5];
  if (dataEncoding !== 1 && dataEncoding !== 2)
    throw new ElfFormatError(`invalid ELF data encoding ${dataEncoding}`);
  const le = dataEncoding === 1;
  const is64 = elfClass === ELFCLASS64;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  const check = (offset: number, length: number, what: string): void => {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > bytes.length) {
      throw new ElfFormatError(`truncated ELF file: ${what} at offset ${offset} is past the end`);
    }
  };
  const u16 = (offset: number): number => {
    check(offset, 2, "u16");
    return view.getUint16(offset, le);
  };
  const u32 = (offset: number): number => {
    check(offset, 4, "u32");
    return view.getUint32(offset, le);
  };
  const addr = (offset: number): number => {
    if (!is64) return u32(offset);
    check(offset, 8, "u64");
    const value = view.getBigUint64(offset, le);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new ElfFormatError(`value ${value} at ${offset} is too large`);
    return Number(value);
  };

  const headerSize = is64 ? 64 : 52;
  check(0, headerSize, "ELF header");
  const type = u16(16);
  const machine = u16(18);
  const phoff = addr(is64 ? 32 : 28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);

  const segments: Segment[] = [];
  const minPhentsize = is64 ? 56 : 32;
  if (phnum > 0 && phentsize < minPhentsize)
    throw new ElfFormatError(`program header entries too small (${phentsize})`);
  for (let i = 0; i < phnum; i++) {
    const base = phoff + i * phentsize;
    check(base, minPhentsize, "program header");
    segments.push(
      is64
        ? { type: u32(base), offset: addr(base + 8), vaddr: addr(base + 16), filesz: addr(base + 32) }
        : { type: u32(base), offset: u32(base + 4), vaddr: u32(base + 8), filesz: u32(base + 16) },
    );
  }

  const cString = (offset: number, limit = bytes.length): string => {
    check(offset, 1, "string");
    let end = offset;
    while (end < limit && end < bytes.length && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(offset, end));
  };

  const info: ElfInfo = {
    elfClass,
    littleEndian: le,
    type,
    machine,
    needed: [],
    versionNeeds: [],
  };

  const interp = segments.find((s) => s.type === PT_INTERP);
  if (interp) {
    check(interp.offset, interp.filesz, "PT_INTERP");
    info.interpreter = cString(interp.offset, interp.offset + interp.filesz);
  }

  const dynamic = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dynamic) return info;

  // Virtual addresses in the dynamic section are mapped to file offsets through the PT_LOAD segments.
  const loads = segments.filter((s) => s.type === PT_LOAD);
  const fileOffset = (vaddr: number, what: string): number => {
    const load = loads.find((s) => vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz);
    if (!load) throw new ElfFormatError(`${what} address 0x${vaddr.toString(16)} is in no loaded segment`);
    return load.offset + (vaddr - load.vaddr);
  };

  const entrySize = is64 ? 16 : 8;
  const entries: Array<{ tag: number; value: number }> = [];
  check(dynamic.offset, dynamic.filesz, "PT_DYNAMIC");
  for (let at = dynamic.offset; at + entrySize <= dynamic.offset + dynamic.filesz; at += entrySize) {
    const tag = is64 ? Number(view.getBigInt64(at, le)) : view.getInt32(at, le);
    const value = addr(at + (is64 ? 8 : 4));
    if (tag === DT_NULL) break;
    entries.push({ tag, value });
  }
  const strtabEntry = entries.find((e) => e.tag === DT_STRTAB);
  if (!strtabEntry) {
    if (entries.some((e) => e.tag === DT_NEEDED)) throw new ElfFormatError("DT_NEEDED without DT_STRTAB");
    return info;
  }
  const strtab = fileOffset(strtabEntry.value, "DT_STRTAB");
  const strsz = entries.find((e) => e.tag === DT_STRSZ)?.value ?? bytes.length - strtab;
  check(strtab, Math.min(strsz, bytes.length - strtab), "dynamic string table");
  const dynString = (index: number): string => {
    if (index >= strsz) throw new ElfFormatError(`string index ${index} is past the dynamic string table`);
    return cString(strtab + index, strtab + strsz);
  };

  for (const entry of entries) {
    if (entry.tag === DT_NEEDED) info.needed.push(dynString(entry.value));
    else if (entry.tag === DT_SONAME) info.soname = dynString(entry.value);
    else if (entry.tag === DT_RUNPATH) info.runpath = dynString(entry.value);
    else if (entry.tag === DT_RPATH && info.runpath === undefined) info.runpath = dynString(entry.value);
  }

  const verneed = entries.find((e) => e.tag === DT_VERNEED);
  const verneedNum = entries.find((e) => e.tag === DT_VERNEEDNUM)?.value ?? 0;
  if (verneed && verneedNum > 0) {
    let at = fileOffset(verneed.value, "DT_VERNEED");
    for (let i = 0; i < verneedNum; i++) {
      // Elf_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32 (same in 32 and 64 bit).
      const count = u16(at + 2);
      const file = dynString(u32(at + 4));
      const versions: string[] = [];
      let aux = at + u32(at + 8);
      for (let j = 0; j < count; j++) {
        // Elf_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
        versions.push(dynString(u32(aux + 8)));
        const next = u32(aux + 12);
        if (next === 0) break;
        aux += next;
      }
      info.versionNeeds.push({ file, versions });
      const next = u32(at + 12);
      if (next === 0) break;
      at += next;
    }
  }
  return info;
}

/** The C library an ELF file links against, from its interpreter and DT_NEEDED entries. */
export function libcFlavour(info: ElfInfo): "glibc" | "musl" | "unknown" {
  const names = [...info.needed, info.interpreter ?? ""];
  if (names.some((n) => /(^|\/)(ld-musl-[^/]*\.so\.1|libc\.musl-[^/]*\.so\.1)$/.test(n))) return "musl";
  if (names.some((n) => /(^|\/)(libc\.so\.6|ld-linux[^/]*\.so\.\d+)$/.test(n))) return "glibc";
  return "unknown";
}

/** The highest version of a versioned symbol family (GLIBC_, GLIBCXX_, ...) the file requires. */
export function highestRequiredVersion(info: ElfInfo, prefix: string): string | undefined {
  let best: number[] | undefined;
  let bestName: string | undefined;
  for (const need of info.versionNeeds) {
    for (const version of need.versions) {
      if (!version.startsWith(prefix)) continue;
      const parts = version.slice(prefix.length).split(".").map(Number);
      if (parts.some((n) => !Number.isInteger(n))) continue;
      if (!best || compareVersions(parts, best) > 0) {
        best = parts;
        bestName = version.slice(prefix.length);
      }
    }
  }
  return bestName;
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
