// A `promptctl test` killed while it wrote a result (temp file, then rename) left the temp file in
// .promptctl/cache/tests/, and nothing ever removed it. The next run removes those of processes
// gone, and those abandoned long ago whose pid runs again; a write that may be under way stays.
import { spawnSync } from 'node:child_process';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { questionBot } from '../helpers/documents.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const PROMPTS = questionBot({ template: 'echo-bot', model: 'gpt-4o-mini', test: 'echo-check', caseName: 'answers', expect: 'maxCostUsd: 1' });

describe('the test cache after a run was killed mid-write', () => {
  it('removes the temp files of writes whose process is gone, or abandoned long ago, and keeps one that may be under way', async () => {
    dir = await promptsIn('promptctl-cache-killed-', { 'all.yaml': PROMPTS }, 'prompts');
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path })).code).toBe(0);
    const first = await runCliInProcess(['test'], { cwd: dir.path });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const cache = join(dir.path, '.promptctl', 'cache', 'tests');
    const [entry] = readdirSync(cache);
    expect(entry).toMatch(/^[0-9a-f]{64}\.json$/);

    // A pid that has exited: a process started and waited for.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const killed = `${entry}.${gone}.0123abcd.tmp`;
    // A live pid's (this process: the in-process run's own), fresh: it may be writing it now.
    const underWay = `${entry}.${process.pid}.89abcdef.tmp`;
    // A live pid's, last written two hours ago: no write takes that long, the pid runs again.
    const abandoned = `${entry}.${process.pid}.fedcba98.tmp`;
    // Not a temp file of an entry: not the cache's to remove.
    const other = `notes.txt.${gone}.0123abcd.tmp`;
    for (const n of [killed, underWay, abandoned, other]) writeFileSync(join(cache, n), '{"format":');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(join(cache, abandoned), twoHoursAgo, twoHoursAgo);

    const again = await runCliInProcess(['test'], { cwd: dir.path });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(readdirSync(cache).sort()).toEqual([entry, underWay, other].sort());
  });
});
