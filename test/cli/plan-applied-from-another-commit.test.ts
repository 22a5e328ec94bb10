// A change on the target that promptctl's own apply of another commit made is not a hand change
// (a review: a stacked pull request, planned after its base was merged and applied, was told its
// own edit of a published version was "changed on the target (drift)", and its own split change
// was warned of as undoing a change on the target). The audit trail says which apply made what the
// target holds; without it, the plan says it could be either. In-process CLI against a real
// emulator on port 0, on temp git repositories whose commits are dated so the order is plain.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committed, gitIn, scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
const FILE = 'prompts/billing/billing-assistant.yaml';
/** A commit of everything, dated `at` (before the applies, which the target dates now). */
const commit = (at: string, message: string) => {
  gitIn(s.dir.path, at)('add', '-A');
  gitIn(s.dir.path, at)('commit', '-q', '-m', message);
  return gitIn(s.dir.path)('rev-parse', 'HEAD').toString().trim();
};
const git = (...args: string[]) => gitIn(s.dir.path)(...args);
const file = () => readFile(join(s.dir.path, FILE), 'utf8');
const write = (text: string) => writeFile(join(s.dir.path, FILE), text);
/** The trail set aside, as in a CI job that did not restore it. */
const withoutTrail = () => rename(join(s.dir.path, '.promptctl/audit.jsonl'), join(s.dir.path, 'audit.jsonl.aside'));

/** Version 1.2.0 of billing-assistant, with `line` at the end of its system instruction. */
const v120 = (line: string) => `---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing-assistant
  version: 1.2.0
  systemInstruction: |
    You are a billing assistant for Example Corp.
    ${line}
  userTemplate: |
    {{question}}
  variables:
    - name: question
      type: string
      maxLength: 2000
`;

let first: string;
beforeEach(async () => {
  s = await scenario();
  await writeFile(join(s.dir.path, '.gitignore'), '.promptctl/\n');
  committed(s.dir.path, '2020-01-01T00:00:00Z');
  first = git('rev-parse', 'HEAD').toString().trim();
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  await s.close();
});

/**
 * PR1 adds 1.2.0 on main; PR2, stacked on it (branch pr2), edits 1.2.0's text before PR1 is
 * merged and applied; main is then applied. Returns PR1's commit and when the target says 1.2.0 changed.
 */
async function stackedVersion(): Promise<{ pr1: string; at: string; original: string }> {
  const original = await file();
  await write(original + v120('Answer only billing questions.'));
  const pr1 = commit('2020-01-02T00:00:00Z', 'add 1.2.0');
  git('checkout', '-q', '-b', 'pr2');
  await write(original + v120('Answer only billing questions, kindly.'));
  commit('2020-01-03T00:00:00Z', 'edit 1.2.0');
  git('checkout', '-q', 'main');
  expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
  const t = (await s.emu.api.listTemplates({ name: 'billing-assistant', expand: ['versions'] }))[0]!;
  return { pr1, at: t.versions!.find((v) => v.version === '1.2.0')!.dateModified!, original };
}

