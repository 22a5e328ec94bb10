// export checks what it writes with the prompts directory's promptctl.yaml, and said so only when
// the export used a model that file alone declares: one overriding a built-in model (gpt-4o with a
// wider context window) passed export's check, exit 0 and no word of the Config, and `plan --dir
// OUT` then failed on an error export never named. Now every difference the Config makes to what
// the check finds is said, with why and what to do.
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

const TEMPLATE = [
  'apiVersion: promptctl/v1',
  'kind: PromptTemplate',
  'metadata: {name: long-answers}',
  'spec: {model: gpt-4o}',
  '---',
  'apiVersion: promptctl/v1',
  'kind: PromptVersion',
  'spec:',
  '  template: long-answers',
  '  version: 1.0.0',
  '  maxTokens: 128000',
  '  systemInstruction: Answer at length.',
  '  userTemplate: Go on.',
  '',
].join('\n');

const config = (gpt4o: string) => `apiVersion: promptctl/v1\nkind: Config\nspec:\n  models:\n    gpt-4o: {${gpt4o}}\n`;

describe('export checked with a promptctl.yaml that overrides a built-in model', () => {
  it('says the Config changes what the check finds, naming the error plan --dir OUT then finds', { timeout: 60_000 }, async () => {
    emu = await startTestEmulator({});
    dir = await promptsIn('promptctl-export-config-override-', { 'promptctl.yaml': config('encoding: o200k_base, contextWindow: 1000000, maxOutputTokens: 200000'), 'long-answers.yaml': TEMPLATE }, 'prompts');
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);

    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    const error = "adopted/long-answers.yaml:13:14: worst-case prompt 18 tokens + maxTokens 128,000 exceeds gpt-4o's context window of 128,000 [tokens/context-window]";
    expect(r.stderr).toContain(
      `warning: the export was checked with prompts/promptctl.yaml, which plan --dir adopted does not read (export writes no promptctl.yaml); it overrides model gpt-4o, and without it plan finds 1 error this check did not (${error}): ` +
        'copy it into adopted before `promptctl plan --dir adopted`, or move the files into prompts',
    );
    // What the note names is what plan --dir finds without the Config, and with it plan is empty.
    const bare = await cli(['plan', '--dir', 'adopted']);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain(error.replace(': worst-case', ': error: worst-case'));
    await copyFile(join(dir.path, 'prompts/promptctl.yaml'), join(dir.path, 'adopted/promptctl.yaml'));
    const plan = await cli(['plan', '--dir', 'adopted', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('says nothing of promptctl.yaml when it overrides a model the check finds nothing different of', { timeout: 60_000 }, async () => {
    emu = await startTestEmulator({});
    const small = TEMPLATE.replace('maxTokens: 128000', 'maxTokens: 1000');
    dir = await promptsIn('promptctl-export-config-override-', { 'promptctl.yaml': config('encoding: o200k_base, contextWindow: 1000000'), 'long-answers.yaml': small }, 'prompts');
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const r = await cli(['export', '--out', 'adopted']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('promptctl.yaml');
  });
});
