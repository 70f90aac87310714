import type {
  DeliveryReport,
  LibrdKafkaError,
  Producer,
  ProducerGlobalConfig,
  ProducerTopicConfig,
} from "@confluentinc/kafka-javascript";
import KafkaJavascript from "@confluentinc/kafka-javascript";
import type { KafkaTransport } from "../config/kafka-transport.js";
import {
  KafkaAuthenticationError,
  KafkaDeliveryError,
  KafkaUnreachableError,
  SASL_AUTH_FAILURE_LOG,
  type UndeliveredSummary,
  withoutThreadPrefix,
} from "./errors.js";
import type { TelemetryRecord } from "./record.js";

const { CODES } = KafkaJavascript;

/** Records enqueued between two turns of the event loop (about 50 ms of work). */
const YIELD_EVERY = 5_000;

/** The Kafka secret's shape, identical to what the event source mapping's BASIC_AUTH wants. */
export interface KafkaCredentials {
  username: string;
  password: string;
}

export interface KafkaProducerSettings {
  bootstrapServers: string;
  clientId: string;
  /**
   * SASL_SSL with the broker's certificate and host name verified (default, Confluent Cloud);
   * the insecure ones only for a local broker (shared/config/kafka-transport.ts).
   */
  transport?: KafkaTransport;
  /** PEM bundle of CAs to trust; librdkafka probes the system's locations when omitted. */
  caLocation?: string;
  compression?: "lz4" | "zstd" | "gzip" | "snappy" | "none";
  lingerMs?: number;
  /** Upper bound on one record's delivery (librdkafka message.timeout.ms). */
  deliveryTimeoutMs?: number;
  /** How long to wait for the first broker connection before calling the cluster unreachable. */
  connectTimeoutMs?: number;
}

export interface ProduceResult {
  delivered: number;
  bytes: number;
}

export interface RecordProducer {
  produce(records: TelemetryRecord[]): Promise<ProduceResult>;
}

const AUTH_CODES = new Set<number>([
  CODES.ERRORS.ERR__AUTHENTICATION,
  CODES.ERRORS.ERR_SASL_AUTHENTICATION_FAILED,
]);

/** librdkafka's log event ({severity, fac, message}); error-level lines arrive without `debug`. */
interface LibrdKafkaLogLine {
  severity?: number;
  fac?: string;
  message?: string;
}

/** connect() would only fail at its timeout with a generic transport error; see SASL_AUTH_FAILURE_LOG. */
function isSaslFailureLog(line: LibrdKafkaLogLine): boolean {
  return typeof line.message === "string" && SASL_AUTH_FAILURE_LOG.test(line.message);
}

/** An error-level line (severity 3 or lower) about a failed connection, e.g. "SSL handshake failed: ...". */
function isFailureLog(line: LibrdKafkaLogLine): boolean {
  return typeof line.message === "string" && (line.severity ?? 7) <= 3 && line.fac === "FAIL";
}

function logAsConnectFailure(line: LibrdKafkaLogLine): LibrdKafkaError {
  return {
    message: withoutThreadPrefix(line.message ?? ""),
    code: CODES.ERRORS.ERR__TRANSPORT,
    errno: CODES.ERRORS.ERR__TRANSPORT,
    origin: "local",
  };
}

function logAsError(line: LibrdKafkaLogLine): LibrdKafkaError {
  const message = withoutThreadPrefix(line.message ?? "");
  return {
    message,
    code: CODES.ERRORS.ERR__AUTHENTICATION,
    errno: CODES.ERRORS.ERR__AUTHENTICATION,
    origin: "kafka",
  };
}

function isAuthenticationFailure(error: LibrdKafkaError): boolean {
  return (
    AUTH_CODES.has(error.code) ||
    SASL_AUTH_FAILURE_LOG.test(error.message) ||
    /Authentication failed/i.test(error.message)
  );
}

