// rollback reads the prompts directory's history: when the directory itself was moved (prompts/
// to config/prompts/), the states of the split before the move are in the directory it came from.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { commit, git, scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { repo } = scratch();

describe('rollback after the prompts directory moved', () => {
  it('finds the state the split held before the move, in the old directory', async () => {
    const cwd = repo();
    copyExamplePrompts(cwd);
    commit(cwd, 'base');
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.0.0'], { cwd, env: {} })).code).toBe(0);
    commit(cwd, 'all on 1.0.0');
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '20'], { cwd, env: {} })).code).toBe(0);
    commit(cwd, 'canary 1.1.0 at 20');
    // The directory moves while the canary runs: no commit under the new path held 100 %.
    cpSync(join(cwd, 'prompts'), join(cwd, 'config/prompts'), { recursive: true });
    git(cwd, 'rm', '-rq', 'prompts');
    commit(cwd, 'move the prompts under config/');
    const dir = 'config/prompts';
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '30', '--dir', dir], { cwd, env: {} })).code).toBe(0);
    commit(cwd, 'canary 1.1.0 at 30');

    const r = await runCliInProcess(['rollback', 'billing-assistant', '--dir', dir], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(\d{4}-\d{2}-\d{2}, "all on 1\.0\.0"\)/);
    const text = readFileSync(join(cwd, dir, 'billing-assistant/traffic.yaml'), 'utf8');
    expect(text.split('environments:')[0]).toMatch(/version: "1\.0\.0"\n\s+weight: 100\n\s+- version: "1\.1\.0"\n\s+weight: 0 /);
  });
});
