/**
 * Kafka brokers the fault suite can break: started from the same jars, TLS generator, server
 * properties and JVM launcher as the run's broker (infra/local/kafka), but with what the faults
 * need and the run's broker does not offer: a data dir and TLS material that survive a kill and a
 * restart on the same ports (so a producer created before the kill trusts the broker after it),
 * several SASL/PLAIN users (a key rotated on the cluster), an extra SASL_PLAINTEXT listener (TLS
 * sent to a plaintext port), and a second broker in the same KRaft cluster (a partition leader that
 * moves). Node 1 is broker and controller; node 2, when asked for, is a broker only, so stopping it
 * leaves the quorum intact and its partitions get a new leader.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type KafkaConnection, withAdmin } from "../../../infra/local/kafka/admin.js";
import { type KafkaJvm, startKafkaJvm } from "../../../infra/local/kafka/jvm.js";
import { freeLoopbackPort } from "../../../infra/local/kafka/ports.js";
import { waitUntilReady } from "../../../infra/local/kafka/readiness.js";
import { LOG4J2_PROPERTIES, serverProperties } from "../../../infra/local/kafka/server-properties.js";
import { generateTls, type TlsFiles } from "../../../infra/local/kafka/tls.js";

const execFileAsync = promisify(execFile);

export interface FaultBrokerOptions {
  /** SASL/PLAIN users the brokers accept (name -> password); the first one is also the inter-broker login. */
  users: Record<string, string>;
  /** 2 adds a broker-only node to the cluster. Default 1. */
  nodes?: 1 | 2;
  /** Also listen for SASL_PLAINTEXT on node 1 (`plaintextBootstrapServers`). */
  plaintextListener?: boolean;
  /** Extra broker properties, e.g. `message.max.bytes`. */
  properties?: Record<string, string | number | boolean>;
}

export interface FaultCluster {
  /** Every node's SASL_SSL listener, comma-separated. */
  bootstrapServers: string;
  /** Node 1's SASL_PLAINTEXT listener, when asked for. */
  plaintextBootstrapServers: string | undefined;
  caLocation: string;
  /** A connection as the given user (the first user by default). */
  connection(user?: string): KafkaConnection;
  /** The node's SASL_SSL listener. */
  nodeBootstrap(nodeId: number): string;
  /** SIGKILL (`graceful` false, the default) or SIGTERM with controlled shutdown; resolves once it exited. */
  stopNode(nodeId: number, options?: { graceful?: boolean }): Promise<void>;
  /** Starts a stopped node again on its ports with its data and, optionally, other users; resolves when it serves. */
  startNode(nodeId: number, options?: { users?: Record<string, string> }): Promise<void>;
  /** Stops every node and removes the data. */
  stop(): Promise<void>;
}

interface NodeState {
  id: number;
  port: number;
  plaintextPort: number | undefined;
  dir: string;
  jvm: KafkaJvm | undefined;
}

