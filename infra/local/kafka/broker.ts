/**
 * A real Apache Kafka broker on loopback, shaped like Confluent Cloud for our clients: one SASL_SSL
 * listener with SASL/PLAIN (API key/secret) over TLS, topics created explicitly. Single-node KRaft
 * (combined broker + controller) run from the jars that scripts/setup-kafka.sh put in
 * $KAFKA_LIBS_DIR; TLS material is generated per start with openssl.
 *
 * This module puts the pieces together (tls.ts, server-properties.ts, jvm.ts, readiness.ts,
 * ports.ts): options and defaults, the data dir, and another try when a port was taken.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  assertLibs,
  formatStorage,
  type JvmSetup,
  PortInUseError,
  startFailure,
  startKafkaJvm,
} from "./jvm.js";
import { freeLoopbackPort } from "./ports.js";
import { waitUntilReady } from "./readiness.js";
import { assertCredentials, LOG4J2_PROPERTIES, serverProperties } from "./server-properties.js";
import { generateTls } from "./tls.js";

export interface KafkaBrokerOptions {
  /** Keep the broker's state here (kept on stop, reused on the next start). Default: a temp dir removed on stop. */
  dataDir?: string;
  /** SASL_SSL listener port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Default "semaphore". Letters, digits, ".", "_", "-". */
  username?: string;
  /** Default: random per start. No quotes, backslashes or line breaks. */
  password?: string;
  /** Default process.env.KAFKA_LIBS_DIR (set by scripts/env.sh). */
  libsDir?: string;
  /** JVM max heap, default 512. */
  heapMb?: number;
  /** How long to wait for the broker to accept authenticated clients, default 60 s. */
  startTimeoutMs?: number;
}

export interface RunningKafkaBroker {
  /** "127.0.0.1:PORT", the SASL_SSL listener. */
  bootstrapServers: string;
  securityProtocol: "SASL_SSL";
  saslMechanism: "PLAIN";
  /** The credentials the broker accepts (like a Confluent Cloud API key/secret). */
  username: string;
  password: string;
  /** PEM file of the CA that signed the broker certificate (clients set ssl.ca.location). */
  caLocation: string;
  /** Broker (JVM) stdout/stderr, log4j output included. */
  logFile: string;
  /** Kills the JVM; removes the data unless `dataDir` was given. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_USERNAME = "semaphore";

export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<RunningKafkaBroker> {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, attempt < attempts);
    } catch (err) {
      if (!(err instanceof PortInUseError) || attempt >= attempts) throw err;
    }
  }
}

async function startOnce(options: KafkaBrokerOptions, willRetry: boolean): Promise<RunningKafkaBroker> {
  const startedAt = Date.now();
  const libsDir = resolve(options.libsDir ?? process.env.KAFKA_LIBS_DIR ?? "");
  assertLibs(libsDir, options.libsDir === undefined && !process.env.KAFKA_LIBS_DIR);
  const username = options.username ?? DEFAULT_USERNAME;
  const password = options.password ?? randomBytes(24).toString("hex");
  assertCredentials(username, password);
  const heapMb = options.heapMb ?? 512;
  const timeoutMs = options.startTimeoutMs ?? 60_000;

  const keepData = options.dataDir !== undefined;
  const dataDir = keepData
    ? resolve(options.dataDir as string)
    : await mkdtemp(join(tmpdir(), "semaphore-kafka-"));
  await mkdir(dataDir, { recursive: true });
  const paths = {
    config: join(dataDir, "server.properties"),
    log4j: join(dataDir, "log4j2.properties"),
    logDir: join(dataDir, "kraft-data"),
    tlsDir: join(dataDir, "tls"),
    logFile: join(dataDir, "broker.log"),
  };

  const port = options.port && options.port > 0 ? options.port : await freeLoopbackPort();
  let controllerPort = await freeLoopbackPort();
  while (controllerPort === port) controllerPort = await freeLoopbackPort();

  const tls = await generateTls(paths.tlsDir).catch(async (err: unknown) => {
    if (!keepData) await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  await writeFile(
    paths.config,
    serverProperties({ port, controllerPort, logDir: paths.logDir, username, password, tls }),
  );
  await writeFile(paths.log4j, LOG4J2_PROPERTIES);
  const setup: JvmSetup = {
    libsDir,
    heapMb,
    configFile: paths.config,
    log4jFile: paths.log4j,
    workDir: dataDir,
    logFile: paths.logFile,
  };

  const fail = async (reason: string): Promise<never> => {
    throw await startFailure(paths.logFile, reason);
  };

  // Format the KRaft storage once per data dir (a random cluster id; static single-voter quorum).
  if (!existsSync(join(paths.logDir, "meta.properties"))) {
    const code = await formatStorage(setup);
    if (code !== 0) await fail(`kafka.tools.StorageTool format exited with ${code}`);
  }

  const jvm = startKafkaJvm(setup, keepData ? undefined : dataDir);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // A kept data dir gets a clean shutdown (no log recovery next start); a temp one is just killed.
      await jvm.stop(keepData);
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const broker: RunningKafkaBroker = {
    bootstrapServers: `127.0.0.1:${port}`,
    securityProtocol: "SASL_SSL",
    saslMechanism: "PLAIN",
    username,
    password,
    caLocation: tls.caFile,
    logFile: paths.logFile,
    stop,
  };

  try {
    await waitUntilReady(broker, { startedAt, timeoutMs, jvmExited: jvm.exited }).catch((err: unknown) =>
      fail(err instanceof Error ? err.message : String(err)),
    );
    return broker;
  } catch (err) {
    // Keep the data dir (and its broker.log) for a look, unless we try again; only the JVM goes.
    jvm.kill();
    if (err instanceof PortInUseError && willRetry && !keepData) {
      await jvm.exited;
      await rm(dataDir, { recursive: true, force: true });
    }
    throw err;
  }
}
