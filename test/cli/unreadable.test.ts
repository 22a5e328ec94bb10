// Files promptctl cannot see must stop it, not vanish: a directory it cannot read, or a file whose
// line ends it misreads, would otherwise plan the deletion (with prune) of what they define.
import { spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  if (s) await chmod(join(s.dir.path, 'prompts/unread'), 0o755).catch(() => undefined);
  await s?.close();
  s = undefined;
});

/** Every path under `dir` (the directory included), for handing the tree to another user. */
async function tree(dir: string): Promise<string[]> {
  const out = [dir];
  for (const e of await readdir(dir, { withFileTypes: true })) out.push(...(e.isDirectory() ? await tree(join(dir, e.name)) : [join(dir, e.name)]));
  return out;
}

describe('files promptctl cannot read or would misread', () => {
  it('a directory it cannot read is an error at its path, and nothing is planned', async () => {
    s = await scenario();
    const prompts = join(s.dir.path, 'prompts');
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await mkdir(join(prompts, 'unread'));
    await rename(join(prompts, 'safety-filters.yaml'), join(prompts, 'unread/safety-filters.yaml'));
    // root reads any directory: the command runs as nobody, on a tree nobody may read but for that directory.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) for (const p of await tree(s.dir.path)) await chown(p, 65534, 65534);
    await chmod(join(prompts, 'unread'), 0o000);
    const r = spawnSync(process.execPath, [BIN, 'plan', '--prune'], {
      cwd: s.dir.path,
      env: cleanEnv(s.emu.env),
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'prompts/unread:1:1: error: directory cannot be read (EACCES): its files are unknown, so nothing can be planned from this directory [file/unreadable]',
    );
    expect(r.stderr).toMatch(/nothing was planned/);
    expect(r.stdout).not.toMatch(/delete/);
  });

  it('a file saved with lone CR line ends (old Mac) holds its documents', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const file = join(s.dir.path, 'prompts/safety-filters.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\r?\n/g, '\r'));
    const r = await s.cli(['plan', '--prune', '--detailed-exitcode']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('No changes.');
    expect(r.stderr).not.toMatch(/file\/empty/);
  });
});
