// A summary setting's prompt that is empty or only whitespace: the setting is then of type Prompt
// without a prompt, which Genesys refuses (emulator E9). validate must say so where the prompt is,
// with exit 1, inline and from a {file:} alike, not leave it to fail halfway through an apply.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const open: TempDir[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.remove();
});

const setting = (name: string, prompt: string) =>
  `apiVersion: promptctl/v1\nkind: SummarySetting\nmetadata:\n  name: ${name}\nspec:\n  language: en-US\n  prompt: ${prompt}\n`;

describe('a blank summary setting prompt', () => {
  it('is an error at the prompt, inline or from a file', async () => {
    const dir = await tempDir('promptctl-blank-prompt-');
    open.push(dir);
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 'empty.yaml'), setting('Empty', '""'));
    await writeFile(join(dir.path, 'prompts', 'spaces.yaml'), setting('Spaces', '"  \\n"'));
    await writeFile(join(dir.path, 'prompts', 'blank.md'), '\n\n');
    await writeFile(join(dir.path, 'prompts', 'file.yaml'), setting('From file', '{file: blank.md}'));
    await writeFile(join(dir.path, 'prompts', 'fine.yaml'), setting('Fine', 'Summarise the call.'));
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const lines = (r.stdout + r.stderr).split('\n').filter((l) => l.includes('summaries/empty-prompt'));
    expect(lines.map((l) => l.replace(/: error: .*/, '')).sort()).toEqual(['prompts/empty.yaml:7:11', 'prompts/file.yaml:7:11', 'prompts/spaces.yaml:7:11']);
    expect(r.stdout + r.stderr).not.toContain('fine.yaml');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
