// `promptctl apply` where there is no prompts directory (a wrong --dir, outside a project): the
// one-line error, and nothing left behind. The apply lock made .promptctl/ before the directory
// was found missing, so an empty .promptctl/ was left in whatever directory it ran in (UX review).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';

const made: string[] = [];
afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('apply without a prompts directory', () => {
  it('says so in one line and writes nothing where it ran', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'promptctl-nodir-'));
    made.push(dir);
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir, env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: prompts directory "prompts" not found (pass --dir with the directory that holds your prompt YAML)');
    expect(await readdir(dir)).toEqual([]);
  });
});
