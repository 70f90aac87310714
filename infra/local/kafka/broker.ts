/**
 * A real Apache Kafka broker on loopback, shaped like Confluent Cloud for our clients: one SASL_SSL
 * listener with SASL/PLAIN (API key/secret) over TLS, topics created explicitly. Single-node KRaft
 * (combined broker + controller) run from the jars that scripts/setup-kafka.sh put in
 * $KAFKA_LIBS_DIR; TLS material is generated per start with openssl.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readdirSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { withAdmin } from "./admin.js";

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

const execFileAsync = promisify(execFile);
const DEFAULT_USERNAME = "semaphore";
const NODE_ID = 1;

/** The JVM could not bind a port (another process took a port picked as free): worth another try. */
class PortInUseError extends Error {}

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
  const logFd = openSync(paths.logFile, "a");
  const javaBase = [
    `-Xmx${heapMb}m`,
    `-Xms${Math.min(heapMb, 128)}m`,
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${paths.log4j}`,
    "-cp",
    `${libsDir}/*`,
  ];

  const fail = async (reason: string): Promise<never> => {
    const tail = await logTail(paths.logFile, 60);
    const message = `Kafka broker did not start: ${reason}\n--- last lines of ${paths.logFile} ---\n${tail}\n--- end of broker log ---`;
    throw /BindException|Address already in use/.test(tail)
      ? new PortInUseError(message)
      : new Error(message);
  };

  try {
    // Format the KRaft storage once per data dir (a random cluster id; static single-voter quorum).
    if (!existsSync(join(paths.logDir, "meta.properties"))) {
      const clusterId = randomClusterId();
      const code = await runToExit(
        spawn(
          "java",
          [
            ...javaBase,
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            clusterId,
            "--config",
            paths.config,
          ],
          { cwd: dataDir, stdio: ["ignore", logFd, logFd] },
        ),
      );
      if (code !== 0) await fail(`kafka.tools.StorageTool format exited with ${code}`);
    }
  } catch (err) {
    closeSync(logFd);
    throw err;
  }

  const jvm = spawn("java", [...javaBase, "kafka.Kafka", paths.config], {
    cwd: dataDir,
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  const jvmExit = new Promise<number | string>((res) => {
    jvm.once("exit", (code, signal) => res(code ?? signal ?? "unknown"));
    jvm.once("error", (err) => res(err.message));
  });
  // The JVM must not outlive this process: kill it on a normal exit, and have a watchdog kill it
  // when this process dies any other way (its stdin pipe closes then).
  const killOnExit = (): void => {
    jvm.kill("SIGKILL");
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("exit", killOnExit);
  const watchdog = startWatchdog(jvm, keepData ? undefined : dataDir);
  jvm.unref();

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.off("exit", killOnExit);
      if (jvm.exitCode === null && jvm.signalCode === null) {
        // A kept data dir gets a clean shutdown (no log recovery next start); a temp one is just killed.
        jvm.kill(keepData ? "SIGTERM" : "SIGKILL");
        const timer = setTimeout(() => jvm.kill("SIGKILL"), 15_000);
        await jvmExit;
        clearTimeout(timer);
      }
      watchdog?.kill("SIGKILL");
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

  const deadline = startedAt + timeoutMs;
  let lastError = "no attempt yet";
  const exitedEarly = jvmExit.then((code) => ({ exited: code }));
  try {
    for (;;) {
      if (Date.now() >= deadline) {
        await fail(`not ready after ${timeoutMs} ms (last check: ${lastError})`);
      }
      const attempt = waitUntilReady(broker, deadline).then(
        () => ({ ready: true as const }),
        (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
      );
      const outcome = await Promise.race([attempt, exitedEarly]);
      if ("exited" in outcome) await fail(`the JVM exited (${outcome.exited})`);
      if ("ready" in outcome) return broker;
      if ("error" in outcome) lastError = outcome.error;
      await sleep(200);
    }
  } catch (err) {
    // Keep the data dir (and its broker.log) for a look, unless we try again; only the JVM goes.
    process.off("exit", killOnExit);
    jvm.kill("SIGKILL");
    watchdog?.kill("SIGKILL");
    if (err instanceof PortInUseError && willRetry && !keepData) {
      await jvmExit;
      await rm(dataDir, { recursive: true, force: true });
    }
    throw err;
  }
}

/** One readiness check: the port accepts TCP, then an authenticated admin client lists topics. */
async function waitUntilReady(broker: RunningKafkaBroker, deadline: number): Promise<void> {
  const [host, portText] = broker.bootstrapServers.split(":") as [string, string];
  await tcpProbe(host, Number(portText), Math.max(100, Math.min(1_000, deadline - Date.now())));
  const budget = Math.max(1_000, Math.min(5_000, deadline - Date.now()));
  await withAdmin(broker, (admin) => admin.listTopics({ timeout: budget }), {
    "socket.connection.setup.timeout.ms": budget,
    "reconnect.backoff.ms": 100,
    "reconnect.backoff.max.ms": 500,
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((res, rej) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once("connect", () => {
      socket.destroy();
      res();
    });
    socket.once("timeout", () => {
      socket.destroy();
      rej(new Error(`connect to ${host}:${port} timed out`));
    });
    socket.once("error", (err) => {
      socket.destroy();
      rej(err);
    });
  });
}

function assertLibs(libsDir: string, unset: boolean): void {
  const hint = "run `bash scripts/setup.sh` (or scripts/setup-kafka.sh) and `source scripts/env.sh`";
  if (unset) throw new Error(`KAFKA_LIBS_DIR is not set: ${hint}`);
  const jars = existsSync(libsDir) ? readdirSync(libsDir) : [];
  if (!jars.some((f) => /^kafka_2\.13-.*\.jar$/.test(f))) {
    throw new Error(`no Kafka broker jars (kafka_2.13-*.jar) in ${libsDir}: ${hint}`);
  }
}

function assertCredentials(username: string, password: string): void {
  // Both end up inside a quoted JAAS string in a .properties file.
  if (!/^[A-Za-z0-9._-]+$/.test(username)) {
    throw new Error(`Kafka username must match [A-Za-z0-9._-]+, got ${JSON.stringify(username)}`);
  }
  if (password.length === 0 || /["\\\r\n]/.test(password)) {
    throw new Error("Kafka password must be non-empty without quotes, backslashes or line breaks");
  }
}

/** A Kafka Uuid in its base64url form (16 random bytes), not starting with "-" (it is a CLI argument). */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.once("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? res(port) : rej(new Error("could not pick a free loopback port"))));
    });
  });
}