describe('a published version the target holds as an apply of another commit made it', () => {
  it("is the branch's own change when the branch has that commit, and a merge or rebase to make when it has not", { timeout: 90_000 }, async () => {
    const { pr1, at, original } = await stackedVersion();
    git('checkout', '-q', 'pr2');
    const stacked = await s.cli(['plan']);
    expect(stacked.code).toBe(1);
    // Nobody touched the target: this branch changes a published version, as any pull request may.
    expect(stacked.stdout).toContain('PromptVersion/billing-assistant@1.2.0 is published and immutable, but git changes its systemInstruction');
    expect(stacked.stdout).not.toContain('changed on the target');

    // A branch made before PR1, defining 1.2.0 its own way: the target holds what PR1's apply made.
    git('checkout', '-q', '-b', 'pr3', first);
    await write(original + v120('Answer billing questions only.'));
    commit('2020-01-04T00:00:00Z', 'add 1.2.0 otherwise');
    const behind = await s.cli(['plan', '--format', 'json']);
    const problem = (JSON.parse(behind.stdout) as { problems: { address: string; message: string }[] }).problems.find((p) => p.address === 'PromptVersion/billing-assistant@1.2.0')!;
    expect(problem.message).toContain(
      `no longer matches git: applied by promptctl at ${at} from commit ${pr1.slice(0, 12)}, after git last changed it here (2020-01-04T00:00:00+00:00), a commit this branch does not have: merge or rebase on it, then plan again.`,
    );
    expect(problem.message).not.toContain('drift');
  });

  it('is said to be changed by hand or by an apply of another commit when there is no trail to read', { timeout: 90_000 }, async () => {
    const { at } = await stackedVersion();
    git('checkout', '-q', 'pr2');
    await withoutTrail();
    const unknown = await s.cli(['drift']);
    expect(unknown.stdout).toContain(`changed on the target by `);
    expect(unknown.stdout).toContain(`at ${at}, after git last changed it (2020-01-03T00:00:00+00:00), by hand or by an apply of a commit this branch does not have.`);
    expect(unknown.stdout).not.toContain('(drift)');
  });
});

/** main goes to 70/30; a branch stacked on it (stacked) goes to 60/40 before main's is applied; main is applied. */
async function stackedSplit(): Promise<{ main: string; at: string; routed: (a: number, b: number) => string }> {
  const original = await file();
  const routed = (a: number, b: number) => original.replace('weight: 80', `weight: ${a}`).replace('weight: 20', `weight: ${b}`);
  await write(routed(70, 30));
  const main = commit('2020-01-02T00:00:00Z', '70/30');
  git('checkout', '-q', '-b', 'stacked');
  await write(routed(60, 40));
  commit('2020-01-03T00:00:00Z', '60/40');
  git('checkout', '-q', 'main');
  expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
  const at = (await s.emu.api.getTraffic((await s.emu.api.listTemplates({ name: 'billing-assistant' }))[0]!.id))!.dateModified!;
  return { main, at, routed };
}

describe("a split's update over what an apply of another commit made", () => {
  it('is not warned of when the branch has that commit, and is, as that apply, when it has not', { timeout: 90_000 }, async () => {
    const { main, at, routed } = await stackedSplit();
    git('checkout', '-q', 'stacked');
    const own = await s.cli(['plan', '--format', 'markdown']);
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toContain('TrafficSplit/billing-assistant');
    expect(own.stdout).not.toContain('undoes-target-change');

    // Branched before main's 70/30: applying it puts 60/40 over what main applied.
    git('checkout', '-q', '-b', 'behind', first);
    await write(routed(60, 40));
    commit('2020-01-04T00:00:00Z', '60/40 on the old base');
    const behind = await s.cli(['plan', '--format', 'json']);
    const warnings = (JSON.parse(behind.stdout) as { warnings?: { address: string; rule: string; message: string }[] }).warnings ?? [];
    expect(warnings).toEqual([
      expect.objectContaining({
        address: 'TrafficSplit/billing-assistant',
        rule: 'undoes-target-change',
        message: `the target holds what promptctl applied at ${at} from commit ${main.slice(0, 12)}, after git last changed it here, a commit this branch does not have: merge or rebase on it; applying puts this branch's back`,
      }),
    ]);
  });

  it('is warned of as changed by hand or by an apply of another commit when there is no trail to read', { timeout: 90_000 }, async () => {
    const { at } = await stackedSplit();
    git('checkout', '-q', 'stacked');
    await withoutTrail();
    const unknown = await s.cli(['plan', '--format', 'markdown']);
    expect(unknown.stdout).toContain('`undoes-target-change`');
    expect(unknown.stdout).toContain(`at ${at}, after git last changed it (by hand, or by an apply of a commit this branch does not have): applying puts git's back`);
  });
});

