/** The processes a command started, read from /proc: what "left no process behind" is checked against. */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

interface ProcessEntry {
  pid: number;
  ppid: number;
  /** R, S, Z (zombie), ... */
  state: string;
}

function processes(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      entries.push({ pid: Number(name), ppid: Number(ppid), state: state! });
    } catch {
      // gone meanwhile
    }
  }
  return entries;
}

/** Every live descendant of `root`: children, their children, ... */
export function descendants(root: number): number[] {
  const all = processes();
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const entry of all) {
      if (entry.ppid === parent && entry.state !== "Z") {
        found.push(entry.pid);
        queue.push(entry.pid);
      }
    }
  }
  return found;
}

/** The command line of a process, or "" once it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\u0000", " ").trim();
  } catch {
    return "";
  }
}

/** Those of `pids` that still run (a zombie does not: it only waits to be reaped). */
export function stillRunning(pids: readonly number[]): Array<{ pid: number; command: string }> {
  const live = new Map(processes().map((entry) => [entry.pid, entry]));
  return pids
    .filter((pid) => live.has(pid) && live.get(pid)!.state !== "Z")
    .map((pid) => ({ pid, command: commandLine(pid) }));
}

/** Calls `collect` with the root's descendants every `intervalMs` until stopped; all of them, in the end. */
export function watchDescendants(root: number, intervalMs = 100): { stop(): number[] } {
  const seen = new Set<number>();
  const timer = setInterval(() => {
    for (const pid of descendants(root)) seen.add(pid);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return [...seen];
    },
  };
}

/**
 * The processes with a socket listening on 127.0.0.1:port (from /proc/net/tcp and each process's
 * open files): who holds a port, so that a port another test's broker took meanwhile is not
 * mistaken for one a stopped pipeline left open.
 */
export function listenersOn(port: number): number[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    // local_address 0100007F:PORT, state 0A (LISTEN), inode in the tenth column.
    if (fields[1] === `0100007F:${hexPort}` && fields[3] === "0A") inodes.add(fields[9]!);
  }
  if (inodes.size === 0) return [];
  const owners: number[] = [];
  for (const { pid } of processes()) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkOrEmpty(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode !== undefined && inodes.has(inode)) {
          owners.push(pid);
          break;
        }
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return owners;
}

function readlinkOrEmpty(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}
