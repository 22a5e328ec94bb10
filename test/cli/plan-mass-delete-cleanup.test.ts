// Retiring old versions is cleanup, not a mass delete (found by review): a template routed 100 %
// to 1.4.0 whose four older versions' files were removed planned "[mass-delete] … it deletes 4
// of the 7 objects promptctl manages … (a wrong --dir?)", refused with --prune and warned of
// without, pointing at --allow-mass-delete. A version retired below a newer one git defines of
// its template no longer counts; one newer than every one git defines (a stale checkout) does.
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

const LABELS = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0'];
const template = (routed: string): string =>
  `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: faq-bot}\nspec: {model: gpt-4o}\n---\napiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: faq-bot\n  routes:\n    - {version: "${routed}", weight: 100}\n`;
const version = (label: string): string =>
  `apiVersion: promptctl/v1\nkind: PromptVersion\nspec: {template: faq-bot, version: "${label}", systemInstruction: "Answer as ${label}.", userTemplate: "Q: {{q}}", variables: [{name: q, type: string, maxLength: 80}], maxTokens: 100}\n`;

/** faq-bot and its five versions applied from prompts/, one file each; the run's CLI. */
async function applied() {
  dir = await tempDir('promptctl-mass-delete-cleanup-');
  const prompts = join(dir.path, 'prompts');
  await mkdir(prompts);
  await writeFile(join(prompts, 't.yaml'), template('1.4.0'));
  for (const l of LABELS) await writeFile(join(prompts, `v${l}.yaml`), version(l));
  const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path });
  const r = await cli(['apply', '--auto-approve']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return { prompts, cli };
}

describe('the mass-delete guard and retired versions', () => {
  it('lets old versions be retired below the one routed, with prune and without', async () => {
    const { prompts, cli } = await applied();
    for (const l of LABELS.slice(0, 4)) await rm(join(prompts, `v${l}.yaml`));

    const plan = await cli(['plan', '--prune']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).not.toContain('mass-delete');
    expect(plan.stdout).toContain('\nPlan: 0 to create, 0 to update, 4 to delete.\n');
    const pending = await cli(['plan']);
    expect(pending.code, pending.stderr).toBe(0);
    expect(pending.stdout).not.toContain('mass-delete');
    // Drift's next step is the plain apply --prune, not --allow-mass-delete.
    const drift = await cli(['drift']);
    expect(drift.code).toBe(2);
    expect(drift.stderr).toContain('Drift: 4 differences between the target and git. `promptctl apply --prune` makes the 4 deletes waiting for prune;');
    expect(drift.stdout + drift.stderr).not.toContain('mass delete');
    const pruned = await cli(['apply', '--prune', '--auto-approve']);
    expect(pruned.code, pruned.stdout + pruned.stderr).toBe(0);
    expect((await cli(['plan', '--prune', '--detailed-exitcode'])).code).toBe(0);
  });

  it('still refuses a stale checkout retiring the versions newer than those it defines', async () => {
    const { prompts, cli } = await applied();
    // The checkout of before 1.1.0: routing 1.0.0, defining no later version.
    await writeFile(join(prompts, 't.yaml'), template('1.0.0'));
    for (const l of LABELS.slice(1)) await rm(join(prompts, `v${l}.yaml`));

    const plan = await cli(['plan', '--prune']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(
      "refusing a plan that deletes this much: it deletes 4 of the 7 objects promptctl manages, counting each template's versions and split (a wrong --dir?). If this is meant, run again with --allow-mass-delete.",
    );
    const pending = await cli(['plan']);
    expect(pending.stdout).toContain('[mass-delete]');
  });
});
