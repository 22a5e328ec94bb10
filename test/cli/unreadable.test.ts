// Files promptctl cannot see must stop it, not vanish: a directory it cannot read, or a file whose
// line ends it misreads, would otherwise plan the deletion (with prune) of what they define.
import { spawn } from 'node:child_process';
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

/**
 * Runs the built binary in `cwd`, as nobody when the tests run as root (root reads and writes any
 * file). Asynchronously: the emulator it talks to answers from this process.
 */
function runAsUser(args: string[], cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const asRoot = process.getuid?.() === 0;
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

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
    const r = await runAsUser(['plan', '--prune'], s.dir.path, s.emu.env);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'prompts/unread:1:1: error: directory cannot be read (EACCES): its files are unknown, so nothing can be planned from this directory [file/unreadable]',
    );
    expect(r.stderr).toMatch(/nothing was planned/);
    expect(r.stdout).not.toMatch(/delete/);
  });

  it('a prompts directory it cannot read is that error alone: no "no YAML files found" beside it', async () => {
    s = await scenario();
    const prompts = join(s.dir.path, 'prompts');
    if (process.getuid?.() === 0) for (const p of await tree(s.dir.path)) await chown(p, 65534, 65534);
    await chmod(prompts, 0o000);
    try {
      for (const format of ['text', 'json']) {
        const r = await runAsUser(['validate', '--format', format], s.dir.path, s.emu.env);
        expect(r.status, r.stderr).toBe(1);
        expect(r.stdout + r.stderr).not.toMatch(/no \*\.yaml or \*\.yml files found/);
        if (format === 'json') expect(JSON.parse(r.stdout)).toEqual({ diagnostics: [expect.objectContaining({ file: 'prompts', rule: 'file/unreadable' })] });
        else {
          expect(r.stdout).toContain('prompts:1:1: error: directory cannot be read (EACCES): its files are unknown, so nothing can be planned from this directory [file/unreadable]');
          expect(r.stderr).toBe('0 files checked: 1 error, 0 warnings\n');
        }
      }
    } finally {
      await chmod(prompts, 0o755);
    }
  });

  it('a file or directory whose name is not UTF-8 is said to be one, at its name as shown (U+FFFD), not as a broken link', async () => {
    s = await scenario();
    const prompts = join(s.dir.path, 'prompts');
    // Bytes no UTF-8 name holds (0xFF, 0xFE): Node lists them as U+FFFD, and that string names no file.
    const named = (name: string, bad: number): Buffer => Buffer.concat([Buffer.from(`${prompts}/${name.slice(0, 1)}`), Buffer.from([bad]), Buffer.from(name.slice(1))]);
    try {
      await rename(join(prompts, 'safety-filters.yaml'), named('beta.yaml', 0xff));
      await mkdir(named('dir', 0xfe));
    } catch (err) {
      // A file system that takes only UTF-8 names (macOS's APFS) cannot hold one.
      expect((err as NodeJS.ErrnoException).code).toBe('EILSEQ');
      return;
    }
    const r = await s.cli(['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'prompts/b\uFFFDeta.yaml:1:1: error: this file\'s name is not UTF-8 (the bytes that are not show as U+FFFD, \uFFFD), so promptctl cannot name the file to read it: rename it [file/unreadable]',
    );
    expect(r.stdout).toContain('prompts/d\uFFFDir:1:1: error: this directory\'s name is not UTF-8 (the bytes that are not show as U+FFFD, \uFFFD), so promptctl cannot name the directory to list it');
    expect(r.stdout).not.toMatch(/broken symbolic link|ENOENT/);
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

  it('a state directory it may not write is named with the reason, not reported as an internal error', async () => {
    s = await scenario();
    const asRoot = process.getuid?.() === 0;
    if (asRoot) for (const p of await tree(s.dir.path)) await chown(p, 65534, 65534);
    // .promptctl/ exists and belongs to someone else (or is read-only): the audit trail cannot be written.
    await mkdir(join(s.dir.path, '.promptctl'));
    if (asRoot) await chown(join(s.dir.path, '.promptctl'), 0, 0);
    await chmod(join(s.dir.path, '.promptctl'), 0o555);
    const r = await runAsUser(['apply', '--auto-approve'], s.dir.path, s.emu.env);
    await chmod(join(s.dir.path, '.promptctl'), 0o755);
    expect(r.status, r.stderr).toBe(1);
    // The first file apply writes there is the apply lock beside the trail (named, not its temp file).
    expect(r.stderr).toMatch(/^error: cannot write \.promptctl\/apply\.lock, the apply lock beside the audit trail \.promptctl\/audit\.jsonl: EACCES \(permission denied\); nothing was applied$/m);
    expect(r.stderr).not.toMatch(/internal/);
    expect(await s.emu.api.listTemplates()).toEqual([]);
  });

  it('an empty --dir or --out names no path and is refused', async () => {
    s = await scenario();
    for (const args of [['validate', '--dir', ''], ['plan', '--out', ''], ['export', '--out', '']]) {
      const r = await s.cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`error: ${args[1]} needs a path, not an empty string`);
    }
  });

  it('a file where the state directory should be is named, not reported as an internal error', async () => {
    s = await scenario();
    await writeFile(join(s.dir.path, '.promptctl'), '');
    const r = await s.cli(['plan'], { GENESYSCLOUD_API_URL: undefined, GENESYSCLOUD_OAUTHCLIENT_ID: undefined, GENESYSCLOUD_OAUTHCLIENT_SECRET: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: cannot open emulator state file .*\.promptctl\/local-state\.json: E[A-Z]+ \(/);
    expect(r.stderr).not.toMatch(/internal/);
  });
});

