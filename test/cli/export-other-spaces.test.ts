// Text the org holds that starts or ends with a space other than ASCII's (a no-break space pasted
// from a web page): export wrote it as a plain YAML value, which YAML reads as it is but promptctl's
// own loader refuses (config/other-spaces.ts: there it is mostly a mistyped indent or separator),
// so validate and plan of the export failed on the org's own text. It is now written quoted.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

describe('export of text with a no-break space at an edge', () => {
  it('validates and plans with no changes', { timeout: 60_000 }, async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-export-other-spaces-');
    const studio = createAiStudioClient({ landed: aiStudioWriteChecks, apiUrl: emu.url, loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'test' });
    try {
      const t = await emu.api.createTemplate({ name: 'pasted-from-web', model: 'gpt-4o', description: '\u00a0Billing questions' });
      await emu.api.createVersion(t.id, {
        version: '1.0.0',
        systemInstruction: 'Be brief.\u00a0',
        userTemplate: 'Q: {{q}}',
        variables: [{ name: 'q', type: 'string', maxLength: 100, description: 'the question\u3000' }],
      });
      await emu.api.publishVersion(t.id, '1.0.0');
      await studio.createSummarySetting({ name: 'Chat wrap-up', language: 'en-US', participantLabels: { internal: '\u2003Agent', external: 'Customer' } });
      const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
      const r = await cli(['export', '--out', 'adopted']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/error:|does not validate/);
      expect(await readFile(join(dir.path, 'adopted/pasted-from-web.yaml'), 'utf8')).toContain('description: "\u00a0Billing questions"');
      const v = await cli(['validate', '--dir', 'adopted']);
      expect(v.code, v.stdout + v.stderr).toBe(0);
      const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plan.stdout).toContain('No changes.');
    } finally {
      await studio.close();
    }
  });
});
