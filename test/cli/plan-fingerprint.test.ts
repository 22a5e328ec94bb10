// What a pull request's plan shows is what its merge applies: the same content planned at two
// commits is the same plan (the source commit is stamped at apply time, not sealed in the plan).
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });

describe('the plan fingerprint', () => {
  it('is the same for the same content at two commits, and the applied objects name the commit', async () => {
    s = await scenario();
    const d = s.dir.path;
    git(d, 'init', '-q', '-b', 'main');
    git(d, 'add', '-A');
    git(d, 'commit', '-q', '-m', 'one');
    expect((await s.cli(['plan', '--out', 'a.json'])).code).toBe(0);
    git(d, 'commit', '-q', '--allow-empty', '-m', 'two');
    expect((await s.cli(['plan', '--out', 'b.json'])).code).toBe(0);
    const a = JSON.parse(await readFile(join(d, 'a.json'), 'utf8'));
    const b = JSON.parse(await readFile(join(d, 'b.json'), 'utf8'));
    expect(a.git.commit).not.toBe(b.git.commit);
    expect(b.fingerprint).toBe(a.fingerprint);
    // Applying plan a at commit two is applying what was reviewed; the objects carry commit two.
    const applied = await s.cli(['apply', 'a.json']);
    expect(applied.code, applied.stderr).toBe(0);
    const t = (await s.emu.api.listTemplates()).find((x) => x.name === 'billing-assistant')!;
    expect(t.labels['promptctl.dev/commit']).toBe(b.git.commit);
  });
});
