// rollback reads git history; a shallow clone (CI checkouts fetch one commit by default) holds
// only part of it: when nothing is found, rollback says the history is cut short and how to fetch
// it, rather than that no earlier commit held 100 %.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { commit, git, scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { dir, repo } = scratch();

describe('rollback in a shallow clone', () => {
  it('says the history is cut short, and how to fetch it', async () => {
    const origin = repo();
    copyExamplePrompts(origin);
    commit(origin, 'base');
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.0.0'], { cwd: origin, env: {} })).code).toBe(0);
    commit(origin, 'all on 1.0.0');
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '30'], { cwd: origin, env: {} })).code).toBe(0);
    commit(origin, 'canary 1.1.0 at 30');

    const cwd = join(dir(), 'clone');
    git(origin, 'clone', '-q', '--depth', '1', `file://${origin}`, cwd);
    const r = await runCliInProcess(['rollback', 'billing-assistant'], { cwd, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: no earlier commit of prompts\/billing-assistant\/traffic\.yaml routes 100% .*\(1 commit read; the repository is a shallow clone, its history cut short: run `git fetch --unshallow` and rollback again\); nothing was rolled back/);
  });
});
