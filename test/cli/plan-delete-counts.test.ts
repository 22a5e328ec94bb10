// A template deleted with its versions and split (found by review): the markdown plan's per-kind
// table counted only the template, so its versions and split read as if they stayed. They are now
// counted in their own rows, a pending delete's in the pending column, and the summary line says
// how many the deletes take along, so the table adds up to it.
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
  `apiVersion: promptctl/v1\nkind: PromptVersion\nspec: {template: gone-bot, version: "${label}", systemInstruction: "Answer as ${label}.", userTemplate: "Q: {{q}}", variables: [{name: q, type: string, maxLength: 80}], maxTokens: 100}`;
const GONE = [
  'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: gone-bot}\nspec: {model: gpt-4o}',
  version('1.0.0'),
  version('1.1.0'),
  'apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: gone-bot\n  routes:\n    - {version: "1.1.0", weight: 100}',
].join('\n---\n');
const KEPT = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: kept-bot}\nspec: {model: gpt-4o}\n';

describe('the counts of a plan deleting a template', () => {
  it('count its versions and split in their rows, and the summary line says so', async () => {
    dir = await tempDir('promptctl-delete-counts-');
    const prompts = join(dir.path, 'prompts');
    await mkdir(prompts);
    await writeFile(join(prompts, 'gone.yaml'), GONE + '\n');
    await writeFile(join(prompts, 'kept.yaml'), KEPT);
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    await rm(join(prompts, 'gone.yaml'));

    const text = await cli(['plan', '--prune', '--allow-mass-delete']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('\nPlan: 0 to create, 0 to update, 1 to delete and 3 taken along.\n');
    const md = await cli(['plan', '--prune', '--allow-mass-delete', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain(
      [
        '**Plan:** 0 to create, 0 to update, 1 to delete and 3 taken along (1 unchanged)',
        '',
        'Target: embedded emulator (state .promptctl/local-state.json)',
        '',
        '| Kind | Create | Update | Delete | Unchanged |',
        '|---|--:|--:|--:|--:|',
        '| PromptTemplate | 0 | 0 | 1 | 1 |',
        '| PromptVersion | 0 | 0 | 2 | 0 |',
        '| TrafficSplit | 0 | 0 | 1 | 0 |',
      ].join('\n'),
    );

    // Prune off: the same counts in the pending column, and a saved plan still reads back.
    const pending = await cli(['plan', '--format', 'markdown', '--out', 'plan.json']);
    expect(pending.code, pending.stderr).toBe(0);
    expect(pending.stdout).toContain('**Plan:** 0 to create, 0 to update, 0 to delete, 1 pending delete and 3 taken along (prune is off; 1 unchanged)');
    expect(pending.stdout).toContain('| PromptVersion | 0 | 0 | 0 | 2 | 0 |\n| TrafficSplit | 0 | 0 | 0 | 1 | 0 |');
    const shown = await cli(['show', 'plan.json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 1 pending delete and 3 taken along (prune is off).');
  });
});
