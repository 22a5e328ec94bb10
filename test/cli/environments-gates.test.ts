// The gates between environments that a protected one relies on: an empty PLANFILE is no plan file
// to fall back from, a template's model switch (or a template created on another model) is promoted
// like a version, and validate --env refuses what validate refuses (names defined twice).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_R_DEV}
    prod: {credentials: PCTL_R_PROD, protected: true}
`;

const PROMOTED = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_R_DEV}
    staging: {credentials: PCTL_R_STAGING}
    prod: {credentials: PCTL_R_PROD, protected: true}
  promotion: [dev, staging, prod]
`;

const BILLING = BILLING_1_0;

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-env-gates-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING);
});
afterEach(async () => {
  await dir.remove();
});

function cli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCliInProcess(args, { cwd: dir.path, env });
}

describe('a protected environment applies only a saved plan file', () => {
  it('refuses an empty plan file name (apply --env prod "$PLAN" with PLAN unset) instead of applying a fresh, unreviewed plan', async () => {
    const r = await cli(['apply', '--env', 'prod', '', '--auto-approve']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/PLANFILE needs a path, not an empty string/);
    expect(r.stderr).not.toMatch(/created/);
    // Nothing reached prod's org: a plan of it still has everything to create.
    const plan = await cli(['plan', '--env', 'prod', '--detailed-exitcode']);
    expect(plan.code, plan.stderr).toBe(2);
  });
});

describe('promotion: what prod would run must have run in staging', () => {

  it("refuses for prod a template model change staging has not run: version 1.0.0 would answer on another model than it ever did in staging", async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), PROMOTED);
    for (const env of ['dev', 'staging']) expect((await cli(['apply', '--env', env, '--auto-approve'])).code).toBe(0);
    expect((await cli(['plan', '--env', 'prod', '--out', 'prod.json'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'prod', 'prod.json'])).code).toBe(0);

    // The template's model changes; 1.0.0 names no model of its own, so it runs on the template's.
    await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING.replace('model: gpt-4o', 'model: gpt-4o-mini'));
    // Only dev has it so far: staging still runs 1.0.0 on gpt-4o.
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);

    const plan = await cli(['plan', '--env', 'prod', '--out', 'prod2.json', '--format', 'json']);
    // prod is protected: what it would run (1.0.0 on gpt-4o-mini) staging never ran.
    expect(plan.code, plan.stderr).toBe(1);
    expect(JSON.parse(plan.stdout).problems).toEqual([expect.objectContaining({ rule: 'promotion/not-in-previous' })]);
    expect(JSON.parse(plan.stdout).problems[0].message).toMatch(/version 1\.0\.0 of template "billing" would run on model gpt-4o-mini in prod, but staging \(before prod in promotion\) runs it on gpt-4o/);
    const applied = await cli(['apply', '--env', 'prod', 'prod2.json']);
    expect(applied.code, applied.stderr).toBe(1);

    // Once staging runs 1.0.0 on gpt-4o-mini, prod may.
    expect((await cli(['apply', '--env', 'staging', '--auto-approve'])).code).toBe(0);
    expect((await cli(['plan', '--env', 'prod', '--out', 'prod3.json'])).code).toBe(0);
    expect((await cli(['apply', '--env', 'prod', 'prod3.json'])).code).toBe(0);
  });
});

describe('one identity per name across environments', () => {
  const template = (envs: string, model: string) => `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
  environments: [${envs}]
spec:
  model: ${model}
`;

  it('validate --env refuses what validate refuses: a PromptTemplate defined twice, once for staging and once for prod (prod would run 1.0.0 on a model staging never ran it on)', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), PROMOTED);
    await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING.split('---')[1]!);
    await writeFile(join(dir.path, 'prompts/t-staging.yaml'), template('dev, staging', 'gpt-4o'));
    await writeFile(join(dir.path, 'prompts/t-prod.yaml'), template('prod', 'gpt-4o-mini'));
    const union = await cli(['validate']);
    expect(union.code).toBe(1);
    expect(union.stdout).toMatch(/names\/duplicate/);
    // CI validates each environment with --env: each must refuse it too.
    for (const env of ['dev', 'staging', 'prod']) {
      const one = await cli(['validate', '--env', env]);
      expect(one.code, `${env}: ${one.stdout}`).toBe(1);
      expect(one.stdout).toMatch(/PromptTemplate "billing" is already defined at prompts\/t-prod\.yaml|PromptTemplate "billing" is already defined at prompts\/t-staging\.yaml/);
    }
    expect((await cli(['plan', '--env', 'prod'])).code).toBe(1);
  });

  it("refuses for prod a template it creates on another model than staging runs its versions on", async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), PROMOTED);
    // dev and staging have billing on gpt-4o; prod has nothing yet.
    for (const env of ['dev', 'staging']) expect((await cli(['apply', '--env', env, '--auto-approve'])).code).toBe(0);
    // The model switches in git and reaches dev only: prod would get billing for the first time, on gpt-4o-mini.
    await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING.replace('model: gpt-4o', 'model: gpt-4o-mini'));
    expect((await cli(['apply', '--env', 'dev', '--auto-approve'])).code).toBe(0);
    const plan = await cli(['plan', '--env', 'prod', '--format', 'json']);
    expect(plan.code, plan.stderr).toBe(1);
    expect(JSON.parse(plan.stdout).problems).toEqual([
      expect.objectContaining({ address: 'PromptVersion/billing@1.0.0', rule: 'promotion/not-in-previous', message: expect.stringMatching(/would run on model gpt-4o-mini in prod, but staging .* runs it on gpt-4o/) }),
    ]);
  });
});
