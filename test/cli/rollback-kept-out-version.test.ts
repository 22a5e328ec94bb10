// rollback --env prod passed over a version that once held all of prod's traffic as "no longer
// declared", though git still declares it and only its metadata.environments keep it to dev and
// staging now: the reader went looking for a deleted file. It is now named for what it is, kept
// out of prod by its document's metadata.environments (and still passed over: prod has no such
// version to route to); a version gone from git is still "no longer declared".
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { commit, git, scratch } from '../unit/git/fixture.js';

const { repo } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';
const V1_1 = 'prompts/billing-assistant/v1.1.0.yaml';
const SMOKE = 'prompts/tests/billing-smoke.yaml';

/** The example prompts: prod all on 1.1.0, then all on 1.0.0 with 1.1.0 no longer routed there. */
function history(): string {
  const cwd = repo();
  cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
  const canary = readFileSync(join(cwd, SPLIT), 'utf8');
  const prodOn = (v: string) => canary.replace(/(\n {4}prod:\n {6}routes:\n)[\s\S]*$/, `$1        - version: "${v}"\n          weight: 100\n`);
  expect(prodOn('1.1.0')).not.toBe(canary);
  commit(cwd, 'prod all on 1.1.0', { [SPLIT]: prodOn('1.1.0') });
  commit(cwd, 'prod back on 1.0.0', { [SPLIT]: prodOn('1.0.0') });
  return cwd;
}

describe('rollback past a version kept to other environments', () => {
  it('names it kept out of the environment, not "no longer declared"', async () => {
    const cwd = history();
    const keep = (rel: string, kind: string, after: string) => readFileSync(join(cwd, rel), 'utf8').replace(kind, `${kind}${after}`);
    commit(cwd, '1.1.0 for dev and staging only', {
      [V1_1]: keep(V1_1, 'kind: PromptVersion\n', 'metadata:\n  environments: [dev, staging]\n'),
      [SMOKE]: keep(SMOKE, '  name: billing-smoke\n', '  environments: [dev, staging]\n'),
    });
    const r = await runCliInProcess(['rollback', 'billing-assistant', '--env', 'prod', '--dry-run'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/passed over: 1\.1\.0 \([0-9a-f]{7}: kept out of prod by its document's metadata\.environments: dev, staging\)/);
    expect(r.stderr).not.toContain('no longer declared');
    expect(git(cwd, 'status', '--porcelain')).toBe('');
  });

  it('still says "no longer declared" of a version gone from git', async () => {
    const cwd = history();
    rmSync(join(cwd, V1_1));
    rmSync(join(cwd, SMOKE));
    commit(cwd, '1.1.0 removed');
    // Dev and staging still route to 1.1.0: their routes go too, so that the files stay valid.
    const split = readFileSync(join(cwd, SPLIT), 'utf8').replace(/ {4}- version: "1\.0\.0"\n {6}weight: 80\n {4}- version: "1\.1\.0"\n {6}weight: 20[^\n]*\n/, '    - version: "1.0.0"\n      weight: 100\n');
    commit(cwd, 'routes without 1.1.0', { [SPLIT]: split });
    const r = await runCliInProcess(['rollback', 'billing-assistant', '--env', 'prod', '--dry-run'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/passed over: 1\.1\.0 \([0-9a-f]{7}: no longer declared\)/);
  });
});
