// `validate --env NAME` (what the pull-request workflow runs, one job per environment, with
// --format github) on a promptctl.yaml that is itself invalid: the config's problems are what
// validate is for, so they are reported at their file:line:column, exit 1. It stopped before
// validating instead ("promptctl.yaml is not valid (run `promptctl validate`)"): no annotation,
// no line, and the advice was to run the very command that had just refused.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-validate-env-config-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
});
afterEach(async () => {
  await dir.remove();
});

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  defaultVariableTokens: lots
  environments:
    dev: {credentials: PCTL_V_DEV}
    prod: {credentials: PCTL_V_PROD, protected: true}
`;

describe('validate --env on an invalid promptctl.yaml', () => {
  it('reports the schema problem at its line and column (github format: an annotation on stdout)', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG);
    const r = await runCliInProcess(['validate', '--env', 'dev', '--format', 'github'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^::error file=prompts\/promptctl\.yaml,line=4,col=26,title=schema\/type::spec\.defaultVariableTokens must be a whole number/m);
  });

  it('reports a YAML syntax error at its line, also when PROMPTCTL_ENV names the environment', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG.replace('defaultVariableTokens: lots', 'defaultVariableTokens: [1000'));
    const r = await runCliInProcess(['validate'], { cwd: dir.path, env: { PROMPTCTL_ENV: 'prod' } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^prompts\/promptctl\.yaml:4:\d+: error: .*\[yaml\/syntax\]$/m);
  });

  it('still refuses an environment a valid config does not name', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), CONFIG.replace('  defaultVariableTokens: lots\n', ''));
    const r = await runCliInProcess(['validate', '--env', 'staging'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown environment "staging"/);
  });
});