interface TlsFiles {
  caFile: string;
  /** Private key (PKCS#8, unencrypted) followed by the server certificate and the CA: a Kafka PEM keystore. */
  keystoreFile: string;
}

/** A throwaway CA and a server certificate for 127.0.0.1 / localhost signed by it (EC P-256, 30 days). */
async function generateTls(dir: string): Promise<TlsFiles> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const f = (name: string): string => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const openssl = async (args: string[]): Promise<void> => {
    try {
      await execFileAsync("openssl", args, { cwd: dir });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === "ENOENT") throw new Error("openssl not found on PATH (Debian: apt-get install openssl)");
      throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
    }
  };
  await openssl([
    "req",
    "-x509",
    ...ec,
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.pem"),
    "-days",
    "30",
    "-subj",
    "/CN=Semaphore local Kafka CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await openssl([
    "req",
    ...ec,
    "-keyout",
    f("server.key"),
    "-out",
    f("server.csr"),
    "-subj",
    "/CN=localhost",
  ]);
  await writeFile(
    f("server.ext"),
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth,clientAuth",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "",
    ].join("\n"),
  );
  await openssl([
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-out",
    f("server.pem"),
    "-days",
    "30",
    "-extfile",
    f("server.ext"),
  ]);
  // Kafka's PEM keystore wants a PKCS#8 key ("BEGIN PRIVATE KEY"); make sure of the format.
  await openssl(["pkcs8", "-topk8", "-nocrypt", "-in", f("server.key"), "-out", f("server.pk8")]);
  const [key, cert, ca] = await Promise.all(
    ["server.pk8", "server.pem", "ca.pem"].map((n) => readFile(f(n), "utf8")),
  );
  await writeFile(f("keystore.pem"), `${key!.trim()}\n${cert!.trim()}\n${ca!.trim()}\n`, { mode: 0o600 });
  return { caFile: f("ca.pem"), keystoreFile: f("keystore.pem") };
}

