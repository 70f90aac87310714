/**
 * One authenticated connection to a Kafka broker over TLS with SASL/PLAIN (the local broker, or
 * Confluent Cloud), speaking requests this project encodes itself: the Kafka client library it
 * uses has no binding for them (DescribeConfigs, confluent-kafka-javascript#444). Requests go one
 * at a time, each framed as INT32 size + request header v1; responses are matched by correlation id.
 */
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import { KafkaAuthenticationError, KafkaUnreachableError } from "../../../../shared/kafka/errors.js";
import type { KafkaConnection } from "../admin.js";
import { KafkaProtocolError } from "./errors.js";
import { WireReader, WireWriter } from "./wire.js";

const API_SASL_HANDSHAKE = 17;
const API_VERSIONS = 18;
const API_SASL_AUTHENTICATE = 36;
const CLIENT_ID = "semaphore-tools";

export interface ApiVersionRange {
  min: number;
  max: number;
}

export class BrokerConnection {
  readonly #socket: TLSSocket;
  readonly #bootstrapServers: string;
  #correlationId = 0;
  #received = Buffer.alloc(0);
  #pending: {
    correlationId: number;
    resolve: (body: Buffer) => void;
    reject: (error: Error) => void;
  } | null = null;
  #closedWith: Error | null = null;

  private constructor(socket: TLSSocket, bootstrapServers: string) {
    this.#socket = socket;
    this.#bootstrapServers = bootstrapServers;
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("error", (error) => this.#fail(this.#unreachable(error.message)));
    socket.on("close", () => this.#fail(this.#unreachable("the broker closed the connection")));
  }

  /**
   * Connects to the first bootstrap server and logs in. Rejects with KafkaUnreachableError when no
   * TLS connection comes up within `timeoutMs`, KafkaAuthenticationError when the login is refused.
   */
  static async open(conn: KafkaConnection, timeoutMs = 15_000): Promise<BrokerConnection> {
    const [first] = conn.bootstrapServers.split(",");
    const [host, portText] = splitHostPort(first!.trim());
    const ca = conn.caLocation ? await readFile(conn.caLocation) : undefined;
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new KafkaUnreachableError(
            `no TLS connection to Kafka at ${conn.bootstrapServers} within ${timeoutMs} ms: check the bootstrap ` +
              "address and the network path",
            conn.bootstrapServers,
          ),
        );
      }, timeoutMs);
      // SNI names the host (Confluent Cloud routes by it); an IP address is not a valid server name.
      const tls = {
        host,
        port: Number(portText),
        ...(isIP(host) ? {} : { servername: host }),
        ...(ca ? { ca } : {}),
      };
      const socket = connect(tls, () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(
          new KafkaUnreachableError(
            `could not connect to Kafka at ${conn.bootstrapServers}: ${error.message}`,
            conn.bootstrapServers,
            { cause: error },
          ),
        );
      });
    });
    const broker = new BrokerConnection(socket, conn.bootstrapServers);
    try {
      await broker.#login(conn.username, conn.password);
      return broker;
    } catch (error) {
      broker.close();
      throw error;
    }
  }

  /** What the broker supports, per API key (ApiVersions v0). */
  async apiVersions(): Promise<Map<number, ApiVersionRange>> {
    const reader = await this.request(API_VERSIONS, 0, new WireWriter());
    const errorCode = reader.int16();
    if (errorCode !== 0) throw this.protocolError(`ApiVersions failed with error code ${errorCode}`);
    const ranges = reader.array((r) => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
    return new Map(ranges.map(({ key, min, max }) => [key, { min, max }]));
  }

  /** Sends one request and resolves with a reader over its response body. */
  async request(apiKey: number, apiVersion: number, body: WireWriter): Promise<WireReader> {
    if (this.#closedWith) throw this.#closedWith;
    if (this.#pending) throw this.protocolError("one request at a time on a BrokerConnection");
    const correlationId = ++this.#correlationId;
    const payload = new WireWriter()
      .int16(apiKey)
      .int16(apiVersion)
      .int32(correlationId)
      .string(CLIENT_ID)
      .toBuffer();
    const message = Buffer.concat([payload, body.toBuffer()]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(message.length);
    const response = new Promise<Buffer>((resolve, reject) => {
      this.#pending = { correlationId, resolve, reject };
    });
    this.#socket.write(Buffer.concat([size, message]));
    return new WireReader(await response);
  }

  close(): void {
    this.#closedWith ??= this.protocolError("the connection is closed");
    this.#socket.destroy();
  }

  protocolError(message: string, cause?: unknown): KafkaProtocolError {
    return new KafkaProtocolError(
      `${message} (Kafka at ${this.#bootstrapServers})`,
      this.#bootstrapServers,
      cause === undefined ? undefined : { cause },
    );
  }

  async #login(username: string, password: string): Promise<void> {
    // SaslHandshake v1 (v0 went in Kafka 4.0), then the PLAIN token in SaslAuthenticate v0.
    const handshake = await this.request(API_SASL_HANDSHAKE, 1, new WireWriter().string("PLAIN"));
    const handshakeError = handshake.int16();
    const mechanisms = handshake.array((r) => r.string());
    if (handshakeError !== 0) {
      throw this.protocolError(
        `the broker does not offer SASL/PLAIN (it offers ${mechanisms.join(", ") || "no mechanism"})`,
      );
    }
    const token = Buffer.from(`\u0000${username}\u0000${password}`, "utf8");
    const auth = await this.request(API_SASL_AUTHENTICATE, 0, new WireWriter().bytes(token));
    const authError = auth.int16();
    const message = auth.nullableString();
    if (authError !== 0) {
      throw new KafkaAuthenticationError(
        this.#bootstrapServers,
        message ?? `error code ${authError}`,
        `the admin connection (user "${username}")`,
      );
    }
  }

  #onData(chunk: Buffer): void {
    this.#received = Buffer.concat([this.#received, chunk]);
    while (this.#received.length >= 4) {
      const size = this.#received.readInt32BE(0);
      if (this.#received.length < 4 + size) return;
      const frame = this.#received.subarray(4, 4 + size);
      this.#received = this.#received.subarray(4 + size);
      const pending = this.#pending;
      const correlationId = frame.readInt32BE(0);
      if (!pending || pending.correlationId !== correlationId) {
        this.#fail(this.protocolError(`unexpected response with correlation id ${correlationId}`));
        return;
      }
      this.#pending = null;
      pending.resolve(Buffer.from(frame.subarray(4)));
    }
  }

  #fail(error: Error): void {
    this.#closedWith ??= error;
    const pending = this.#pending;
    this.#pending = null;
    pending?.reject(error);
  }

  #unreachable(reason: string): KafkaUnreachableError {
    return new KafkaUnreachableError(
      `the connection to Kafka at ${this.#bootstrapServers} failed: ${reason}`,
      this.#bootstrapServers,
    );
  }
}

function splitHostPort(server: string): [string, string] {
  const colon = server.lastIndexOf(":");
  return colon > 0 ? [server.slice(0, colon), server.slice(colon + 1)] : [server, "9092"];
}
