// A prompt variable named `__proto__` (the schema's name pattern allows it) differing between git
// and the org: plan must see the difference, as for any other variable (found by review: the
// canonical form set the prototype instead of a key, and the plan said nothing to do).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

const yaml = (maxLength: number): string =>
  [
    'apiVersion: promptctl/v1',
    'kind: PromptTemplate',
    'metadata: {name: proto-bot}',
    'spec: {model: gpt-4o-mini}',
    '---',
    'apiVersion: promptctl/v1',
    'kind: PromptVersion',
    'spec:',
    '  template: proto-bot',
    '  version: "1.0.0"',
    '  systemInstruction: Answer.',
    '  userTemplate: "Q: {{__proto__}}"',
    '  variables:',
    `    - {name: __proto__, type: string, maxLength: ${maxLength}}`,
    '',
  ].join('\n');

describe('a prompt variable named __proto__', () => {
  it('plan shows its difference from the org (a published version: an immutable-version problem), and none once they agree', async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-proto-');
    const t = await emu.api.createTemplate({ name: 'proto-bot', model: 'gpt-4o-mini', labels: { 'managed-by': 'promptctl' } });
    await emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Answer.', userTemplate: 'Q: {{__proto__}}', variables: [{ name: '__proto__', type: 'string', maxLength: 20 }] });
    await emu.api.publishVersion(t.id, '1.0.0');
    await mkdir(join(dir.path, 'prompts'));
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });

    await writeFile(join(dir.path, 'prompts', 'proto.yaml'), yaml(10));
    const differs = await cli(['plan', '--dir', 'prompts', '--detailed-exitcode']);
    expect(differs.code, differs.stdout + differs.stderr).toBe(1);
    expect(differs.stdout).toContain('[immutable-version]');
    expect(differs.stdout).toMatch(/"__proto__": \{[^}]*-\s+"maxLength": 20,\n\s*\+\s+"maxLength": 10,/);

    await writeFile(join(dir.path, 'prompts', 'proto.yaml'), yaml(20));
    const same = await cli(['plan', '--dir', 'prompts', '--detailed-exitcode']);
    expect(same.code, same.stdout + same.stderr).toBe(0);
  });
});

describe('a prompt variable named __proto__ at run time', () => {
  it('run --var and a PromptTest case pass it to the call (not dropped by an assignment that sets a prototype)', async () => {
    emu = await startTestEmulator({ responses: [{ match: { template: 'proto-bot', contains: 'pineapple' }, output: 'Yes, pineapple.' }] });
    dir = await tempDir('promptctl-proto-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 'proto.yaml'), yaml(20));
    const test = 'apiVersion: promptctl/v1\nkind: PromptTest\nmetadata: {name: proto-test}\nspec:\n  target: {template: proto-bot, version: "1.0.0"}\n  cases:\n    - name: fruit\n      vars: {__proto__: pineapple}\n      expect: [{contains: pineapple}]\n';
    await writeFile(join(dir.path, 'prompts', 'proto-test.yaml'), test);
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    const applied = await cli(['apply', '--dir', 'prompts', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);

    const run = await cli(['run', 'proto-bot@1.0.0', '--var', '__proto__=pineapple', '--dir', 'prompts']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Yes, pineapple.');

    const tested = await cli(['test', '--dir', 'prompts']);
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
  });
});