export function producerConfig(
  settings: KafkaProducerSettings,
  credentials: KafkaCredentials,
): ProducerGlobalConfig & ProducerTopicConfig {
  return {
    "bootstrap.servers": settings.bootstrapServers,
    "client.id": settings.clientId,
    ...transportConfig(settings.transport ?? "verified-tls", settings.caLocation),
    "sasl.mechanisms": "PLAIN",
    "sasl.username": credentials.username,
    "sasl.password": credentials.password,
    // Idempotent and fully acknowledged: a broker retry never duplicates or reorders a record.
    "enable.idempotence": true,
    acks: -1,
    "compression.type": settings.compression ?? "lz4",
    "linger.ms": settings.lingerMs ?? 20,
    "batch.num.messages": 10_000,
    "message.timeout.ms": settings.deliveryTimeoutMs ?? 30_000,
    "socket.connection.setup.timeout.ms": Math.min(settings.connectTimeoutMs ?? 15_000, 30_000),
    dr_cb: true,
  };
}

/** librdkafka's settings of each transport; verification is spelt out rather than left to defaults. */
function transportConfig(transport: KafkaTransport, caLocation: string | undefined): ProducerGlobalConfig {
  if (transport === "plaintext") return { "security.protocol": "sasl_plaintext" };
  const verify = transport === "verified-tls";
  return {
    "security.protocol": "sasl_ssl",
    "ssl.ca.location": caLocation ?? "probe",
    "enable.ssl.certificate.verification": verify,
    "ssl.endpoint.identification.algorithm": verify ? "https" : "none",
  };
}

/**
 * One librdkafka producer, created once per credentials and reused across warm invocations.
 * produce() resolves only when every record has a delivery report, and fails when any is missing.
 */
export class KafkaTelemetryProducer implements RecordProducer {
  readonly #producer: Producer;
  readonly #settings: KafkaProducerSettings;
  /** The produce() calls waiting for delivery reports; a report's opaque says whose record it is. */
  readonly #batches = new Set<Batch>();
  #nextOpaque = 0;
  #fatal: Error | undefined;
  #closed = false;

