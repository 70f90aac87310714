/**
 * The secret values the fault cases run with, known so that every file can search its output for
 * them (leak-watch.ts). Shaped like the real thing: a Meraki key is 40 hex digits, a Confluent
 * Cloud API secret 64 characters.
 */
export const MERAKI_KEY = "5ec7e7f0a0175e5e1ec7ab1e0ddba11c0ffee001";
export const MERAKI_KEY_ROTATED = "5ec7e7f0a0175e5e1ec7ab1e0ddba11c0ffee002";
export const KAFKA_USER = "faults";
export const KAFKA_PASSWORD = "FaultSuiteKafkaSecret0000000000000000000000000000000000000000001";
export const KAFKA_USER_ROTATED = "faults-rotated";
export const KAFKA_PASSWORD_ROTATED = "FaultSuiteKafkaSecret0000000000000000000000000000000000000000002";

/** Labels for the leak watch's findings: a finding names the label, never the value. */
export function knownSecrets(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "Meraki API key": MERAKI_KEY,
    "rotated Meraki API key": MERAKI_KEY_ROTATED,
    "Kafka password": KAFKA_PASSWORD,
    "rotated Kafka password": KAFKA_PASSWORD_ROTATED,
    ...extra,
  };
}
