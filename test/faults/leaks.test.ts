// Item 4 of issue 11 outside the handlers: secret values never reach what the stack synthesizes (the
// template, its outputs, the bundled function code, the asset manifest) or what the local runtime
// prints. The other fault files each scan their own cases' logs, errors and summaries (leak-watch.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_API_KEY } from "../../infra/local/meraki-simulator/index.js";
import { type Synthesized, synth } from "../infra/synth.js";
import { KAFKA_PASSWORD, knownSecrets, MERAKI_KEY } from "./support/secrets.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Every file under `dir`, as text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, text: readFileSync(path, "latin1") });
  }
  return out;
}

function found(secrets: Record<string, string>, files: Array<{ path: string; text: string }>): string[] {
  return Object.entries(secrets).flatMap(([label, secret]) =>
    files.filter((file) => file.text.includes(secret)).map((file) => `${label} in ${file.path}`),
  );
}

describe("the synthesized stack, with secret values in the deployer's environment", () => {
  let synthesized: Synthesized;
  let files: Array<{ path: string; text: string }>;
  // What a deployer may have exported for `npm start` or their own scripts.
  const exported = { MERAKI_API_KEY: MERAKI_KEY, KAFKA_API_SECRET: KAFKA_PASSWORD, KAFKA_PASSWORD };

  beforeAll(() => {
    const before = Object.fromEntries(Object.keys(exported).map((name) => [name, process.env[name]]));
    Object.assign(process.env, exported);
    try {
      synthesized = synth();
    } finally {
      for (const [name, value] of Object.entries(before)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    files = filesUnder(synthesized.outdir);
  }, 120_000);

  it("has outputs, function bundles and a template to search", () => {
    expect(Object.keys(synthesized.template.Outputs ?? {}).length).toBeGreaterThan(0);
    expect(files.some((file) => file.path.endsWith(".template.json"))).toBe(true);
    expect(files.filter((file) => file.path.endsWith("index.js")).length).toBeGreaterThanOrEqual(2);
  });

  it("holds no secret value in any file of the cloud assembly", () => {
    expect(found(knownSecrets(), files)).toEqual([]);
  });

  it("holds no secret value in the stack outputs", () => {
    const outputs = JSON.stringify(synthesized.template.Outputs);
    expect(found(knownSecrets(), [{ path: "Outputs", text: outputs }])).toEqual([]);
  });
});

/** `npm start -- --once`, started before the synth so the two overlap; its cases wait for it. */
const localRun = {
  output: "",
  exitCode: null as number | null,
  brokerPassword: undefined as string | undefined,
  done: undefined as Promise<void> | undefined,
};
let child: ChildProcess | undefined;

beforeAll(() => {
  // Its own TMPDIR, so the broker it starts keeps its server.properties (and so the password it
  // generated, the value the run stores in its Kafka secret) where this test can read it.
  const tmp = mkdtempSync(join(tmpdir(), "semaphore-faults-start-"));
  const { MERAKI_API_KEY: _ignored, ...env } = process.env;
  const started = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "infra/local/main.ts",
      "--once",
      "--organizations",
      "1",
      "--devices",
      "20",
      "--networks",
      "3",
    ],
    { cwd: root, env: { ...env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child = started;
  started.stdout.on("data", (chunk: Buffer) => {
    localRun.output += chunk.toString();
  });
  started.stderr.on("data", (chunk: Buffer) => {
    localRun.output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => started.once("exit", resolve));
  localRun.done = (async () => {
    while (localRun.brokerPassword === undefined && started.exitCode === null) {
      localRun.brokerPassword = readBrokerPassword(tmp);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    localRun.exitCode = await exited;
  })();
});

afterAll(() => {
  if (child?.exitCode === null) child.kill("SIGKILL");
});

describe("the local runtime's output (`npm start -- --once`)", () => {
  beforeAll(() => localRun.done, 180_000);

  it("ran every sweep and the consumer, with a broker password this test knows", () => {
    expect(localRun.brokerPassword).toMatch(/^[0-9a-f]{48}$/);
    expect(localRun.output).toContain('"message":"local run finished"');
    expect(localRun.output).toContain('"message":"telemetry"');
    expect(localRun.exitCode).toBe(0);
  });

  it("prints neither the Kafka password nor the Meraki key the run stored in its secrets", () => {
    const secrets = {
      "the local broker's password": localRun.brokerPassword ?? "",
      "the simulator's API key": DEFAULT_API_KEY,
    };
    expect(found(secrets, [{ path: "npm start output", text: localRun.output }])).toEqual([]);
  });
});

function readBrokerPassword(tmp: string): string | undefined {
  if (!existsSync(tmp)) return undefined;
  for (const name of readdirSync(tmp)) {
    const file = join(tmp, name, "server.properties");
    if (!name.startsWith("semaphore-kafka-") || !existsSync(file)) continue;
    return /user_[A-Za-z0-9._-]+="([^"]+)"/.exec(readFileSync(file, "utf8"))?.[1];
  }
  return undefined;
}
