// Text whose lines end in spaces or tabs, exported: written as literal blocks, those spaces sat at
// the ends of the YAML's lines, and the trailing-whitespace hook most teams run before committing
// (pre-commit's, EditorConfig's trim_trailing_whitespace, an editor's trim on save) stripped them,
// so every plan of the adopted files was an immutable-version problem. Such a text is now
// double-quoted on one line: trimming every line of the export changes nothing a plan reads. A
// guide's .md file, raw text, cannot be protected: export says so, naming the file.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aiStudioOrg, publishedGuide } from '../helpers/aistudio-org.js';
import { closeAfterEach } from '../helpers/interrupt.js';

const closing = closeAfterEach();

/** Every .yaml file under `dir`, by its path. */
async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => join(e.parentPath, e.name));
}

describe('export of text whose lines end in whitespace', () => {
  it('survives a trailing-whitespace trim of the files, and names a guide file it cannot protect', { timeout: 60_000 }, async () => {
    const { dir, emu, studio, cli } = closing(await aiStudioOrg('promptctl-export-trailing-ws-'));
    const t = await emu.api.createTemplate({ name: 'support', model: 'gpt-4o' });
    await emu.api.createVersion(t.id, {
      version: '1.0.0',
      systemInstruction: 'You are a support agent.\ta\tabbed line\t\nAnd a line with two spaces at its end, long enough to fold  \nLast line.\n',
      userTemplate: 'Customer {{customer}} asks: {{question}}   \nAnswer briefly.\n',
      variables: [
        { name: 'customer', type: 'string', maxLength: 100 },
        { name: 'question', type: 'string', maxLength: 500 },
      ],
      fewShotExamples: [
        { input: 'Say nothing.', output: '\n' },
        { input: 'Indented\n  \nblank line', output: 'ok' },
      ],
    });
    await emu.api.publishVersion(t.id, '1.0.0');
    await publishedGuide(studio, 'Returns', 'Help with returns.  \nBe kind.\n');
    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning: guides/returns.md: Guide/Returns's instruction has lines that end in spaces or tabs");
    expect(r.stderr.match(/returns\.md:/g)).toHaveLength(1);

    const files = await yamlFiles(join(dir.path, 'adopted'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      expect(text, f).not.toMatch(/[ \t]$/m);
      await writeFile(f, text.replace(/[ \t]+$/gm, ''));
    }
    const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.stdout + plan.stderr).not.toContain('immutable');
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });
});
