// `plan --changed-since REF` in a real git repository: only what changed files define (plus what
// it references), and a saved plan of that slice applies without tripping over the rest.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rename, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scenario, plannedChanges, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: s.dir.path,
    stdio: 'pipe',
  }).toString();

beforeEach(async () => {
  s = await scenario();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'prompts');
  expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
});
afterEach(async () => {
  await s.close();
});

describe('plan --changed-since', () => {
  it('plans only the resources of files changed since REF', async () => {
    await s.edit('prompts/safety-filters.yaml', 'priority: 20', 'priority: 25');
    await s.edit('prompts/billing/billing-assistant.yaml', 'Answers billing questions', 'Answers all billing questions');
    git('commit', '-q', '-am', 'two changes');
    // A third change, in another file, after the commit we compare against.
    await s.edit('prompts/support/support-triage.yaml', 'model: gpt-4o-mini', 'model: gpt-4o');
    git('commit', '-q', '-am', 'triage model');

    const all = await s.cli(['plan']);
    expect(plannedChanges(all.stdout)).toEqual([
      'update PromptTemplate/billing-assistant',
      'update PromptTemplate/support-triage',
      'update SafetyFilter/org-hate-speech',
    ]);
    const r = await s.cli(['plan', '--changed-since', 'HEAD~1', '--out', 'plan.json']);
    expect(r.code, r.stderr).toBe(0);
    // The changed file's template, plus what it depends on (the org-wide filter that protects it);
    // not the billing template, changed in an earlier commit.
    const scoped = plannedChanges(r.stdout);
    expect(scoped).toContain('update PromptTemplate/support-triage');
    expect(scoped).not.toContain('update PromptTemplate/billing-assistant');

    // The saved slice applies although another change is pending outside it.
    const applied = await s.cli(['apply', 'plan.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Apply complete: 0 created, ${scoped.length} updated, 0 deleted.`);
    const rest = await s.cli(['plan']);
    expect(plannedChanges(rest.stdout)).toEqual(['update PromptTemplate/billing-assistant']);
  });

  it('names HEAD\'s author as the actor of a JSON plan and drift report (text and markdown, which show none, do not ask git for it)', async () => {
    const json = await s.cli(['plan', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).git).toMatchObject({ actor: 'Ada Lovelace <ada@example.com>', dirty: false, branch: 'main' });
    const saved = await s.cli(['plan', '--out', 'plan.json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(s.dir.path, 'plan.json'), 'utf8')).git.actor).toBe('Ada Lovelace <ada@example.com>');
    const drift = await s.cli(['drift', '--format', 'json']);
    expect(drift.code, drift.stderr).toBe(0);
    expect(JSON.parse(drift.stdout).git.actor).toBe('Ada Lovelace <ada@example.com>');
  });

  it('plans what a document removed or moved since REF defined: a deleted file, a document cut from a file, one moved to another file', async () => {
    git('rm', '-q', 'prompts/support/support-triage.yaml');
    await s.edit('prompts/safety-filters.yaml', /---\napiVersion: promptctl\/v1\nkind: SafetyFilter\nmetadata:\n  name: political-flagger\n[\s\S]*$/, '');
    git('commit', '-q', '-am', 'retire triage and the political flagger');
    const full = await s.cli(['plan', '--detailed-exitcode']);
    expect(full.code, full.stderr).toBe(2);
    const removed = ['delete PromptTemplate/support-triage', 'delete SafetyFilter/political-flagger'];
    expect(plannedChanges(full.stdout)).toEqual(removed);

    const r = await s.cli(['plan', '--changed-since', 'HEAD~1', '--detailed-exitcode']);
    expect(r.code, r.stderr).toBe(2);
    expect(plannedChanges(r.stdout)).toEqual(removed);
    expect(r.stdout).toContain('pending: prune is off');

    // Moved: the billing template's document goes to a new file, unchanged. Nothing to do, and
    // both files' addresses are planned (as unchanged).
    git('reset', '-q', '--hard', 'HEAD~1');
    git('mv', 'prompts/billing/billing-assistant.yaml', 'prompts/billing-assistant.yaml');
    git('commit', '-q', '-m', 'move');
    const moved = await s.cli(['plan', '--changed-since', 'HEAD~1', '--detailed-exitcode']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toMatch(/planning \d+ addresses from files changed since HEAD~1/);
    expect(moved.stderr).not.toContain('planning 0 addresses');
  });

  it('plans what a file git ignores under the prompts directory defines: the loader reads it, so the full plan has it', async () => {
    await writeFile(join(s.dir.path, '.gitignore'), '*.local.yaml\n');
    git('add', '.gitignore');
    git('commit', '-q', '-m', 'ignore local files');
    const local = 'apiVersion: promptctl/v1\nkind: SafetyFilter\nmetadata:\n  name: local-flagger\nspec:\n  priority: 40\n  categories: [pii]\n  action: flag_and_pass\n  thresholds: {pii: 0.5}\n  falsePositiveTolerance: 0.1\n';
    await writeFile(join(s.dir.path, 'prompts/mine.local.yaml'), local);
    expect(plannedChanges((await s.cli(['plan'])).stdout)).toEqual(['create SafetyFilter/local-flagger']);
    const r = await s.cli(['plan', '--changed-since', 'HEAD', '--detailed-exitcode']);
    expect(r.code, r.stderr).toBe(2);
    expect(plannedChanges(r.stdout)).toEqual(['create SafetyFilter/local-flagger']);
    // No commit holds that filter: the plan (and the audit records of its apply) say the tree is dirty.
    const json = await s.cli(['plan', '--format', 'json']);
    expect(JSON.parse(json.stdout).git.dirty).toBe(true);
    expect((await s.cli(['plan'])).stdout).toContain('(uncommitted changes)');
  });

  it('plans a version whose {file:} text is read through a link retargeted since REF, as the full plan does', async () => {
    await rename(join(s.dir.path, 'prompts/texts/triage-system.md'), join(s.dir.path, 'prompts/texts/triage-v1.md'));
    await symlink('triage-v1.md', join(s.dir.path, 'prompts/texts/triage-system.md'));
    await writeFile(join(s.dir.path, 'prompts/texts/triage-v2.md'), 'You triage support tickets, briefly.\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'the triage text through a link');
    await unlink(join(s.dir.path, 'prompts/texts/triage-system.md'));
    await symlink('triage-v2.md', join(s.dir.path, 'prompts/texts/triage-system.md'));
    const full = await s.cli(['plan']);
    expect(full.stdout).toContain('PromptVersion/support-triage@2.0.0 is published and immutable');
    const r = await s.cli(['plan', '--changed-since', 'HEAD']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('PromptVersion/support-triage@2.0.0 is published and immutable');
  });

  it('an apply in Actions records the commit it read (HEAD, not a GITHUB_SHA the checkout is not at) and the run', async () => {
    const older = git('rev-parse', 'HEAD').trim();
    await s.edit('prompts/safety-filters.yaml', 'priority: 20', 'priority: 25');
    git('commit', '-q', '-am', 'priority 25');
    const head = git('rev-parse', 'HEAD').trim();
    const ci = { GITHUB_ACTIONS: 'true', GITHUB_SHA: older, GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '4242', GITHUB_REPOSITORY: 'acme/prompts' };
    const r = await s.cli(['apply', '--auto-approve'], ci);
    expect(r.code, r.stderr).toBe(0);
    const records = (await readFile(join(s.dir.path, '.promptctl/audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const last = records.at(-1);
    expect(last).toMatchObject({ commit: head, actor: 'octocat', ci: { runId: '4242', repository: 'acme/prompts' } });
    expect(records[0].ci).toBeUndefined(); // the first apply ran outside Actions
  });

  it('plans a removed document also through a linked prompts directory (prompts → src/prompts), and one saved with lone CRs', async () => {
    await mkdir(join(s.dir.path, 'src'));
    git('mv', 'prompts', 'src/prompts');
    await symlink('src/prompts', join(s.dir.path, 'prompts'));
    const cr = 'apiVersion: promptctl/v1\rkind: SafetyFilter\rmetadata:\r  name: cr-filter\rspec:\r  priority: 40\r  categories: [pii]\r  action: flag_and_pass\r  thresholds: {pii: 0.5}\r  falsePositiveTolerance: 0.1\r';
    await writeFile(join(s.dir.path, 'src/prompts/cr.yaml'), cr);
    git('add', '-A');
    git('commit', '-q', '-m', 'linked, and a CR file');
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    git('rm', '-q', 'src/prompts/support/support-triage.yaml', 'src/prompts/cr.yaml');
    const r = await s.cli(['plan', '--changed-since', 'HEAD', '--detailed-exitcode']);
    expect(r.code, r.stderr).toBe(2);
    expect(plannedChanges(r.stdout)).toEqual(['delete PromptTemplate/support-triage', 'delete SafetyFilter/cr-filter']);
    // An edit through the link is planned too.
    git('checkout', '-q', 'HEAD', '--', 'src/prompts');
    await s.edit('src/prompts/billing/billing-assistant.yaml', 'Answers billing questions', 'Answers all billing questions');
    const edited = await s.cli(['plan', '--changed-since', 'HEAD', '--detailed-exitcode']);
    expect(plannedChanges(edited.stdout)).toContain('update PromptTemplate/billing-assistant');
  });

  it('plans everything when the prompts directory is a link retargeted since REF (prompts → src/v1, now src/v2), and says so', async () => {
    await mkdir(join(s.dir.path, 'src'));
    git('mv', 'prompts', 'src/v1');
    execFileSync('cp', ['-R', join(s.dir.path, 'src/v1'), join(s.dir.path, 'src/v2')]);
    await writeFile(join(s.dir.path, 'src/v2/safety-filters.yaml'), (await readFile(join(s.dir.path, 'src/v2/safety-filters.yaml'), 'utf8')).replace('priority: 20', 'priority: 25'));
    await symlink('src/v1', join(s.dir.path, 'prompts'));
    git('add', '-A');
    git('commit', '-q', '-m', 'two prompt sets, v1 linked');
    await unlink(join(s.dir.path, 'prompts'));
    await symlink('src/v2', join(s.dir.path, 'prompts'));
    expect(plannedChanges((await s.cli(['plan'])).stdout)).toEqual(['update SafetyFilter/org-hate-speech']);
    const r = await s.cli(['plan', '--changed-since', 'HEAD', '--detailed-exitcode']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('prompts changed since HEAD as a whole (a link, a submodule or a repository inside the prompts directory): planning everything');
    expect(plannedChanges(r.stdout)).toEqual(['update SafetyFilter/org-hate-speech']);
  });

  it('plans what a document removed since REF defined when the prompts directory itself moved (its old path is not under --dir)', async () => {
    git('mv', 'prompts', 'gitops');
    git('rm', '-q', '-f', 'gitops/support/support-triage.yaml');
    git('commit', '-q', '-m', 'prompts moved to gitops/, triage retired');
    const full = await s.cli(['plan', '--dir', 'gitops', '--detailed-exitcode']);
    expect(full.code, full.stderr).toBe(2);
    expect(plannedChanges(full.stdout)).toEqual(['delete PromptTemplate/support-triage']);
    const r = await s.cli(['plan', '--dir', 'gitops', '--changed-since', 'HEAD~1', '--detailed-exitcode']);
    expect(r.code, r.stderr).toBe(2);
    expect(plannedChanges(r.stdout)).toEqual(['delete PromptTemplate/support-triage']);
  });

  it('plans everything when promptctl.yaml changed since REF, or was deleted, or holds no Config any more, and says so', async () => {
    const config = join(s.dir.path, 'prompts/promptctl.yaml');
    await writeFile(config, 'apiVersion: promptctl/v1\nkind: Config\nspec:\n  defaultVariableTokens: 50\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'config');
    // A change the scope leaves out (committed before REF), for a plan of everything to show.
    await s.edit('prompts/support/support-triage.yaml', 'model: gpt-4o-mini', 'model: gpt-4o');
    git('commit', '-q', '-am', 'triage model');
    const everything = ['update PromptTemplate/support-triage'];
    expect(plannedChanges((await s.cli(['plan'])).stdout)).toEqual(everything);
    expect(plannedChanges((await s.cli(['plan', '--changed-since', 'HEAD'])).stdout)).toEqual([]);

    await s.edit('prompts/promptctl.yaml', 'defaultVariableTokens: 50', 'defaultVariableTokens: 60');
    const changed = await s.cli(['plan', '--changed-since', 'HEAD']);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr).toContain('the config prompts/promptctl.yaml changed since HEAD: planning everything');
    expect(plannedChanges(changed.stdout)).toEqual(everything);

    await writeFile(config, '# settings to come\n');
    const emptied = await s.cli(['plan', '--changed-since', 'HEAD']);
    expect(emptied.code, emptied.stderr).toBe(0);
    expect(emptied.stderr).toContain('the config prompts/promptctl.yaml changed since HEAD: planning everything');
    expect(plannedChanges(emptied.stdout)).toEqual(everything);

    git('rm', '-q', '-f', 'prompts/promptctl.yaml');
    const deleted = await s.cli(['plan', '--changed-since', 'HEAD']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toContain('the config prompts/promptctl.yaml was deleted since HEAD: planning everything');
    expect(plannedChanges(deleted.stdout)).toEqual(everything);
  });

  it('fails clearly on an unknown ref', async () => {
    const r = await s.cli(['plan', '--changed-since', 'no-such-branch']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown git ref "no-such-branch"/);
  });

  it("fails in git's words, not as promptctl's own error, when git cannot list the changes (a damaged .git/index)", async () => {
    await writeFile(join(s.dir.path, '.git', 'index'), 'not an index\n');
    const r = await s.cli(['plan', '--changed-since', 'HEAD']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --changed-since: git could not tell what changed since HEAD: fatal: .*index/m);
    expect(r.stderr).not.toMatch(/internal|PROMPTCTL_DEBUG/);
  });
});
