// rollback --env prod skipped the promotion check (DESIGN §6) that promote makes: it routed
// everything to a version staging had not run, wrote the file, and only the plan of that edit in
// prod (protected) refused it. rollback now checks what it scales up as promote does: refused in a
// protected environment, before the file is written, until the previous environment runs it; a
// warning elsewhere, the edit made.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { commit, git, scratch } from '../unit/git/fixture.js';

const { repo } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';

/** The example prompts, with prod's routes at 1.1.0 100 % in the first commit and its 95/5 canary of 1.0.0 after. */
function history(): string {
  const cwd = repo();
  cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
  const canary = readFileSync(join(cwd, SPLIT), 'utf8');
  const allOn = canary.replace(/(\n {4}prod:\n {6}routes:\n)[\s\S]*$/, '$1        - version: "1.1.0"\n          weight: 100\n');
  expect(allOn).not.toBe(canary);
  commit(cwd, 'prod all on 1.1.0', { [SPLIT]: allOn });
  commit(cwd, 'prod canary', { [SPLIT]: canary });
  return cwd;
}

describe('rollback in a protected environment', () => {
  it('refuses to route everything to a version the previous environment has not run, and leaves the file alone', async () => {
    const cwd = history();
    const before = readFileSync(join(cwd, SPLIT), 'utf8');
    // staging (its own embedded org) has run nothing.
    const r = await runCliInProcess(['rollback', 'billing-assistant', '--env', 'prod'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error: PromptVersion\/billing-assistant@1\.1\.0: version 1\.1\.0 of template "billing-assistant" would be given more traffic in prod, but staging/);
    expect(r.stderr).toContain('error: environment prod is protected: 1.1.0 cannot be rolled back to there before staging has run it; nothing was changed');
    expect(readFileSync(join(cwd, SPLIT), 'utf8')).toBe(before);
    expect(git(cwd, 'status', '--porcelain')).toBe('');
  });

  it('rolls back once the previous environment runs the version', async () => {
    const cwd = history();
    expect((await runCliInProcess(['apply', '--env', 'dev', '--auto-approve'], { cwd, env: {} })).code).toBe(0);
    const staging = await runCliInProcess(['apply', '--env', 'staging', '--auto-approve'], { cwd, env: {} });
    expect(staging.code, staging.stderr).toBe(0);
    const r = await runCliInProcess(['rollback', 'billing-assistant', '--env', 'prod'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.1\.0: it held 100% at [0-9a-f]{7}/);
    expect(readFileSync(join(cwd, SPLIT), 'utf8')).toMatch(/prod:\n {6}routes:\n {8}- version: "1\.0\.0"\n {10}weight: 0\n {8}- version: "1\.1\.0"\n {10}weight: 100\n/);
  });
});