function serverProperties(p: {
  port: number;
  controllerPort: number;
  logDir: string;
  username: string;
  password: string;
  tls: TlsFiles;
}): string {
  // The broker talks to itself over SASL_SSL too (inter-broker listener), with the same credentials.
  const jaas =
    "org.apache.kafka.common.security.plain.PlainLoginModule required " +
    `username="${p.username}" password="${p.password}" user_${p.username}="${p.password}";`;
  const props: Record<string, string | number | boolean> = {
    "process.roles": "broker,controller",
    "node.id": NODE_ID,
    "controller.quorum.voters": `${NODE_ID}@127.0.0.1:${p.controllerPort}`,
    listeners: `SASL_SSL://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}`,
    "advertised.listeners": `SASL_SSL://127.0.0.1:${p.port}`,
    "listener.security.protocol.map": "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "SASL_SSL",
    "sasl.enabled.mechanisms": "PLAIN",
    "sasl.mechanism.inter.broker.protocol": "PLAIN",
    "listener.name.sasl_ssl.sasl.enabled.mechanisms": "PLAIN",
    "listener.name.sasl_ssl.plain.sasl.jaas.config": jaas,
    "ssl.keystore.type": "PEM",
    "ssl.keystore.location": p.tls.keystoreFile,
    "ssl.truststore.type": "PEM",
    "ssl.truststore.location": p.tls.caFile,
    "ssl.client.auth": "none",
    "log.dirs": p.logDir,
    "auto.create.topics.enable": false,
    "num.partitions": 1,
    "default.replication.factor": 1,
    "min.insync.replicas": 1,
    "offsets.topic.replication.factor": 1,
    "offsets.topic.num.partitions": 5,
    "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1,
    "transaction.state.log.num.partitions": 5,
    "share.coordinator.state.topic.replication.factor": 1,
    "share.coordinator.state.topic.min.isr": 1,
    "group.initial.rebalance.delay.ms": 0,
    // Sized for a 2-core laptop or CI runner with a 512 MB heap.
    "num.network.threads": 2,
    "num.io.threads": 4,
    "num.recovery.threads.per.data.dir": 1,
    "log.cleaner.dedupe.buffer.size": 16 * 1024 * 1024,
    "log.cleaner.threads": 1,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n")}\n`;
}

const LOG4J2_PROPERTIES = `# Broker log to stdout, which the launcher sends to broker.log.
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.target = SYSTEM_OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = WARN
`;

/**
 * A shell that waits for EOF on its stdin, a pipe from this process: when this process is gone (even
 * SIGKILLed), it kills the JVM and removes the temporary data dir, if any.
 */
function startWatchdog(jvm: ChildProcess, tempDir: string | undefined): ChildProcess | undefined {
  if (jvm.pid === undefined) return undefined;
  const script = 'cat >/dev/null; kill -9 "$1" 2>/dev/null; if [ -n "$2" ]; then sleep 1; rm -rf "$2"; fi';
  const watchdog = spawn("sh", ["-c", script, "kafka-watchdog", String(jvm.pid), tempDir ?? ""], {
    stdio: ["pipe", "ignore", "ignore"],
  });
  watchdog.on("error", () => {});
  watchdog.unref();
  (watchdog.stdin as unknown as Socket | null)?.unref();
  return watchdog;
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

function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}
