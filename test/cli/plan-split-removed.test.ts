// A TrafficSplit removed from git (and a version it routes), after an apply: the gateway has no
// call that removes a split, so plan listed both under "Left alone" and said "No changes. What
// promptctl manages matches prompts/", plan --detailed-exitcode and drift exited 0 (a review), while
// 10 % of the template's calls still went to a version git no longer had. Both are now deletes no
// apply can make (`- delete (apply cannot make it)`): counted as a difference by plan
// --detailed-exitcode and drift (exit 2), with what to write in git instead, and never run.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const SPLIT = 'prompts/support-triage/traffic.yaml';
const VERSIONS = 'prompts/support-triage/versions.yaml';
const SUMMARY =
  'Plan: 0 to create, 0 to update, 0 to delete, 2 apply cannot delete (the gateway cannot remove a live traffic split, nor a version it routes, so keep the split in git, or route it 100 % to one version there).';
const SPLIT_LINE =
  '  - delete (apply cannot make it) TrafficSplit/support-triage\n    the gateway cannot remove a traffic split: it still routes 2.0.0 90 %, 2.1.0-beta.1 10 %; keep the split in git, or route it 100 % to one version there\n';
const VERSION_LINE =
  '  - delete (apply cannot make it) PromptVersion/support-triage@2.1.0-beta.1\n    still routed (10 %) by the live traffic split, which is not in git, and the gateway cannot remove a traffic split\n';

/** The example prompts applied to dev, then the split's file and the `dropped` version documents (2.1.0-beta.1, which it routes, unless told) removed. */
async function splitRemoved(dropped: readonly string[] = ['2.1.0-beta.1']): Promise<{ cli: (args: string[]) => ReturnType<typeof runCliInProcess>; cwd: string }> {
  dir = await tempDir('promptctl-split-removed-');
  const cwd = dir.path;
  copyExamplePrompts(cwd);
  const cli = (args: string[]) => runCliInProcess([...args, '--env', 'dev'], { cwd });
  const applied = await cli(['apply', '--auto-approve']);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  rmSync(join(cwd, SPLIT));
  const docs = readFileSync(join(cwd, VERSIONS), 'utf8').split(/^---\n/m);
  const kept = docs.filter((d) => !dropped.some((v) => d.includes(`version: "${v}"`)));
  expect(docs.length - kept.length).toBe(dropped.length);
  writeFileSync(join(cwd, VERSIONS), kept.join('---\n'));
  return { cli, cwd };
}

