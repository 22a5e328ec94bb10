// promptctl reads *.yaml and *.yml (DESIGN §2), and the extension is case-sensitive: a file named
// Billing.YAML (as macOS and Windows users save them) was passed over without a word, so validate
// said "no problems" and a plan with prune on would delete what the file defines. It is still not
// read, but validate names it, with the name to give it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { BILLING_1_0 } from '../helpers/billing-yaml.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-uppercase-ext-');
  await mkdir(join(dir.path, 'prompts/team'), { recursive: true });
  await writeFile(join(dir.path, 'prompts/billing.yaml'), BILLING_1_0);
});
afterEach(async () => {
  await dir.remove();
});

describe('a prompt file whose extension is .yaml or .yml in other letter case', () => {
  it('is named by validate with a warning, and not read', async () => {
    await writeFile(join(dir.path, 'prompts/team/Support.YAML'), 'kind: nonsense\n');
    await writeFile(join(dir.path, 'prompts/Filters.Yml'), 'kind: nonsense\n');
    const r = await runCliInProcess(['validate', '--format', 'json'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(0);
    const found = (JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; column: number; severity: string; rule: string; message: string }[] }).diagnostics;
    expect(found.map((d) => [d.file, d.line, d.column, d.severity, d.rule])).toEqual([
      ['prompts/Filters.Yml', 1, 1, 'warning', 'file/extension'],
      ['prompts/team/Support.YAML', 1, 1, 'warning', 'file/extension'],
    ]);
    expect(found[1]!.message).toMatch(/not read: .*\.yaml and \.yml.*rename it to Support\.yaml/);
  });

  it('leaves other files alone', async () => {
    await writeFile(join(dir.path, 'prompts/notes.md'), '# notes\n');
    await writeFile(join(dir.path, 'prompts/data.json'), '{}\n');
    const r = await runCliInProcess(['validate', '--format', 'json'], { cwd: dir.path, env: {} });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ diagnostics: [] });
  });
});
