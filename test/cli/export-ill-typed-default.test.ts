// A live version holding a default no call could send (a number variable defaulting to "abc", an
// enum's default not among its values): the emulator now refuses one at create, so only an org
// stored before that holds one. Adopting such an org must not crash: export writes the version as
// it is and warns, validate names each default at its file:line, plan refuses the files the same way,
// and a call that would render the default is refused in create's words, never rendered.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { versionContentHash, type VersionContent } from '../../src/targets/llmgateway/wire.js';
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

/** Gives the stored version these defaults, as an org stored before create refused them holds them. */
async function storeDefaults(stateFile: string, templateId: string, defaults: Record<string, unknown>): Promise<void> {
  const state = JSON.parse(await readFile(stateFile, 'utf8'));
  const v = state.versions[templateId]['1.0.0'];
  for (const variable of v.variables) variable.default = defaults[variable.name];
  const { systemInstruction, userTemplate, variables } = v as VersionContent;
  v.contentHash = versionContentHash({ systemInstruction, userTemplate, variables });
  await writeFile(stateFile, JSON.stringify(state));
}

describe('an org holding a version whose defaults are ill-typed', () => {
  it('exports it, and validate and plan name each default at its line; a call is refused', { timeout: 60_000 }, async () => {
    dir = await tempDir('promptctl-export-ill-typed-default-');
    const stateFile = join(dir.path, 'org.json');
    emu = await startTestEmulator({ stateFile });
    const t = await emu.api.createTemplate({ name: 'adopted-bot', model: 'gpt-4o' });
    await emu.api.createVersion(t.id, {
      version: '1.0.0',
      systemInstruction: 'Be brief.',
      userTemplate: 'n={{n}} k={{k}}',
      variables: [
        { name: 'n', type: 'number', default: 1 },
        { name: 'k', type: 'enum', values: ['a', 'b'], default: 'a' },
      ],
    });
    await emu.api.publishVersion(t.id, '1.0.0');
    await emu.close();
    await storeDefaults(stateFile, t.id, { n: 'abc', k: 'zzz' });
    emu = await startTestEmulator({ stateFile });
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });

    const exported = await cli(['export', '--out', 'adopted']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).not.toContain('internal');
    const file = 'adopted/adopted-bot.yaml';
    const yaml = await readFile(join(dir.path, file), 'utf8');
    const lineOf = (text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;

    const expected = [
      `${file}:${lineOf('default: abc')}:`,
      `${file}:${lineOf('default: zzz')}:`,
    ];
    // Export checks what it wrote, so it says so already, with its warning that the files need edits.
    for (const at of expected) expect(exported.stderr).toContain(at);
    expect(exported.stderr).toContain('warning: the export does not validate (2 errors above)');
    const validated = await cli(['validate', '--dir', 'adopted']);
    expect(validated.code, validated.stderr).toBe(1);
    expect(validated.stdout).toContain('variables/default-type');
    expect(validated.stdout).toContain('variables/default-not-in-values');
    for (const at of expected) expect(validated.stdout).toContain(at);

    const planned = await cli(['plan', '--dir', 'adopted']);
    expect(planned.code, planned.stderr).toBe(1);
    expect(planned.stderr).not.toContain('internal');
    for (const at of expected) expect(planned.stdout + planned.stderr).toContain(at);

    // A call that leaves them out is refused as create refuses them, not answered with them rendered.
    const run = await cli(['run', 'adopted-bot']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the default of variable n must be a number, got a string; the default of variable k must be one of a, b, got "zzz"');
    await expect(emu.api.invoke({ template: 'adopted-bot', variables: {} })).rejects.toMatchObject({
      status: 400,
      code: 'invalid.variables',
      message: expect.stringContaining('the default of variable n must be a number, got a string'),
    });
    const sent = await cli(['run', 'adopted-bot', '--var', 'n=2', '--var', 'k=b']);
    expect(sent.code, sent.stderr).toBe(0);
  });
});
