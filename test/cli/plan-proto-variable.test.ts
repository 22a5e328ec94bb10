// A prompt variable named `__proto__` (the schema's name pattern allows it) is a variable like any
// other (found by review: each place that copied a map by assignment set a prototype instead of a
// key): plan sees its difference from the org, the text plan lists it, the audit record's content
// holds it (DESIGN §5: any change can be rebuilt from the trail), and run and test pass it.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalHash } from '../../src/kinds/canonical.js';
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

/** proto-bot 1.0.0 with a `__proto__` variable of this maxLength, and a second variable `topic` when asked. */
const yaml = (maxLength: number, topic = false): string =>
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
    `  userTemplate: "Q: {{__proto__}}${topic ? ' {{topic}}' : ''}"`,
    '  variables:',
    `    - {name: __proto__, type: string, maxLength: ${maxLength}}`,
    ...(topic ? ['    - {name: topic, type: string, maxLength: 30}'] : []),
    '',
  ].join('\n');

/** A project holding `yaml` on a fresh emulator, and the CLI run in it. */
async function project(text: string, responses: Parameters<typeof startTestEmulator>[0] = {}) {
  emu = await startTestEmulator(responses);
  dir = await tempDir('promptctl-proto-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 'proto.yaml'), text);
  return (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
}

describe('a prompt variable named __proto__', () => {
  it('plan shows its difference from the org (a published version: an immutable-version problem), and none once they agree', async () => {
    const cli = await project(yaml(10));
    const t = await emu!.api.createTemplate({ name: 'proto-bot', model: 'gpt-4o-mini', labels: { 'managed-by': 'promptctl' } });
    await emu!.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Answer.', userTemplate: 'Q: {{__proto__}}', variables: [{ name: '__proto__', type: 'string', maxLength: 20 }] });
    await emu!.api.publishVersion(t.id, '1.0.0');

    const differs = await cli(['plan', '--dir', 'prompts', '--detailed-exitcode']);
    expect(differs.code, differs.stdout + differs.stderr).toBe(1);
    expect(differs.stdout).toContain('[immutable-version]');
    expect(differs.stdout).toMatch(/"__proto__": \{[^}]*-\s+"maxLength": 20,\n\s*\+\s+"maxLength": 10,/);

    await writeFile(join(dir!.path, 'prompts', 'proto.yaml'), yaml(20));
    const same = await cli(['plan', '--dir', 'prompts', '--detailed-exitcode']);
    expect(same.code, same.stdout + same.stderr).toBe(0);
  });
});

describe('a prompt variable named __proto__ at run time', () => {
  it('run --var and a PromptTest case pass it to the call (not dropped by an assignment that sets a prototype)', async () => {
    const cli = await project(yaml(20), { responses: [{ match: { template: 'proto-bot', contains: 'pineapple' }, output: 'Yes, pineapple.' }] });
    const test = 'apiVersion: promptctl/v1\nkind: PromptTest\nmetadata: {name: proto-test}\nspec:\n  target: {template: proto-bot, version: "1.0.0"}\n  cases:\n    - name: fruit\n      vars: {__proto__: pineapple}\n      expect: [{contains: pineapple}]\n';
    await writeFile(join(dir!.path, 'prompts', 'proto-test.yaml'), test);
    const applied = await cli(['apply', '--dir', 'prompts', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);

    const run = await cli(['run', 'proto-bot@1.0.0', '--var', '__proto__=pineapple', '--dir', 'prompts']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Yes, pineapple.');

    const tested = await cli(['test', '--dir', 'prompts']);
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
  });
});

describe('a new version with a variable named __proto__', () => {
  it('the text plan lists that variable among the created ones, as the JSON and markdown plans do', async () => {
    const cli = await project(yaml(20, true));
    const md = await cli(['plan', '--dir', 'prompts', '--format', 'markdown']);
    expect(md.stdout).toMatch(/\+ {3}__proto__:/);
    const text = await cli(['plan', '--dir', 'prompts']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\+ topic:/);
    expect(text.stdout).toMatch(/\+ __proto__:/);
  });

  it("its audit record holds that variable in its content, and the record's hash is the content's", async () => {
    const cli = await project(yaml(20, true));
    const applied = await cli(['apply', '--dir', 'prompts', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const lines = (await readFile(join(dir!.path, '.promptctl', 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const record = lines.filter((r) => r.address === 'PromptVersion/proto-bot@1.0.0' && r.after?.content).at(-1);
    expect(record, JSON.stringify(lines, null, 1).slice(0, 2000)).toBeDefined();
    const content = record.after.content;
    expect(Object.keys(content.variables).sort()).toEqual(['__proto__', 'topic']);
    expect(content.variables.__proto__).toMatchObject({ maxLength: 20, type: 'string' });
    expect(canonicalHash(content)).toBe(record.after.hash);
  });
});
