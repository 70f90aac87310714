/**
 * `npm run invoke -- <function> --event <file>`: one invocation of one function of the stack,
 * through the same handler and middlewares as in Lambda, like `sam local invoke`: the function's
 * log lines on stderr, its result (or Lambda's error object) on stdout.
 *
 * A sweep needs Kafka, Secrets Manager and DynamoDB, and the Meraki API: those of a running
 * `npm start` when there is one and nothing else is named (the records then go through its
 * consumer), otherwise started for the invocation (the embedded broker unless a cluster is given,
 * moto holding the secrets, the simulator unless MERAKI_API_KEY is set), and stopped after it. The
 * consumer needs none: the event carries the records.
 */
import type { KafkaEventInput } from "../../../shared/consumer/index.js";
import { kindById } from "../../../shared/kinds/registry.js";
import type { StackConfig } from "../../config/stack-config.js";
import { CONSUMER_FUNCTION, type FunctionName } from "../cli/function-name.js";
import type { GivenKafka } from "../cli/kafka-target.js";
import { consumerContext, localConsumerHandler, localSweepHandler, sweepContext } from "../functions.js";
import { kindTopicSpec } from "../kafka/admin.js";
import {
  type LocalServices,
  provideTopics,
  type SimulatedOrganizations,
  sessionServices,
  startLocalServices,
} from "../services.js";
import type { PipelineSession } from "../session.js";
import type { LiveView } from "../terminal/live-view.js";

export interface InvokeRequest {
  function: FunctionName;
  event: unknown;
  /** Where the event came from, for the view. */
  eventSource: string;
  /** Produce to this topic instead of the stack config's (sweeps). */
  topic?: string | undefined;
  kafka: GivenKafka | undefined;
  merakiApiKey: string | undefined;
  simulator: SimulatedOrganizations;
  /** The running npm start's services, when they are to be used. */
  session: PipelineSession | undefined;
}

/** Lambda's response for a failed invocation. */
export interface InvocationError {
  errorType: string;
  errorMessage: string;
}

export type InvocationResult = { ok: true; result: unknown } | { ok: false; error: InvocationError };

export async function invoke(
  config: StackConfig,
  request: InvokeRequest,
  view: LiveView,
): Promise<InvocationResult> {
  if (request.function === CONSUMER_FUNCTION) {
    view.say(`invoking ${CONSUMER_FUNCTION} with ${request.eventSource}`);
    return outcome(() =>
      localConsumerHandler(config)(request.event as KafkaEventInput, consumerContext(config)),
    );
  }
  const kind = request.function;
  const services = await servicesFor(config, request, view);
  try {
    const topic = request.topic ?? config.sweeps[kind].topic;
    await provideTopics(services.kafka, [kindTopicSpec(topic, kindById(kind).topicSettings)]);
    view.say(
      `invoking ${kind} with ${request.eventSource}: Kafka ${services.kafka.description}, topic ${topic}; ` +
        `Meraki ${services.meraki.description}`,
    );
    const handler = localSweepHandler(config, kind, services, { topic });
    try {
      return await outcome(() => handler(request.event, sweepContext(config, kind)));
    } finally {
      await handler.close();
    }
  } finally {
    await services.stop();
  }
}

async function servicesFor(
  config: StackConfig,
  request: InvokeRequest,
  view: LiveView,
): Promise<LocalServices> {
  if (request.session) return sessionServices(request.session);
  return startLocalServices(config, {
    kafka: request.kafka,
    merakiApiKey: request.merakiApiKey,
    simulator: request.simulator,
    progress: (text) => view.say(text),
  });
}

async function outcome(run: () => Promise<unknown>): Promise<InvocationResult> {
  try {
    return { ok: true, result: await run() };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { errorType: failure.name, errorMessage: failure.message } };
  }
}
