/**
 * One sweep invocation in a process of its own, as in a Lambda execution environment, for the cases
 * that kill that process: FAULTS_SWEEP holds the settings (the kind by id), the Secrets Manager
 * client options and the event. Prints the summary as one JSON line when the invocation returns.
 */
import { lambdaContext } from "../../../infra/local/lambda-context.js";
import type { SweepFunctionSettings } from "../../../shared/config/sweep-settings.js";
import { createSweepHandler } from "../../../shared/handlers/sweep-handler.js";
import { type KindId, kindById } from "../../../shared/kinds/registry.js";

export interface SweepProcessInput {
  settings: Omit<SweepFunctionSettings, "kind"> & { kind: KindId };
  secretsManagerClientOptions: Record<string, unknown>;
  event: unknown;
}

const input = JSON.parse(process.env.FAULTS_SWEEP ?? "{}") as SweepProcessInput;
const handler = createSweepHandler(
  { ...input.settings, kind: kindById(input.settings.kind) },
  { secretsManagerClientOptions: input.secretsManagerClientOptions },
);
const summary = await handler(input.event, lambdaContext("faults-sweep-process"));
process.stdout.write(`${JSON.stringify({ summary })}\n`);
await handler.close();
