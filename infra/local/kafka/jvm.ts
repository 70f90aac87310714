/**
 * The broker JVM: formatting the KRaft storage and running kafka.Kafka from the jars in the libs
 * dir, with its output appended to the broker log, and making sure it does not outlive this process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readdirSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { startWatchdog } from "../watchdog.js";

/** The JVM could not bind a port (another process took a port picked as free): worth another try. */
export class PortInUseError extends Error {}

export interface JvmSetup {
  libsDir: string;
  /** JVM max heap. */
  heapMb: number;
  /** server.properties. */
  configFile: string;
  log4jFile: string;
  workDir: string;
  /** Gets the JVM's stdout and stderr appended. */
  logFile: string;
}

export interface KafkaJvm {
  /** Settles when the JVM is gone: its exit code or signal, or why it could not be spawned. */
  exited: Promise<number | string>;
  /**
   * Ends the JVM with SIGTERM (graceful) or SIGKILL, SIGKILL after 15 s at the latest, and resolves
   * once it exited; the exit hook and the watchdog go too.
   */
  stop(graceful: boolean): Promise<void>;
  /** SIGKILLs the JVM and drops the exit hook and the watchdog, without waiting for the exit. */
  kill(): void;
}

export function assertLibs(libsDir: string, unset: boolean): void {
  const hint = "run `bash scripts/setup.sh` (or scripts/setup-kafka.sh) and `source scripts/env.sh`";
  if (unset) throw new Error(`KAFKA_LIBS_DIR is not set: ${hint}`);
  const jars = existsSync(libsDir) ? readdirSync(libsDir) : [];
  if (!jars.some((f) => /^kafka_2\.13-.*\.jar$/.test(f))) {
    throw new Error(`no Kafka broker jars (kafka_2.13-*.jar) in ${libsDir}: ${hint}`);
  }
}

/** Formats the KRaft storage with a random cluster id; resolves as `exited` does. */
export function formatStorage(setup: JvmSetup): Promise<number | string> {
  return runToExit(
    spawnJava(setup, [
      "kafka.tools.StorageTool",
      "format",
      "--cluster-id",
      randomClusterId(),
      "--config",
      setup.configFile,
    ]),
  );
}

/** Starts kafka.Kafka. `tempDir` is removed as well should this process end with the JVM running. */
export function startKafkaJvm(setup: JvmSetup, tempDir: string | undefined): KafkaJvm {
  // A process group of its own: a terminal's Ctrl-C reaches this process only, which stops the broker
  // after its clients (the watchdog still ends it should this process die first).
  const jvm = spawnJava(setup, ["kafka.Kafka", setup.configFile], true);
  const exited = runToExit(jvm);
  // The JVM must not outlive this process: kill it on a normal exit, and have a watchdog kill it
  // when this process dies any other way (its stdin pipe closes then).
  const killOnExit = (): void => {
    jvm.kill("SIGKILL");
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  };
  process.on("exit", killOnExit);
  const watchdog = startWatchdog(jvm, "kafka", tempDir);
  jvm.unref();

  return {
    exited,
    async stop(graceful) {
      process.off("exit", killOnExit);
      if (jvm.exitCode === null && jvm.signalCode === null) {
        jvm.kill(graceful ? "SIGTERM" : "SIGKILL");
        const timer = setTimeout(() => jvm.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      watchdog?.kill("SIGKILL");
    },
    kill() {
      process.off("exit", killOnExit);
      jvm.kill("SIGKILL");
      watchdog?.kill("SIGKILL");
    },
  };
}

/** The error for a failed start, with the end of the broker log; a PortInUseError when a bind failed. */
export async function startFailure(logFile: string, reason: string): Promise<Error> {
  const tail = await logTail(logFile, 60);
  const message = `Kafka broker did not start: ${reason}\n--- last lines of ${logFile} ---\n${tail}\n--- end of broker log ---`;
  return /BindException|Address already in use/.test(tail) ? new PortInUseError(message) : new Error(message);
}

function spawnJava(setup: JvmSetup, args: string[], detached = false): ChildProcess {
  const logFd = openSync(setup.logFile, "a");
  try {
    return spawn(
      "java",
      [
        `-Xmx${setup.heapMb}m`,
        `-Xms${Math.min(setup.heapMb, 128)}m`,
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        `-Dlog4j2.configurationFile=${setup.log4jFile}`,
        "-cp",
        `${setup.libsDir}/*`,
        ...args,
      ],
      { cwd: setup.workDir, stdio: ["ignore", logFd, logFd], detached },
    );
  } finally {
    // The child has its own copy of the descriptor.
    closeSync(logFd);
  }
}

/** A Kafka Uuid in its base64url form (16 random bytes), not starting with "-" (it is a CLI argument). */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

function runToExit(child: ChildProcess): Promise<number | string> {
  return new Promise((res) => {
    child.once("exit", (code, signal) => res(code ?? signal ?? "unknown"));
    child.once("error", (err) => res(err.message));
  });
}

async function logTail(file: string, lines: number): Promise<string> {
  try {
    const handle = await open(file, "r");
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 64 * 1024);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer.toString("utf8").split("\n").slice(-lines).join("\n");
    } finally {
      await handle.close();
    }
  } catch {
    return "(no broker log)";
  }
}
