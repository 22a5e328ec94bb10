// The text plan (plan's default output, and what apply shows before asking) of a new version
// declaring a variable named `__proto__`: the JSON and markdown plans list it, the text plan
// does not (views/diagnostics.ts visibleIn, which plan-text.ts runs over each change, copies
// members by assignment, and assigning `__proto__` sets the copy's prototype).
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

const YAML = [
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
  '  userTemplate: "Q: {{__proto__}} {{topic}}"',
  '  variables:',
  '    - {name: __proto__, type: string, maxLength: 20}',
  '    - {name: topic, type: string, maxLength: 30}',
  '',
].join('\n');

describe('the text plan of a new version with a variable named __proto__', () => {
  it('lists that variable among the created ones, as the JSON and markdown plans do', async () => {
    emu = await startTestEmulator({});
    dir = await tempDir('promptctl-plan-text-proto-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 'proto.yaml'), YAML);
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    const md = await cli(['plan', '--dir', 'prompts', '--format', 'markdown']);
    expect(md.stdout).toMatch(/\+ {3}__proto__:/);
    const text = await cli(['plan', '--dir', 'prompts']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\+ topic:/);
    expect(text.stdout).toMatch(/\+ __proto__:/);
  });
});
