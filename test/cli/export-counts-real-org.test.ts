// On a real Genesys org, which serves AI Studio and no LLM Gateway (404), export's last line counted
// the gateway's kinds it cannot hold ("exported 0 templates, 0 versions, 0 traffic splits and 0
// safety filters"), and of an org with no guides nor summary settings named neither: the kinds the
// org does hold went unsaid. The line now counts the kinds of the surfaces it read.
import { afterEach, describe, expect, it } from 'vitest';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { runCliInProcess } from '../helpers/cli.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

const AI_STUDIO_ONLY = { surfaces: { llmgateway: false, guides: true, summarysettings: true } };

describe("export's count of an org that serves AI Studio alone", () => {
  it('names guides and summary settings, not the gateway kinds, when the org holds none', { timeout: 60_000 }, async () => {
    emu = await startTestEmulator(AI_STUDIO_ONLY);
    dir = await tempDir('promptctl-export-counts-');
    const r = await runCliInProcess(['export', '--out', 'adopted'], { cwd: dir.path, env: emu.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('exported 0 guides and 0 summary settings to adopted (0 files)');
    expect(r.stderr).not.toContain('templates');
  });

  it('counts what it exported without the kinds the org cannot hold', { timeout: 60_000 }, async () => {
    emu = await startTestEmulator(AI_STUDIO_ONLY);
    dir = await tempDir('promptctl-export-counts-');
    const studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    try {
      await studio.createSummarySetting({ name: 'Chat wrap-up', language: 'en-US', summaryType: 'Detailed' });
    } finally {
      await studio.close();
    }
    const r = await runCliInProcess(['export', '--out', 'adopted'], { cwd: dir.path, env: emu.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^exported 0 guides and 1 summary setting to adopted \(1 file\)$/m);
  });
});
