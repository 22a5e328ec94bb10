// A guide whose instruction the org holds as whitespace alone: export left out a guide with an
// empty instruction (one not written yet) but wrote this one, whose document validate then refused
// (guides/empty-instruction, whose message says export leaves such a guide out), so plan of a fresh
// export failed whole. It is now left out with a warning, as an empty one is.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { runCliInProcess } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
let studio: AiStudioApi | undefined;
afterEach(async () => {
  await studio?.close();
  await emu?.close();
  await dir?.remove();
  emu = dir = studio = undefined;
});

async function publishedGuide(api: AiStudioApi, name: string, instruction: string): Promise<void> {
  const g = await api.createGuide({ name, source: 'Manual' });
  const first = (await api.getGuide(g.id)).latestSavedVersion;
  const v = first ? await api.patchGuideVersion(g.id, first.version, { instruction }) : await api.createGuideVersion(g.id, { instruction });
  await api.publishGuideVersion(g.id, v.version, 'ProductionReady');
}

describe('export of a guide whose instruction is blank', () => {
  it('leaves it out with a warning, and the export validates and plans with no changes', { timeout: 60_000 }, async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-export-blank-guide-');
    studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    await publishedGuide(studio, 'Returns', 'Help with returns.');
    await publishedGuide(studio, 'Placeholder', ' \n\t\n');
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/error:|does not validate/);
    expect(r.stderr).toContain('warning: skipped Guide/Placeholder: its production version 1.0 (ProductionReady) has a blank instruction (whitespace alone)');
    expect(r.stderr).toContain('1 guide and 0 summary settings');
    expect((await readdir(join(dir.path, 'adopted/guides'))).sort()).toEqual(['returns.md', 'returns.yaml']);
    const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });
});