  private constructor(producer: Producer, settings: KafkaProducerSettings) {
    this.#producer = producer;
    this.#settings = settings;
    producer.on("delivery-report", (error, report) => this.#onDelivery(error, report));
    producer.on("event.error", (error) => this.#onClientError(error));
    producer.on("event.log", (line: LibrdKafkaLogLine) => {
      if (isSaslFailureLog(line)) this.#onClientError(logAsError(line));
    });
    producer.setPollInterval(10);
  }

  static async connect(
    settings: KafkaProducerSettings,
    credentials: KafkaCredentials,
  ): Promise<KafkaTelemetryProducer> {
    const producer = new KafkaJavascript.Producer(producerConfig(settings, credentials));
    const timeoutMs = settings.connectTimeoutMs ?? 15_000;
    await new Promise<void>((resolve, reject) => {
      let lastError: LibrdKafkaError | undefined;
      const fail = (error: Error) => {
        clearTimeout(timer);
        producer.removeListener("event.error", onError);
        producer.removeListener("event.log", onLog);
        reject(error);
        // librdkafka finishes (and then tears down) a pending connect only at its own timeout, so
        // the invocation does not wait for it; disconnect() throws for a client that never connected.
        try {
          producer.disconnect(() => undefined);
        } catch {
          // never connected: nothing to release
        }
      };
      const onError = (error: LibrdKafkaError) => {
        lastError = error;
        if (isAuthenticationFailure(error)) fail(authenticationError(settings.bootstrapServers, error));
      };
      const timer = setTimeout(
        () => fail(unreachableError(settings.bootstrapServers, timeoutMs, lastError)),
        timeoutMs,
      );
      const onLog = (line: LibrdKafkaLogLine) => {
        if (isSaslFailureLog(line)) fail(authenticationError(settings.bootstrapServers, logAsError(line)));
        // A refused TLS handshake (untrusted certificate, a plaintext port) is only ever logged:
        // it is the reason to give when the connect times out.
        else if (isFailureLog(line)) lastError = logAsConnectFailure(line);
      };
      producer.on("event.error", onError);
      producer.on("event.log", onLog);
      producer.connect({ timeout: timeoutMs }, (error) => {
        if (error) {
          if (isAuthenticationFailure(error)) fail(authenticationError(settings.bootstrapServers, error));
          else fail(unreachableError(settings.bootstrapServers, timeoutMs, lastError ?? error));
          return;
        }
        clearTimeout(timer);
        producer.removeListener("event.error", onError);
        producer.removeListener("event.log", onLog);
        resolve();
      });
    });
    return new KafkaTelemetryProducer(producer, settings);
  }

  /** False once the client hit a fatal or authentication error: the cache must build a new one. */
  get healthy(): boolean {
    return !this.#fatal && !this.#closed;
  }

  async produce(records: TelemetryRecord[]): Promise<ProduceResult> {
    // Record i of the call is sent with opaque firstOpaque + i: a report finds its record without
    // a map entry per record (a map of pending records and a set of reported ones were a fifth
    // of a 100,000-record batch's time).
    const batch = new Batch(records, this.#settings.bootstrapServers, this.#nextOpaque);
    this.#nextOpaque += records.length;
    this.#batches.add(batch);
    try {
      for (let index = 0; index < records.length; index++) {
        if (this.#fatal) break;
        try {
          // Synchronous while librdkafka's queue has room, which is almost always: an await per
          // record cost about a tenth of a 100,000-record batch's time.
          while (!this.#enqueue(records[index]!, batch.firstOpaque + index)) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          // Without a turn of the event loop now and then, a batch of 100,000 would hold it for a
          // second: no delivery report handled, no timer (the invocation's deadline) run.
          if (index % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
        } catch (error) {
          // The client refused this record before sending it (e.g. larger than message.max.bytes):
          // it counts as undelivered, like one the broker refused, and the records after it still go out.
          batch.report(index, refusedBeforeSending(error), 0);
        }
      }
      // Every record without a delivery report by now (or later, see #onClientError) is undelivered.
      if (this.#fatal) batch.fail(this.#fatal);
      else this.#producer.flush(this.#settings.deliveryTimeoutMs ?? 30_000, () => undefined);
      return await batch.done;
    } finally {
      this.#batches.delete(batch);
    }
  }

  async disconnect(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => this.#producer.disconnect(5_000, () => resolve()));
  }

  /** Hands the record to librdkafka; false when its local queue is full (it drains as deliveries complete). */
  #enqueue(record: TelemetryRecord, opaque: number): boolean {
    const headers: Array<Record<string, string>> = [];
    for (const name in record.headers) headers.push({ [name]: record.headers[name]! });
    try {
      this.#producer.produce(
        record.topic,
        null,
        Buffer.from(record.value),
        record.key,
        Date.now(),
        opaque,
        headers,
      );
      return true;
    } catch (error) {
      if ((error as LibrdKafkaError).code === CODES.ERRORS.ERR__QUEUE_FULL) return false;
      throw error;
    }
  }

  #onDelivery(error: LibrdKafkaError | null | undefined, report: DeliveryReport): void {
    const opaque = report.opaque as number;
    for (const batch of this.#batches) {
      if (batch.owns(opaque)) {
        batch.report(opaque - batch.firstOpaque, error ?? undefined, report.size);
        return;
      }
    }
  }

  #onClientError(error: LibrdKafkaError): void {
    if (isAuthenticationFailure(error) || error.isFatal) {
      this.#fatal = isAuthenticationFailure(error)
        ? authenticationError(this.#settings.bootstrapServers, error)
        : new KafkaUnreachableError(
            `Kafka producer hit a fatal error (${error.message}); it will be recreated on the next invocation`,
            this.#settings.bootstrapServers,
            { cause: error },
          );
      for (const batch of this.#batches) batch.fail(this.#fatal);
    }
  }
}

/**
 * Tracks one produce() call's delivery reports. It settles once every record has one, or at a fatal
 * client error: then the records without a report count as undelivered for that reason, so the
 * error always says how many of the call's records did not get through.
 */
class Batch {
  readonly done: Promise<ProduceResult>;
  #resolve!: (result: ProduceResult) => void;
  #reject!: (error: Error) => void;
  #settled = false;
  /** 1 for each record with a report. */
  readonly #reported: Uint8Array;
  #reportedCount = 0;
  #bytes = 0;
  readonly #failures: Array<{ index: number; reason: string }> = [];

  constructor(
    private readonly records: TelemetryRecord[],
    private readonly bootstrapServers: string,
    /** The opaque of the call's first record; record i has firstOpaque + i. */
    readonly firstOpaque: number,
  ) {
    this.#reported = new Uint8Array(records.length);
    this.done = new Promise<ProduceResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (records.length === 0) this.#finish();
  }

  owns(opaque: number): boolean {
    return opaque >= this.firstOpaque && opaque < this.firstOpaque + this.records.length;
  }

  report(index: number, error: LibrdKafkaError | undefined, size: number): void {
    if (this.#settled || this.#reported[index] === 1) return;
    this.#reported[index] = 1;
    this.#reportedCount += 1;
    if (error) this.#failures.push({ index, reason: error.message });
    else this.#bytes += size;
    if (this.#reportedCount === this.records.length) this.#finish();
  }

  /** The client cannot deliver anything more (refused login, fatal error). */
  fail(fatal: Error): void {
    if (this.#settled) return;
    for (let index = 0; index < this.records.length; index++) {
      if (this.#reported[index] === 1) continue;
      this.#reported[index] = 1;
      this.#failures.push({ index, reason: fatal.message });
    }
    this.#finish(fatal);
  }

  #finish(cause?: Error): void {
    this.#settled = true;
    // Failures are noted as reports arrive: in record order for the summary's sample keys.
    this.#failures.sort((a, b) => a.index - b.index);
    if (this.#failures.length === 0) {
      this.#resolve({ delivered: this.records.length, bytes: this.#bytes });
      return;
    }
    this.#reject(
      new KafkaDeliveryError(
        this.#failures.length,
        this.records.length,
        summarise(this.records, this.#failures),
        this.bootstrapServers,
        cause === undefined ? undefined : { cause },
      ),
    );
  }
}

function summarise(
  records: TelemetryRecord[],
  failures: Array<{ index: number; reason: string }>,
): UndeliveredSummary[] {
  const byTopic = new Map<string, UndeliveredSummary>();
  for (const failure of failures) {
    const record = records[failure.index]!;
    const summary = byTopic.get(record.topic) ?? { topic: record.topic, reasons: {}, sampleKeys: [] };
    summary.reasons[failure.reason] = (summary.reasons[failure.reason] ?? 0) + 1;
    if (summary.sampleKeys.length < 5) summary.sampleKeys.push(record.key);
    byTopic.set(record.topic, summary);
  }
  return [...byTopic.values()];
}

function refusedBeforeSending(error: unknown): LibrdKafkaError {
  const known = error as Partial<LibrdKafkaError>;
  const code = typeof known.code === "number" ? known.code : CODES.ERRORS.ERR__FAIL;
  return {
    message: `refused by the client before sending (${known.message ?? String(error)})`,
    code,
    errno: code,
    origin: "local",
  };
}

function authenticationError(bootstrapServers: string, cause: LibrdKafkaError): KafkaAuthenticationError {
  return new KafkaAuthenticationError(bootstrapServers, cause.message, "the producer", { cause });
}

function unreachableError(bootstrapServers: string, timeoutMs: number, cause: LibrdKafkaError | undefined) {
  return new KafkaUnreachableError(
    `Kafka at ${bootstrapServers} could not be reached within ${timeoutMs} ms` +
      `${cause ? ` (${cause.message})` : ""}. Check the bootstrap servers in the stack config and that ` +
      "the function has a network path to the cluster.",
    bootstrapServers,
    { cause },
  );
}
