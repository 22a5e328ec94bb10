// A markdown plan cut to one comment's size points at all of it: in GitHub Actions, when the plan
// is saved (--out), at the JSON plan artifact the workflows upload; on a laptop, or in a job that
// saves none (no artifact), at the command that prints the whole plan (`plan --format json`,
// with its --env and --dir).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const template = (i: number) =>
  `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: t-${i}\nspec:\n  model: gpt-4o\n---\n` +
  `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: t-${i}\n  version: "1.0.0"\n  systemInstruction: |\n${'    Answer briefly and cite the policy section for every claim you make.\n'.repeat(12)}  userTemplate: "Hi"\n  maxTokens: 100\n`;

describe('a markdown plan too long for one comment', () => {
  it('points at plan --format json locally, and at the artifact in GitHub Actions', async () => {
    dir = await tempDir();
    await mkdir(join(dir.path, 'lots'));
    for (let i = 0; i < 120; i++) await writeFile(join(dir.path, 'lots', `t-${i}.yaml`), template(i));
    const local = await runCliInProcess(['plan', '--dir', 'lots', '--format', 'markdown'], { cwd: dir.path });
    expect(local.code, local.stderr).toBe(0);
    expect(local.stdout).toMatch(/> … [\d,]+ more resources not shown, all of them new; run `promptctl plan --dir lots --format json` for all of it\.\n/);
    // Every flag that shapes the plan is in the command, or it would print another plan.
    const pruned = await runCliInProcess(['plan', '--dir', 'lots', '--prune', '--allow-mass-delete', '--format', 'markdown'], { cwd: dir.path });
    expect(pruned.stdout).toContain('run `promptctl plan --dir lots --prune --allow-mass-delete --format json` for all of it.');
    // The workflows save the plan (--out) and upload it: the artifact.
    const ci = await runCliInProcess(['plan', '--dir', 'lots', '--format', 'markdown', '--out', 'plan.json'], { cwd: dir.path, env: { GITHUB_ACTIONS: 'true' } });
    expect(ci.stdout).toMatch(/> … [\d,]+ more resources not shown, all of them new; see the JSON plan artifact\.\n/);
    // A job of one's own that saves none has no artifact to point at: the command.
    const unsaved = await runCliInProcess(['plan', '--dir', 'lots', '--format', 'markdown'], { cwd: dir.path, env: { GITHUB_ACTIONS: 'true' } });
    expect(unsaved.stdout).toContain('run `promptctl plan --dir lots --format json` for all of it.');
  });
});
