// Transport security of the Kafka clients: SASL_SSL with certificate and host name verification
// unless KAFKA_INSECURE_TRANSPORT asks, by name, for plaintext or unverified TLS, which only a
// broker on this machine may be reached with.
import { describe, expect, it } from "vitest";
import { isLocalBroker } from "../../shared/config/kafka-transport.js";
import { sweepSettingsFromEnv } from "../../shared/config/sweep-settings.js";
import { producerConfig } from "../../shared/kafka/producer.js";

const env = {
  SWEEP_KIND: "uplink-loss-latency",
  KAFKA_BOOTSTRAP_SERVERS: "pkc-12345.us-east-1.aws.confluent.cloud:9092",
  KAFKA_SECRET_ID: "semaphore/kafka",
  MERAKI_SECRET_ID: "semaphore/meraki",
};
const credentials = { username: "key", password: "secret" };

describe("the Kafka transport of a sweep function", () => {
  it("is SASL_SSL verifying the broker's certificate and host name when nothing asks otherwise", () => {
    const settings = sweepSettingsFromEnv(env);
    expect(settings.kafka.transport).toBe("verified-tls");
    expect(producerConfig({ ...settings.kafka, clientId: "t" }, credentials)).toMatchObject({
      "security.protocol": "sasl_ssl",
      "enable.ssl.certificate.verification": true,
      "ssl.endpoint.identification.algorithm": "https",
      "ssl.ca.location": "probe",
    });
  });

  it.each([
    ["plaintext", "localhost:9092"],
    ["unverified-tls", "127.0.0.1:19093,[::1]:19094"],
  ])("may be %s for a broker on this machine (%s) when asked", (transport, servers) => {
    const settings = sweepSettingsFromEnv({
      ...env,
      KAFKA_BOOTSTRAP_SERVERS: servers,
      KAFKA_INSECURE_TRANSPORT: transport,
    });
    expect(settings.kafka.transport).toBe(transport);
  });

  it.each(["plaintext", "unverified-tls"])("refuses %s for any other broker, naming it", (transport) => {
    expect(() => sweepSettingsFromEnv({ ...env, KAFKA_INSECURE_TRANSPORT: transport })).toThrow(
      `the uplink-loss-latency sweep function is misconfigured: KAFKA_INSECURE_TRANSPORT: ${transport} is only for a ` +
        "broker on this machine (localhost, 127.0.0.0/8 or ::1), not for pkc-12345.us-east-1.aws.confluent.cloud:9092: " +
        "any other broker is reached with SASL_SSL and certificate verification",
    );
  });

  it("refuses a mixed list where one broker is elsewhere", () => {
    expect(isLocalBroker("localhost:9092,broker.example.com:9092")).toBe(false);
  });

  it("refuses a transport it does not know", () => {
    expect(() => sweepSettingsFromEnv({ ...env, KAFKA_INSECURE_TRANSPORT: "ssl" })).toThrow(
      /KAFKA_INSECURE_TRANSPORT: Invalid option: expected one of "unverified-tls"\|"plaintext"/,
    );
  });

  it("turns unverified TLS into SASL_SSL without certificate or host name verification", () => {
    expect(
      producerConfig(
        { bootstrapServers: "localhost:9093", clientId: "t", transport: "unverified-tls" },
        credentials,
      ),
    ).toMatchObject({
      "security.protocol": "sasl_ssl",
      "enable.ssl.certificate.verification": false,
      "ssl.endpoint.identification.algorithm": "none",
    });
  });

  it("turns plaintext into SASL_PLAINTEXT with no TLS setting at all", () => {
    const config = producerConfig(
      { bootstrapServers: "localhost:9092", clientId: "t", transport: "plaintext" },
      credentials,
    );
    expect(config["security.protocol"]).toBe("sasl_plaintext");
    expect(Object.keys(config).filter((key) => key.startsWith("ssl") || key.includes("ssl."))).toEqual([]);
  });
});
