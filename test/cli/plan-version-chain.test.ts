// Two new versions of one template in one plan, 1.3.0 and 1.4.0 over a live 1.2.0 (found by
// review: 1.4.0 was shown as changes from 1.2.0, the newest live version, so its diff mixed in
// everything 1.3.0 changes): each new version is read against the one just below it once the plan
// is applied, 1.4.0 against 1.3.0, in the text, markdown and JSON plan alike.
// A live version the same --prune plan deletes is not below it once applied (found by review too).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const TEMPLATE = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: chain-bot}\nspec: {model: gpt-4o}\n';

/** Version `label` of chain-bot whose system instruction is `line` and temperature `t`. */
const versionYaml = (label: string, line: string, t: number): string =>
  [
    'apiVersion: promptctl/v1',
    'kind: PromptVersion',
    'spec:',
    '  template: chain-bot',
    `  version: "${label}"`,
    `  systemInstruction: "${line}\\n"`,
    '  userTemplate: "Q: {{q}}"',
    '  variables: [{name: q, type: string, maxLength: 80}]',
    `  temperature: ${t}`,
    '  maxTokens: 100',
    '',
  ].join('\n');

describe('a plan that creates two versions of one template', () => {
  it('shows each against the version just below it once applied (1.4.0 against 1.3.0, not the live 1.2.0)', async () => {
    dir = await tempDir('promptctl-chain-');
    const prompts = join(dir.path, 'prompts');
    await mkdir(prompts);
    await writeFile(join(prompts, 'template.yaml'), TEMPLATE);
    await writeFile(join(prompts, 'v1.2.0.yaml'), versionYaml('1.2.0', 'Line A.', 0.2));
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);

    await writeFile(join(prompts, 'v1.3.0.yaml'), versionYaml('1.3.0', 'Line B.', 0.3));
    await writeFile(join(prompts, 'v1.4.0.yaml'), versionYaml('1.4.0', 'Line C.', 0.4));

    const text = await cli(['plan']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('+ create PromptVersion/chain-bot@1.3.0 (changes from 1.2.0)');
    expect(text.stdout).toContain('+ create PromptVersion/chain-bot@1.4.0 (changes from 1.3.0)');
    const v14 = text.stdout.slice(text.stdout.indexOf('chain-bot@1.4.0'));
    expect(v14).toContain('~ temperature: 0.3 → 0.4');
    expect(v14).toContain('-Line B.');
    expect(v14).toContain('+Line C.');
    expect(v14).not.toContain('Line A.');

    const md = await cli(['plan', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('<b>PromptVersion/chain-bot@1.4.0</b> (changes from 1.3.0)');
    const md14 = md.stdout.slice(md.stdout.indexOf('chain-bot@1.4.0'));
    expect(md14).toMatch(/^-Line B\.$/m);
    expect(md14).not.toContain('Line A.');

    const json = await cli(['plan', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const actions = (JSON.parse(json.stdout) as { actions: { address: string; supersedes?: string; changes: unknown[]; text?: { before: string }[] }[] }).actions;
    const a = actions.find((x) => x.address === 'PromptVersion/chain-bot@1.4.0')!;
    expect(a.supersedes).toBe('1.3.0');
    expect(a.changes).toContainEqual({ path: 'temperature', before: 0.3, after: 0.4 });
    expect(a.text).toEqual([{ field: 'systemInstruction', before: 'Line B.\n', after: 'Line C.\n' }]);
  });

  it('says a new version the same as the one before it is so, rather than "changes from" over nothing', async () => {
    dir = await tempDir('promptctl-chain-');
    const prompts = join(dir.path, 'prompts');
    await mkdir(prompts);
    await writeFile(join(prompts, 'template.yaml'), TEMPLATE);
    await writeFile(join(prompts, 'v1.2.0.yaml'), versionYaml('1.2.0', 'Line A.', 0.2));
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await writeFile(join(prompts, 'v1.2.1.yaml'), versionYaml('1.2.1', 'Line A.', 0.2));

    const text = await cli(['plan']);
    expect(text.stdout).toContain('+ create PromptVersion/chain-bot@1.2.1 (same content as 1.2.0)\n');
    const md = await cli(['plan', '--format', 'markdown']);
    expect(md.stdout).toContain('<b>PromptVersion/chain-bot@1.2.1</b> (same content as 1.2.0)');
  });

  it('never shows a new version against a live one the same --prune plan deletes', async () => {
    dir = await tempDir('promptctl-chain-');
    const prompts = join(dir.path, 'prompts');
    await mkdir(prompts);
    await writeFile(join(prompts, 'template.yaml'), TEMPLATE);
    await writeFile(join(prompts, 'v1.2.0.yaml'), versionYaml('1.2.0', 'Line A.', 0.2));
    await writeFile(join(prompts, 'v1.3.0.yaml'), versionYaml('1.3.0', 'Line B.', 0.3));
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await rm(join(prompts, 'v1.3.0.yaml'));
    await writeFile(join(prompts, 'v1.4.0.yaml'), versionYaml('1.4.0', 'Line C.', 0.4));

    // Pruned, 1.3.0 is gone once the plan is applied: 1.4.0 lands just above 1.2.0.
    const pruned = await cli(['plan', '--prune']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain('- delete PromptVersion/chain-bot@1.3.0');
    expect(pruned.stdout).toContain('+ create PromptVersion/chain-bot@1.4.0 (changes from 1.2.0)');
    const v14 = pruned.stdout.slice(pruned.stdout.indexOf('chain-bot@1.4.0'));
    expect(v14).toContain('-Line A.');
    expect(v14).not.toContain('Line B.');
    // Prune off, the pending delete leaves 1.3.0 live: 1.4.0 supersedes it.
    const pending = await cli(['plan']);
    expect(pending.stdout).toContain('+ create PromptVersion/chain-bot@1.4.0 (changes from 1.3.0)');
  });
});
