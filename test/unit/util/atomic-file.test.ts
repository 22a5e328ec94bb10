import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirectories, writeFileAtomic } from '../../../src/util/atomic-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  // The CLI names `dest` (cli/main.ts): the file being written, not its temp file. Every command
  // refuses a directory at its path before writing (export, plan --out): only a race reaches this.
  it('fails on a directory at its path with the rename naming it as dest, and leaves no temp file', async () => {
    const target = join(dir, 'billing-assistant.yaml');
    execFileSync('mkdir', [target]);
    await expect(writeFileAtomic(target, 'x')).rejects.toMatchObject({ code: 'EISDIR', syscall: 'rename', dest: target });
    expect(execFileSync('ls', ['-A', dir], { encoding: 'utf8' }).trim()).toBe('billing-assistant.yaml');
  });

  it('creates missing directories and writes the whole file', async () => {
    const file = join(dir, 'a', 'b', 'plan.json');
    await writeFileAtomic(file, '{"x":1}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"x":1}\n');
  });

  it('answers a path it cannot make with the real error instead of spinning (Node\'s recursive mkdir loops under /proc)', async () => {
    await expect(writeFileAtomic('/proc/no/such/plan.json', 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(writeFileAtomic('/proc/x.json', 'x')).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
  });

  it.skipIf(process.platform === 'win32')('refuses to replace a pipe (or device) with a plain file', async () => {
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(writeFileAtomic(fifo, 'x')).rejects.toMatchObject({ code: 'ENOTREG', path: fifo });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses a file where a directory should be', async () => {
    await writeFile(join(dir, 'f'), 'x');
    await expect(makeDirectories(join(dir, 'f', 'g'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(existsSync(join(dir, 'f', 'g'))).toBe(false);
  });
});
