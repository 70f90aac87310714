// How the Kafka clients reach the brokers. Every deployed function, and the event source mappings
// the stack creates, use SASL_SSL and verify the brokers' certificates; the two insecure modes
// exist for a broker on this machine only, and only when asked for by name.

/**
 * - `verified-tls`: SASL_SSL, the broker's certificate verified against the trusted CAs and its
 *   host name (the only transport of a deployment);
 * - `unverified-tls`: SASL_SSL without certificate or host name verification;
 * - `plaintext`: SASL_PLAINTEXT, credentials and records in clear text.
 */
export type KafkaTransport = "verified-tls" | "unverified-tls" | "plaintext";

/** The transports KAFKA_INSECURE_TRANSPORT may ask for. */
export const INSECURE_KAFKA_TRANSPORTS = ["unverified-tls", "plaintext"] as const;

export type InsecureKafkaTransport = (typeof INSECURE_KAFKA_TRANSPORTS)[number];

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;

/** The host of a `host:port` bootstrap server (an IPv6 address may be bracketed). */
function hostOf(server: string): string {
  const trimmed = server.trim();
  const colon = trimmed.lastIndexOf(":");
  return colon > 0 ? trimmed.slice(0, colon) : trimmed;
}

/** True when every bootstrap server is on this machine (localhost, 127.0.0.0/8, ::1). */
export function isLocalBroker(bootstrapServers: string): boolean {
  const servers = bootstrapServers.split(",").filter((server) => server.trim() !== "");
  return servers.length > 0 && servers.every((server) => LOOPBACK_HOSTS.test(hostOf(server)));
}

/**
 * Why this transport may not be used with these brokers, or undefined: an insecure transport is
 * refused for any broker that is not on this machine.
 */
export function insecureTransportProblem(
  transport: KafkaTransport,
  bootstrapServers: string,
): string | undefined {
  if (transport === "verified-tls" || isLocalBroker(bootstrapServers)) return undefined;
  return (
    `${transport} is only for a broker on this machine (localhost, 127.0.0.0/8 or ::1), not for ${bootstrapServers}: ` +
    "any other broker is reached with SASL_SSL and certificate verification"
  );
}
