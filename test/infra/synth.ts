/** Synthesizes the real app (infra/stacks/semaphore-app.ts) into a temp directory for template tests. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { CONFIG_CONTEXT_KEY } from "../../infra/config/overrides.js";
import { createFixtureLayer } from "../../infra/native-layer/fixture.js";
import { buildSemaphoreApp } from "../../infra/stacks/semaphore-app.js";

export interface Synthesized {
  outdir: string;
  template: Record<string, unknown> & {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    Outputs?: Record<string, { Value: unknown }>;
    Rules?: Record<string, unknown>;
  };
  app: App;
  stackName: string;
}

let fixture: string | undefined;

/** A verifier-clean AArch64 test-fixture layer (compiled once per test file). */
export function fixtureLayer(): string {
  fixture ??= createFixtureLayer(join(mkdtempSync(join(tmpdir(), "semaphore-layer-")), "layer"));
  return fixture;
}

/** Synth with `override` deep-merged over infra/config/default.ts, exactly as `-c semaphore.config=...` does. */
export function synth(override: Record<string, unknown> = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "semaphore-synth-"));
  const nativeLayer = (override.nativeLayer as Record<string, unknown> | undefined) ?? {
    directory: fixtureLayer(),
  };
  const app = new App({
    outdir,
    context: { [CONFIG_CONTEXT_KEY]: JSON.stringify({ ...override, nativeLayer }) },
  });
  const { stack } = buildSemaphoreApp(app);
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const template = JSON.parse(
    readFileSync(join(outdir, artifact.templateFile), "utf8"),
  ) as Synthesized["template"];
  return { outdir, template, app, stackName: stack.stackName };
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped; tests index into it freely.
export type TemplateProps = Record<string, any>;

export function resourcesOfType(template: Synthesized["template"], type: string) {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => ({ id, props: (r.Properties ?? {}) as TemplateProps }));
}
