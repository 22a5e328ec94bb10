// A split's YAML file may be a symbolic link to a file inside the prompts directory: promote
// edits the file the link leads to and leaves the link a link (git would see a link turned into a
// file, and the file it named unchanged).
import { cpSync, lstatSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { scratch } from '../unit/git/fixture.js';

const { dir } = scratch();

describe('promote on a split file that is a symbolic link', () => {
  it('writes the file the link leads to, and keeps the link', async () => {
    const cwd = dir();
    cpSync(join(REPO, 'prompts'), join(cwd, 'prompts'), { recursive: true });
    const link = join(cwd, 'prompts/billing-assistant/traffic.yaml');
    const real = join(cwd, 'prompts/billing-assistant/traffic.split');
    renameSync(link, real);
    symlinkSync('traffic.split', link);
    const before = readFileSync(real, 'utf8');
    const r = await runCliInProcess(['promote', 'billing-assistant', '1.1.0', '--weight', '40'], { cwd, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe(before.replace('weight: 80', 'weight: 60').replace('weight: 20 #', 'weight: 40 #'));
  });
});
