// Review of environments, promotion and saved plans (review-env): each test here is a bug found
// in review, failing before its fix.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: PCTL_R_DEV}
    prod: {credentials: PCTL_R_PROD, protected: true}
`;

const BILLING = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing
  version: 1.0.0
  systemInstruction: You answer billing questions.
  userTemplate: "{{question}}"
  variables:
    - {name: question, type: string, maxLength: 200}
`;

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-review-env-');
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
