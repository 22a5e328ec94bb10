// Texts the org holds with CRs or a leading byte-order mark, exported: export wrote them raw,
// though promptctl drops them on load (DESIGN §2), so the export of an org made from that export
// differed in 6 files, and two orgs that plan the same differently. Export now writes each text as
// the loader reads it: the two exports are byte for byte the same, and each plans as unchanged.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aiStudioOrg, publishedGuide } from '../helpers/aistudio-org.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { closeAfterEach } from '../helpers/interrupt.js';

const closing = closeAfterEach();

/** Every file under `dir`, by its path relative to it, with its bytes as text. */
async function tree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const e of entries.filter((x) => x.isFile())) out[relative(dir, join(e.parentPath, e.name))] = await readFile(join(e.parentPath, e.name), 'latin1');
  return out;
}

describe('export of texts with CRs or a leading byte-order mark', () => {
  it('writes them as loaded: an org made from the export exports the same files', { timeout: 90_000 }, async () => {
    const { dir, emu, studio, cli } = closing(await aiStudioOrg('promptctl-export-line-ends-'));
    const t = await emu.api.createTemplate({ name: 'pasted', model: 'gpt-4o' });
    await emu.api.createVersion(t.id, {
      version: '1.0.0',
      systemInstruction: '\ufeffPlain 1.\r\nOld Mac line.\rEnd.',
      userTemplate: 'Plain 2.\r\n',
      variables: [],
      fewShotExamples: [{ input: 'Blank?', output: '\r\n' }],
    });
    await emu.api.publishVersion(t.id, '1.0.0');
    await publishedGuide(studio, 'Returns', '\ufeffHelp with returns.\r\nBe kind.\r\n');

    const first = await cli(['export', '--out', 'adopted']);
    expect(first.code, first.stderr).toBe(0);
    const adopted = await tree(join(dir.path, 'adopted'));
    for (const [path, text] of Object.entries(adopted)) {
      expect(text, path).not.toMatch(/\r|\\r|\ufeff|\\ufeff|ï»¿/);
    }
    const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');

    // The export applied to an empty org, and that org exported.
    const empty = closing(await startTestEmulator({}));
    const there = (args: string[]) => runCliInProcess(args, { cwd: dir.path, env: empty.env });
    const applied = await there(['apply', '--dir', 'adopted', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const again = await there(['export', '--out', 'again']);
    expect(again.code, again.stderr).toBe(0);
    expect(await tree(join(dir.path, 'again'))).toEqual(adopted);
  });
});
