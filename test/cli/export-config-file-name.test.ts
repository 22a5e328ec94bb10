// A template named "promptctl" is a valid name, but its file may not be promptctl.yaml: that name at
// the top of the prompts directory is the Config's (config/discover.ts CONFIG_FILE), and the loader
// refuses any other document there, so the export would not validate and its plan would fail.
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE } from '../../src/config/discover.js';
import { RESERVED_FILE_NAMES } from '../../src/export/documents.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const open: { emu: TestEmulator; dir: TempDir }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.emu.close();
    await o.dir.remove();
  }
});

describe('export of a template named like the config file', () => {
  it('writes it to another file, so that the export validates and its plan is empty', { timeout: 60_000 }, async () => {
    const dir = await tempDir('promptctl-export-config-name-');
    const emu = await startTestEmulator({});
    open.push({ emu, dir });
    const t = await emu.api.createTemplate({ name: 'promptctl', model: 'gpt-4o' });
    await emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Be brief.', userTemplate: 'Q: {{q}}', variables: [{ name: 'q', type: 'string', maxLength: 100 }] });
    await emu.api.publishVersion(t.id, '1.0.0');
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir.path, env: emu.env });

    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('does not validate');
    const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('reserves the loader’s config file name', () => {
    expect(RESERVED_FILE_NAMES).toContain(CONFIG_FILE);
  });
});
