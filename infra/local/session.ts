/**
 * The running local pipeline, as the other commands find it: `npm start` writes where its services
 * are (Kafka, the Secrets Manager and DynamoDB endpoint, the Meraki API) into a file of its own,
 * named after its process id, and removes it when it stops. No secret is in the file: a command
 * reads the Kafka credentials from the pipeline's Secrets Manager, as the sweeps do.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import * as z from "zod";
import { kafkaSecretSchema } from "../../shared/handlers/credentials.js";
import type { KafkaConnection } from "./kafka/admin.js";
import { localSecretsManagerClient } from "./secrets/seed.js";

const sessionSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  kafka: z.object({
    bootstrapServers: z.string().min(1),
    caLocation: z.string().min(1).optional(),
    /** The broker npm start runs itself, rather than an existing cluster. */
    embedded: z.boolean(),
  }),
  aws: z.object({ endpoint: z.url(), region: z.string().min(1) }),
  secretIds: z.object({ kafka: z.string().min(1), meraki: z.string().min(1) }),
  meraki: z.object({ baseUrl: z.url(), simulated: z.boolean() }),
  budgetTable: z.string().min(1),
  /** The consumer groups' prefix (`<prefix>-<kind>`). */
  consumerGroupPrefix: z.string().min(1),
});

export type PipelineSession = z.infer<typeof sessionSchema>;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PREFIX = "pipeline-";

/** SEMAPHORE_RUN_DIR, or .tools/run in the repository (ignored by git). */
export function sessionDirectory(env: Record<string, string | undefined> = process.env): string {
  return env.SEMAPHORE_RUN_DIR ?? join(ROOT, ".tools", "run");
}

/** Writes the session file (readable by this user only); the returned function removes it. */
export function publishSession(session: PipelineSession, directory = sessionDirectory()): () => void {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${PREFIX}${session.pid}.json`);
  writeFileSync(file, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

/**
 * The most recently started pipeline that is still running, if any. Files of pipelines that are
 * gone (killed before they could remove theirs) are removed on the way.
 */
export function findSession(directory = sessionDirectory()): PipelineSession | undefined {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.startsWith(PREFIX) && name.endsWith(".json"));
  } catch {
    return undefined;
  }
  const live: PipelineSession[] = [];
  for (const name of names) {
    const file = join(directory, name);
    const parsed = sessionSchema.safeParse(readJson(file));
    if (parsed.success && isRunning(parsed.data.pid)) live.push(parsed.data);
    else rmSync(file, { force: true });
  }
  return live.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
}

/** The session's Kafka cluster, with the credentials from its Secrets Manager (those the sweeps use). */
export async function sessionKafkaConnection(session: PipelineSession): Promise<KafkaConnection> {
  const client = localSecretsManagerClient(session.aws.endpoint, session.aws.region);
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: session.secretIds.kafka }));
    const credentials = kafkaSecretSchema.parse(JSON.parse(secret.SecretString ?? ""));
    return {
      bootstrapServers: session.kafka.bootstrapServers,
      username: credentials.username,
      password: credentials.password,
      ...(session.kafka.caLocation ? { caLocation: session.kafka.caLocation } : {}),
    };
  } finally {
    client.destroy();
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
