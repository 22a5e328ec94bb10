// `plan --env dev` (and every other command given --env) on a promptctl.yaml that is itself
// invalid: the command stops before anything is read or changed, and says where the config is
// wrong, at its file:line:column, as `plan` without --env does. It said only "promptctl.yaml is
// not valid (run `promptctl validate`)": in CI, where every job runs with --env, the log of the
// failed plan or apply held no line to look at, and `--format json` an empty diagnostics list.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0, billingVersion } from '../helpers/billing-yaml.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-env-invalid-config-');
  await mkdir(join(dir.path, 'prompts'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
});
afterEach(async () => {
  await dir.remove();
});

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  defaultVariableTokens: 1000
  environments:
    dev: {credentials: PCTL_L_DEV}
    prod: {credentials: PCTL_L_PROD, protected: true}
`;

const SYNTAX = CONFIG.replace('    dev: {credentials: PCTL_L_DEV}', '    dev: {credentials: PCTL_L_DEV');
const SCHEMA = CONFIG.replace('defaultVariableTokens: 1000', 'defaultVariableTokens: lots');
// Two Config documents (a merge that kept both sides): validate refuses the second, and which
// environments the file configures is not known; prod is named only in the second.
const TWO_CONFIGS = `${CONFIG.replace('    prod: {credentials: PCTL_L_PROD, protected: true}\n', '')}---
apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    prod: {credentials: PCTL_L_PROD, protected: true}
`;

describe('--env on an invalid promptctl.yaml names where it is wrong', () => {
  it('plan: a YAML syntax error at its line and column, exit 1, nothing planned', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), SYNTAX);
    const r = await runCliInProcess(['plan', '--env', 'dev'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^prompts\/promptctl\.yaml:6:\d+: error: .*\[yaml\/syntax\]$/m);
    expect(r.stderr).toMatch(/--env names environment "dev", but prompts\/promptctl\.yaml is not valid/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(dir.path, '.promptctl/envs/dev/local-state.json'))).toBe(false);
  });

  it('apply: a schema error at its line and column, and nothing applied', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), SCHEMA);
    const r = await runCliInProcess(['apply', '--env', 'dev', '--auto-approve'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^prompts\/promptctl\.yaml:4:26: error: spec\.defaultVariableTokens must be a whole number.*\[schema\/type\]$/m);
    expect(existsSync(join(dir.path, '.promptctl/envs/dev/audit.jsonl'))).toBe(false);
  });

  it('plan --format json: the failure document carries the diagnostics, stdout holds it alone', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), SCHEMA);
    const r = await runCliInProcess(['plan', '--env', 'dev', '--format', 'json'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: string; diagnostics: { file: string; line: number; column: number; rule: string }[] };
    expect(doc.error).toMatch(/prompts\/promptctl\.yaml is not valid/);
    expect(doc.diagnostics).toEqual([expect.objectContaining({ file: 'prompts/promptctl.yaml', line: 4, column: 26, rule: 'schema/type' })]);
  });

  it('tokens --format json: the failure document carries the diagnostics too (tokens takes --env as plan does)', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), SCHEMA);
    const r = await runCliInProcess(['tokens', '--env', 'dev', '--format', 'json'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { error: string; diagnostics: { file: string; line: number; column: number; rule: string }[] };
    expect(doc.error).toMatch(/prompts\/promptctl\.yaml is not valid \(1 error, above\)/);
    expect(doc.diagnostics).toEqual([expect.objectContaining({ file: 'prompts/promptctl.yaml', line: 4, column: 26, rule: 'schema/type' })]);
  });

  it('only the config file is named: what its failure makes wrong elsewhere is not listed', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), SYNTAX);
    // Limited to dev: with the config unread, "dev" is unknown there too; that is the config's fault.
    await writeFile(join(dir.path, 'prompts/billing-1.1.0.yaml'), billingVersion('"1.1.0"', '"Answer billing questions."', 'dev'));
    const r = await runCliInProcess(['drift', '--env', 'dev'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(1);
    const located = r.stderr.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l));
    expect(located.length).toBeGreaterThan(0);
    for (const line of located) expect(line).toMatch(/^prompts\/promptctl\.yaml:/);
    expect(await readFile(join(dir.path, 'prompts/promptctl.yaml'), 'utf8')).toBe(SYNTAX);
  });

  it('a second Config document: named at its line, not "unknown environment" nor a plan of the first', async () => {
    await writeFile(join(dir.path, 'prompts/promptctl.yaml'), TWO_CONFIGS);
    for (const env of ['prod', 'dev']) {
      const r = await runCliInProcess(['plan', '--env', env], { cwd: dir.path, env: {} });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^prompts\/promptctl\.yaml:9:1: error: a second Config document; the first is at prompts\/promptctl\.yaml:2:1 \[config\/duplicate\]$/m);
      expect(r.stderr).toMatch(new RegExp(`--env names environment "${env}", but prompts/promptctl\\.yaml is not valid \\(1 error, above\\)`));
      expect(r.stderr).not.toMatch(/unknown environment/);
      expect(existsSync(join(dir.path, `.promptctl/envs/${env}/local-state.json`))).toBe(false);
    }
  });
});
