/**
 * The broker's configuration files: server.properties for a single-node KRaft broker with one
 * SASL_SSL/PLAIN listener (and the credentials it may contain), and the log4j2 configuration.
 */
import type { TlsFiles } from "./tls.js";

const NODE_ID = 1;

export function assertCredentials(username: string, password: string): void {
  // Both end up inside a quoted JAAS string in a .properties file.
  if (!/^[A-Za-z0-9._-]+$/.test(username)) {
    throw new Error(`Kafka username must match [A-Za-z0-9._-]+, got ${JSON.stringify(username)}`);
  }
  if (password.length === 0 || /["\\\r\n]/.test(password)) {
    throw new Error("Kafka password must be non-empty without quotes, backslashes or line breaks");
  }
}

export function serverProperties(p: {
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

export const LOG4J2_PROPERTIES = `# Broker log to stdout, which the launcher sends to broker.log.
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