describe('a template that an apply of another commit made under a new name', () => {
  it('is not said to be renamed by hand on the target', { timeout: 90_000 }, async () => {
    // main renames billing-assistant in git and applies it (the old name pruned); a branch made before it plans.
    await s.edit(FILE, /billing-assistant/g, 'billing-renamed');
    await s.edit('prompts/safety-filters.yaml', /billing-assistant/g, 'billing-renamed');
    commit('2020-01-02T00:00:00Z', 'rename');
    expect((await s.cli(['apply', '--prune', '--auto-approve'])).code).toBe(0);
    git('checkout', '-q', '-b', 'behind', first);
    const plan = await s.cli(['plan']);
    expect(plan.stdout).toContain('which holds its published versions 1.0.0, 1.1.0: renamed by hand on the target or in git');
    expect(plan.stdout).not.toContain('renamed by hand on the target after git last changed it');
  });
});

/** The outcome records of `address` in the trail. */
const outcomesOf = async (address: string) =>
  (await readFile(join(s.dir.path, '.promptctl/audit.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { type: string; address: string; dirty?: true; commit: string | null })
    .filter((r) => r.type === 'outcome' && r.address === address);

describe('what an apply from uncommitted changes made', () => {
  // No commit holds what it applied: it is never the branch's own change, though its record names HEAD.
  it("is no branch's own split change: its update is warned of as putting git's back", { timeout: 90_000 }, async () => {
    await s.edit(FILE, 'weight: 80', 'weight: 50');
    await s.edit(FILE, 'weight: 20', 'weight: 50');
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await outcomesOf('TrafficSplit/billing-assistant')).at(-1)).toMatchObject({ dirty: true, commit: first });
    git('checkout', '-q', '--', FILE);
    const at = (await s.emu.api.getTraffic((await s.emu.api.listTemplates({ name: 'billing-assistant' }))[0]!.id))!.dateModified!;
    const plan = await s.cli(['plan', '--format', 'json']);
    const warnings = (JSON.parse(plan.stdout) as { warnings?: { address: string; rule: string; message: string }[] }).warnings ?? [];
    expect(warnings).toEqual([
      expect.objectContaining({
        address: 'TrafficSplit/billing-assistant',
        rule: 'undoes-target-change',
        message: `the target holds what promptctl applied at ${at} from uncommitted changes of commit ${first.slice(0, 12)}, after git last changed it here: no commit holds it; applying puts git's back`,
      }),
    ]);
    expect(warnings[0]!.message).not.toContain('merge or rebase');
  });

  it('is not said to be git changing a published version: no commit held that text', { timeout: 90_000 }, async () => {
    const original = await file();
    await write(original + v120('Answer only billing questions.'));
    const head = commit('2020-01-02T00:00:00Z', 'add 1.2.0');
    await write(original + v120('Answer only billing questions, kindly.'));
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await outcomesOf('PromptVersion/billing-assistant@1.2.0')).at(-1)).toMatchObject({ dirty: true, commit: head });
    git('checkout', '-q', '--', FILE);
    const at = (await s.emu.api.listTemplates({ name: 'billing-assistant', expand: ['versions'] }))[0]!.versions!.find((v) => v.version === '1.2.0')!.dateModified!;
    const plan = await s.cli(['plan', '--format', 'json']);
    const problem = (JSON.parse(plan.stdout) as { problems: { address: string; message: string }[] }).problems.find((p) => p.address === 'PromptVersion/billing-assistant@1.2.0')!;
    expect(problem.message).toBe(
      `PromptVersion/billing-assistant@1.2.0 is published and immutable, but its systemInstruction on the target no longer matches git: applied by promptctl at ${at} from uncommitted changes of commit ${head.slice(0, 12)}, after git last changed it here (2020-01-02T00:00:00+00:00): no commit holds it. Apply cannot write a published version back: to keep the target's content, put it in git; to serve git's, add it as a new version (e.g. 1.2.1) and route traffic to it.`,
    );
    const drift = await s.cli(['drift']);
    expect(drift.stdout).toContain(`from uncommitted changes of commit ${head.slice(0, 12)}`);
    expect(drift.stdout).not.toContain('git changes its');
    expect(drift.stdout).not.toContain('merge or rebase');
  });
});