export async function startFaultCluster(options: FaultBrokerOptions): Promise<FaultCluster> {
  const libsDir = process.env.KAFKA_LIBS_DIR;
  if (!libsDir) throw new Error("KAFKA_LIBS_DIR is not set: source scripts/env.sh");
  const users = Object.entries(options.users);
  if (users.length === 0) throw new Error("startFaultCluster: give at least one user");
  const root = await mkdtemp(join(tmpdir(), "semaphore-fault-kafka-"));
  const tls = await generateTls(join(root, "tls"));
  const controllerPort = await freeLoopbackPort();
  const nodes: NodeState[] = [];
  for (let id = 1; id <= (options.nodes ?? 1); id++) {
    nodes.push({
      id,
      port: await freeLoopbackPort(),
      plaintextPort: id === 1 && options.plaintextListener ? await freeLoopbackPort() : undefined,
      dir: join(root, `node-${id}`),
      jvm: undefined,
    });
  }
  const clusterId = randomClusterId();
  let currentUsers = options.users;
  /** The first user the brokers accept now: the inter-broker login and the default connection. */
  const firstUser = (): [string, string] => Object.entries(currentUsers)[0]!;

  const nodeOf = (nodeId: number): NodeState => {
    const node = nodes.find((n) => n.id === nodeId);
    if (node === undefined) throw new Error(`no node ${nodeId} in this cluster`);
    return node;
  };
  const connectionTo = (node: NodeState, user = firstUser()[0]): KafkaConnection => ({
    bootstrapServers: `127.0.0.1:${node.port}`,
    username: user,
    password: currentUsers[user] ?? "",
    caLocation: tls.caFile,
  });

  const writeConfig = async (node: NodeState): Promise<string> => {
    await mkdir(node.dir, { recursive: true });
    const file = join(node.dir, "server.properties");
    const props = nodeProperties({
      node,
      controllerPort,
      tls,
      users: currentUsers,
      interBroker: firstUser(),
      extra: options.properties ?? {},
    });
    await writeFile(file, props);
    await writeFile(join(node.dir, "log4j2.properties"), LOG4J2_PROPERTIES);
    return file;
  };

  const launch = async (node: NodeState): Promise<void> => {
    const configFile = await writeConfig(node);
    const setup = {
      libsDir,
      heapMb: 384,
      configFile,
      log4jFile: join(node.dir, "log4j2.properties"),
      workDir: node.dir,
      logFile: join(node.dir, "broker.log"),
    };
    const startedAt = Date.now();
    node.jvm = startKafkaJvm(setup, undefined);
    await waitUntilReady(connectionTo(node), { startedAt, timeoutMs: 90_000, jvmExited: node.jvm.exited });
  };

  try {
    for (const node of nodes) {
      const configFile = await writeConfig(node);
      await execFileAsync(
        "java",
        [
          "-cp",
          `${libsDir}/*`,
          `-Dlog4j2.configurationFile=${join(node.dir, "log4j2.properties")}`,
          "kafka.tools.StorageTool",
          "format",
          "--cluster-id",
          clusterId,
          "--config",
          configFile,
        ],
        { cwd: node.dir },
      );
    }
    // Node 1 first: it is the controller the other registers with.
    for (const node of nodes) await launch(node);
    if (nodes.length > 1) await waitForBrokers(connectionTo(nodes[0]!), nodes.length);
  } catch (error) {
    for (const node of nodes) node.jvm?.kill();
    throw error;
  }

  return {
    bootstrapServers: nodes.map((n) => `127.0.0.1:${n.port}`).join(","),
    plaintextBootstrapServers:
      nodes[0]!.plaintextPort === undefined ? undefined : `127.0.0.1:${nodes[0]!.plaintextPort}`,
    caLocation: tls.caFile,
    connection: (user) => ({
      ...connectionTo(nodes[0]!, user),
      bootstrapServers: nodes.map((n) => `127.0.0.1:${n.port}`).join(","),
    }),
    nodeBootstrap: (nodeId) => `127.0.0.1:${nodeOf(nodeId).port}`,
    stopNode: async (nodeId, stopOptions = {}) => {
      const node = nodeOf(nodeId);
      await node.jvm?.stop(stopOptions.graceful ?? false);
      node.jvm = undefined;
    },
    startNode: async (nodeId, startOptions = {}) => {
      const node = nodeOf(nodeId);
      if (node.jvm !== undefined) throw new Error(`node ${nodeId} is running`);
      if (startOptions.users) {
        if (Object.keys(startOptions.users).length === 0)
          throw new Error("startNode: give at least one user");
        currentUsers = startOptions.users;
      }
      await launch(node);
    },
    stop: async () => {
      await Promise.all(nodes.map((node) => node.jvm?.stop(false)));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * The run's broker properties (server-properties.ts) with this node's id, roles, listeners and
 * users in place of the single-node ones.
 */
function nodeProperties(p: {
  node: NodeState;
  controllerPort: number;
  tls: TlsFiles;
  users: Record<string, string>;
  interBroker: [string, string];
  extra: Record<string, string | number | boolean>;
}): string {
  const base = serverProperties({
    port: p.node.port,
    controllerPort: p.controllerPort,
    logDir: join(p.node.dir, "kraft-data"),
    username: p.interBroker[0],
    password: p.interBroker[1],
    tls: p.tls,
  });
  const props = new Map(
    base
      .trim()
      .split("\n")
      .map((line) => {
        const at = line.indexOf("=");
        return [line.slice(0, at), line.slice(at + 1)] as [string, string];
      }),
  );
  const jaas =
    "org.apache.kafka.common.security.plain.PlainLoginModule required " +
    `username="${p.interBroker[0]}" password="${p.interBroker[1]}" ` +
    Object.entries(p.users)
      .map(([user, password]) => `user_${user}="${password}"`)
      .join(" ") +
    ";";
  const controller = p.node.id === 1;
  const listeners = [`SASL_SSL://127.0.0.1:${p.node.port}`];
  if (p.node.plaintextPort !== undefined)
    listeners.push(`SASL_PLAINTEXT://127.0.0.1:${p.node.plaintextPort}`);
  props.set("node.id", String(p.node.id));
  props.set("process.roles", controller ? "broker,controller" : "broker");
  props.set("advertised.listeners", listeners.join(","));
  if (controller) listeners.push(`CONTROLLER://127.0.0.1:${p.controllerPort}`);
  props.set("listeners", listeners.join(","));
  props.set(
    "listener.security.protocol.map",
    "SASL_SSL:SASL_SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
  );
  props.set("listener.name.sasl_ssl.plain.sasl.jaas.config", jaas);
  if (p.node.plaintextPort !== undefined) {
    props.set("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "PLAIN");
    props.set("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas);
  }
  // A broker that is killed must lose its leaderships within seconds, not the default 9.
  props.set("broker.session.timeout.ms", "3000");
  props.set("broker.heartbeat.interval.ms", "500");
  for (const [key, value] of Object.entries(p.extra)) props.set(key, String(value));
  return `${[...props].map(([k, v]) => `${k}=${v}`).join("\n")}\n`;
}

/** Until a topic replicated to every broker can be created, the second broker has not registered yet. */
async function waitForBrokers(conn: KafkaConnection, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  for (;;) {
    try {
      await withAdmin(conn, (admin) =>
        admin.createTopics({
          timeout: 5_000,
          topics: [{ topic: "fault-cluster-probe", numPartitions: 1, replicationFactor: count }],
        }),
      );
      return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`${count} brokers did not register: ${String(lastError)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}
