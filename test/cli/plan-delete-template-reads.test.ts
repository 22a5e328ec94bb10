// A template deleted with --prune (found by review): the plan said "also deletes 2 versions and
// its traffic split", so a reviewer could not tell which versions go, nor that the template
// serves calls right now. The reason now names the versions and where the split sends the
// template's calls, in the text plan and the pull request's markdown alike.
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

const version = (label: string): string =>
  [
    'apiVersion: promptctl/v1',
    'kind: PromptVersion',
    'spec:',
    '  template: gone-bot',
    `  version: "${label}"`,
    `  systemInstruction: "Answer as ${label}."`,
    '  userTemplate: "Q: {{q}}"',
    '  variables: [{name: q, type: string, maxLength: 80}]',
    '  maxTokens: 100',
  ].join('\n');

const GONE = [
  'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: gone-bot}\nspec: {model: gpt-4o}',
  version('1.10.0'),
  version('1.9.0'),
  'apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: gone-bot\n  routes:\n    - {version: "1.10.0", weight: 30}\n    - {version: "1.9.0", weight: 70}',
].join('\n---\n');

const KEPT = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: kept-bot}\nspec: {model: gpt-4o}\n';

describe('a template deleted with --prune', () => {
  it('names the versions it takes along and where its split sends calls now', async () => {
    dir = await tempDir('promptctl-delete-template-');
    const prompts = join(dir.path, 'prompts');
    await mkdir(prompts);
    await writeFile(join(prompts, 'gone.yaml'), GONE + '\n');
    await writeFile(join(prompts, 'kept.yaml'), KEPT);
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    await rm(join(prompts, 'gone.yaml'));

    const reason = 'also deletes 2 versions (1.9.0, 1.10.0) and its traffic split, which routes its calls to 1.9.0 (70 %), 1.10.0 (30 %) now';
    const text = await cli(['plan', '--prune', '--allow-mass-delete']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`- delete PromptTemplate/gone-bot ⚠ destructive\n    pruned: not in git (managed-by: promptctl); ${reason}\n`);
    const md = await cli(['plan', '--prune', '--allow-mass-delete', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain(`**PromptTemplate/gone-bot** — pruned: not in git (managed-by: promptctl); ${reason}`);
    // Without prune, the pending delete says what it would take along too.
    const pending = await cli(['plan']);
    expect(pending.stdout).toContain(reason);
  });
});
