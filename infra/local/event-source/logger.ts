/**
 * Where the event source reports what it does. A Powertools Logger fits this shape, and so does
 * `console`.
 */
import type { KafkaJS } from "@confluentinc/kafka-javascript";

export interface EventSourceLogger {
  // Attributes always given: that is what lets a Powertools Logger (whose second parameter is a
  // rest of attribute objects) stand in for this interface.
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** librdkafka's log event ({severity, fac, message}); syslog severities, 3 = error, 4 = warning. */
export interface LibrdKafkaLogLine {
  severity?: number;
  fac?: string;
  message?: string;
}

/**
 * Feeds librdkafka's warning and error lines into a KafkaJS-style logger (what saslFailureWatcher
 * watches). Lower severities are chatter about normal operation and are dropped.
 */
export function forwardClientLog(line: LibrdKafkaLogLine, target: KafkaJS.Logger): void {
  const severity = line.severity ?? 7;
  const message = line.message ?? "";
  if (severity <= 3) target.error(message, { fac: line.fac });
  else if (severity === 4) target.warn(message, { fac: line.fac });
}

/**
 * The client's own warnings and errors are mostly transient (a broker connection dropped and came
 * back), so they go to `logger` as warnings; a lasting failure surfaces through the event source.
 */
export function clientLogger(logger: EventSourceLogger, context: Record<string, unknown>): KafkaJS.Logger {
  const target: KafkaJS.Logger = {
    info: () => {},
    debug: () => {},
    warn: (message, extra) => logger.warn(`kafka client: ${stripThread(message)}`, { ...context, ...extra }),
    error: (message, extra) => logger.warn(`kafka client: ${stripThread(message)}`, { ...context, ...extra }),
    namespace: () => target,
    setLogLevel: () => {},
  };
  return target;
}

function stripThread(message: string): string {
  return message.replace(/^\[thrd:[^\]]*\]: /, "");
}

/** A Powertools Logger as an EventSourceLogger (its attributes are typed more narrowly). */
export function powertoolsEventSourceLogger(logger: {
  info(message: string, ...attributes: Array<Record<string, unknown>>): void;
  warn(message: string, ...attributes: Array<Record<string, unknown>>): void;
  error(message: string, ...attributes: Array<Record<string, unknown>>): void;
}): EventSourceLogger {
  return {
    info: (message, attributes) => logger.info(message, { ...attributes }),
    warn: (message, attributes) => logger.warn(message, { ...attributes }),
    error: (message, attributes) => logger.error(message, { ...attributes }),
  };
}
