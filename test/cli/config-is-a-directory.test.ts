// A directory named promptctl.yaml in the prompts directory (a mistaken `mkdir`, a sync tool's
// conflict folder) was taken for no Config at all: validate and plan went on with the defaults,
// silently dropping the environments (a protected prod among them) and budgets the team meant,
// and `--env` said to add a file that is there. It is an error at that path now.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await promptsIn('promptctl-config-directory-', { 'billing.yaml': BILLING_1_0 }, 'prompts');
  await mkdir(join(dir.path, 'prompts/promptctl.yaml'));
});
afterEach(async () => {
  await dir.remove();
});

describe('a directory named promptctl.yaml', () => {
  it('is an error at its path in validate and plan, nothing planned', async () => {
    const v = await runCliInProcess(['validate'], { cwd: dir.path, env: {} });
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^prompts\/promptctl\.yaml:1:1: error: prompts\/promptctl\.yaml is a directory, not the Config file: .*\[config\/not-a-file\]$/m);
    const p = await runCliInProcess(['plan'], { cwd: dir.path, env: {} });
    expect(p.code).toBe(1);
    expect(p.stdout + p.stderr).toContain('[config/not-a-file]');
    expect(p.stdout).not.toContain('to create');
  });

  it('is not "absent" to --env', async () => {
    const r = await runCliInProcess(['validate', '--env', 'dev'], { cwd: dir.path, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('prompts/promptctl.yaml is not a file');
    expect(r.stdout + r.stderr).not.toMatch(/there is no/);
  });
});