describe('a traffic split removed from git, which the gateway cannot remove', () => {
  it('is a change to plan --detailed-exitcode (2), with or without --prune, said with what to do in git', async () => {
    const { cli } = await splitRemoved();
    for (const prune of [['--prune'], []]) {
      const plan = await cli(['plan', '--detailed-exitcode', ...prune]);
      expect(plan.code, plan.stdout + plan.stderr).toBe(2);
      expect(plan.stdout).toContain(SPLIT_LINE + VERSION_LINE);
      expect(plan.stdout).toContain(SUMMARY);
      expect(plan.stdout).not.toContain('No changes');
      expect(plan.stdout).not.toContain('Left alone');
    }
    const json = await cli(['plan', '--prune', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { summary: Record<string, number>; actions: { address: string; action: string; pending?: boolean; unremovable?: boolean }[] };
    expect(doc.summary).toMatchObject({ create: 0, update: 0, delete: 0, unremovable: 2 });
    expect(doc.summary.pending).toBeUndefined();
    expect(doc.actions.filter((a) => a.action !== 'noop')).toEqual([
      expect.objectContaining({ address: 'TrafficSplit/support-triage', action: 'delete', pending: true, unremovable: true }),
      expect.objectContaining({ address: 'PromptVersion/support-triage@2.1.0-beta.1', action: 'delete', pending: true, unremovable: true }),
    ]);
    const md = await cli(['plan', '--format', 'markdown']);
    // The advice is a sentence of its own after the notes, not wedged between them.
    expect(md.stdout.split('\n')[0]).toBe(
      '**Plan:** 0 to create, 0 to update, 0 to delete, 2 apply cannot delete (12 unchanged). The gateway cannot remove a live traffic split, nor a version it routes, so keep the split in git, or route it 100 % to one version there.',
    );
    expect(md.stdout).toContain('| Kind | Create | Update | Delete | Apply cannot delete | Unchanged |');
    expect(md.stdout).toContain('| TrafficSplit | 0 | 0 | 0 | 1 | 1 |');
    expect(md.stdout).not.toContain('No changes');
  });

  it('names only the split when it routes no version git dropped, beside a pending delete and the notes', async () => {
    // 1.0.0, which the split does not route, removed too: a delete that waits for prune.
    const { cli } = await splitRemoved(['1.0.0']);
    const why = 'the gateway cannot remove a live traffic split, so keep the split in git, or route it 100 % to one version there';
    const plan = await cli(['plan']);
    expect(plan.stdout).toContain(`Plan: 0 to create, 0 to update, 0 to delete, 1 pending delete, 1 apply cannot delete (prune is off; ${why}).`);
    const md = await cli(['plan', '--format', 'markdown']);
    expect(md.stdout.split('\n')[0]).toBe(`**Plan:** 0 to create, 0 to update, 0 to delete, 1 pending delete, 1 apply cannot delete (prune is off; 12 unchanged). T${why.slice(1)}.`);
    const drift = await cli(['drift']);
    expect(drift.stderr).toContain(`Apply cannot make the delete marked "delete (apply cannot make it)" (${why}).`);
    expect(plan.stdout + md.stdout + drift.stderr).not.toContain('nor a version');
  });

  it('is drift (exit 2), listed, with what to do in git', async () => {
    const { cli } = await splitRemoved();
    const drift = await cli(['drift']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toContain('Drift (2 differences;');
    expect(drift.stdout).toMatch(/^ {2}TrafficSplit\/support-triage: on the target, not in git \(the gateway cannot remove a traffic split: it still routes 2\.0\.0 90 %, 2\.1\.0-beta\.1 10 %/m);
    expect(drift.stdout).toMatch(/^ {2}PromptVersion\/support-triage@2\.1\.0-beta\.1: on the target, not in git/m);
    expect(drift.stderr).toContain(
      'Drift: 2 differences between the target and git. Apply cannot make the 2 deletes marked "delete (apply cannot make it)" (the gateway cannot remove a live traffic split, nor a version it routes, so keep the split in git, or route it 100 % to one version there).',
    );
    expect(drift.stderr).not.toContain('No drift');
    const md = await cli(['drift', '--format', 'markdown']);
    expect(md.code).toBe(2);
    expect(md.stdout).toContain('| `TrafficSplit/support-triage` | delete (apply cannot make it) |');
  });

  it('is left by apply, which changes nothing, writes no record and exits 0, run after run; a saved plan too', async () => {
    const { cli, cwd } = await splitRemoved();
    const trail = join(cwd, '.promptctl/envs/dev/audit.jsonl');
    const before = readFileSync(trail, 'utf8');
    for (let run = 0; run < 2; run++) {
      const apply = await cli(['apply', '--auto-approve', '--prune']);
      expect(apply.code, apply.stdout + apply.stderr).toBe(0);
      expect(apply.stdout).toContain(SUMMARY);
      expect(apply.stderr).toContain('(unchanged: this run wrote no records)');
      expect(apply.stdout + apply.stderr).not.toMatch(/\bdeleted\b|Failed/);
    }
    const saved = await cli(['plan', '--prune', '--out', 'plan.json']);
    expect(saved.code, saved.stderr).toBe(0);
    const applied = await cli(['apply', 'plan.json', '--prune', '--auto-approve']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stderr).toContain('plan.json: still current: 0 to create, 0 to update, 0 to delete, 2 apply cannot delete');
    expect(readFileSync(trail, 'utf8')).toBe(before);
    // Still a difference: nothing was claimed done.
    expect((await cli(['drift'])).code).toBe(2);
  });

  it('is settled by a split in git that routes 100 % to one version: apply updates it and retires the other', async () => {
    const { cli, cwd } = await splitRemoved();
    writeFileSync(
      join(cwd, SPLIT),
      'apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: support-triage\n  routes:\n    - {version: "2.0.0", weight: 100}\n',
    );
    const plan = await cli(['plan', '--prune']);
    expect(plan.stdout).toContain('~ update TrafficSplit/support-triage');
    expect(plan.stdout).toMatch(/- delete PromptVersion\/support-triage@2\.1\.0-beta\.1/);
    expect(plan.stdout).not.toContain('apply cannot');
    const apply = await cli(['apply', '--auto-approve', '--prune']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const drift = await cli(['drift']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
  });
});
