// A published version made elsewhere whose few-shot examples hold Windows line ends (CRLF): loading
// makes git's copy LF, as it does the instruction and template, but the live examples were compared
// as they were, so every plan of its export was an immutable-version problem git cannot settle.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

describe('export of a version whose few-shot examples have Windows line ends', () => {
  it('plans with no changes', { timeout: 60_000 }, async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-export-few-shot-crlf-');
    const t = await emu.api.createTemplate({ name: 'pasted-on-windows', model: 'gpt-4o' });
    await emu.api.createVersion(t.id, {
      version: '1.0.0',
      systemInstruction: 'Answer in two lines.',
      userTemplate: 'Q: {{q}}',
      variables: [{ name: 'q', type: 'string', maxLength: 100 }],
      fewShotExamples: [{ input: 'Where is my order?', output: 'It ships today.\r\nTracking follows by e-mail.' }],
    });
    await emu.api.publishVersion(t.id, '1.0.0');
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.stdout + plan.stderr).not.toContain('immutable');
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });
});
