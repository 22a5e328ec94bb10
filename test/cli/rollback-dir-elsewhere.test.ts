// rollback reads the history of the prompts directory's own repository: run from elsewhere (a
// directory outside it, `--dir` naming the prompts), it still finds it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { commit, scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { dir, repo } = scratch();

describe('rollback with --dir in a repository the working directory is not in', () => {
  it("reads the prompts directory's history", async () => {
    const root = repo();
    copyExamplePrompts(root);
    commit(root, 'base');
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.0.0'], { cwd: root, env: {} })).code).toBe(0);
    commit(root, 'all on 1.0.0');
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '30'], { cwd: root, env: {} })).code).toBe(0);
    commit(root, 'canary 1.1.0 at 30');

    const elsewhere = dir();
    const r = await runCliInProcess(['rollback', 'billing-assistant', '--dir', join(root, 'prompts')], { cwd: elsewhere, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(\d{4}-\d{2}-\d{2}, "all on 1\.0\.0"\)/);
  });
});
