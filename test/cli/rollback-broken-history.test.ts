// rollback reads every YAML file the prompts directory's commits wrote, including ones that were
// broken when committed and fixed later: such a file holds no split to go back to, and must not
// stop rollback from reaching the earlier state that does.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { commit, scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { repo } = scratch();
const SPLIT = 'prompts/billing-assistant/traffic.yaml';

/** The document's routes of the billing split, as the file says now. */
function routes(cwd: string): string {
  const text = readFileSync(join(cwd, SPLIT), 'utf8');
  return [...text.split('environments:')[0]!.matchAll(/version: "([^"]+)"\s+weight: (\d+)/g)].map((m) => `${m[1]}=${m[2]}`).join(' ');
}

describe('rollback over a broken commit', () => {
  it('passes over a file committed with an alias that names no anchor, and finds the state before it', async () => {
    const cwd = repo();
    copyExamplePrompts(cwd);
    commit(cwd, 'base');
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.0.0'], { cwd, env: {} })).code).toBe(0);
    commit(cwd, 'all on 1.0.0');
    // Committed broken (validate fails on it), removed in the next commit.
    commit(cwd, 'broken template', { 'prompts/broken.yaml': 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: broken}\nspec: {model: *gpt}\n' });
    rmSync(join(cwd, 'prompts/broken.yaml'));
    expect((await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '30'], { cwd, env: {} })).code).toBe(0);
    commit(cwd, 'canary 1.1.0 at 30, broken file removed');

    const r = await runCliInProcess(['rollback', 'billing-assistant'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(\d{4}-\d{2}-\d{2}, "all on 1\.0\.0"\)/);
    expect(routes(cwd)).toBe('1.0.0=100 1.1.0=0');
  });
});
