// rollback reads git history: which earlier state of a split counts (what the branch held, not
// what a merged side branch tried on the way, nor one that did not apply to the environment),
// wherever in the prompts directory the split was; and what it writes keeps the file's ending.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const SPLIT = 'prompts/billing-assistant/traffic.yaml';

// Commits a minute apart, as a team makes them (git orders a log by commit date).
let clock = 0;
function git(cwd: string, ...args: string[]): string {
  clock += 60;
  const date = `${1_700_000_000 + clock} +0000`;
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'dev@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  }).trim();
}
function commit(cwd: string, message: string, files: Record<string, string> = {}): void {
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(cwd, rel), text);
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '-m', message);
}

/** A repository holding the example prompts (no promotion order: rollback only edits git). */
async function repo(): Promise<string> {
  dir = await tempDir('promptctl-rollback-');
  copyExamplePrompts(dir.path);
  git(dir.path, 'init', '-q', '-b', 'main');
  commit(dir.path, 'base');
  return dir.path;
}

const cli = (cwd: string, args: string[]) => runCliInProcess(args, { cwd, env: {} });

/** The document's routes of the billing split, as the file says now. */
async function routes(cwd: string): Promise<string> {
  const text = await readFile(join(cwd, SPLIT), 'utf8');
  return [...text.split('environments:')[0]!.matchAll(/version: "([^"]+)"\s+weight: (\d+)/g)].map((m) => `${m[1]}=${m[2]}`).join(' ');
}

// Block-style routes, as a team writes them (and as rollback can add an override to).
const block = (indent: string, weights: [string, number][]) => weights.map(([v, w]) => `${indent}- version: "${v}"\n${indent}  weight: ${w}\n`).join('');
const split = (opts: { only?: string; routes: [string, number][]; prod?: [string, number][] }): string =>
  [
    'apiVersion: promptctl/v1\nkind: TrafficSplit\n',
    opts.only ? `metadata:\n  environments: [${opts.only}]\n` : '',
    'spec:\n  template: billing-assistant\n  routes:\n',
    block('    ', opts.routes),
    opts.prod ? `  environments:\n    prod:\n      routes:\n${block('        ', opts.prod)}` : '',
  ].join('');
const all = (v: string): [string, number][] => [
  ['1.0.0', v === '1.0.0' ? 100 : 0],
  ['1.1.0', v === '1.1.0' ? 100 : 0],
];

describe('rollback', () => {
  it("goes back to what the branch held, not to a state a merged side branch only passed through", async () => {
    const cwd = await repo();
    expect((await cli(cwd, ['promote', 'billing-assistant', '1.0.0'])).code).toBe(0);
    commit(cwd, 'main: all on 1.0.0');
    git(cwd, 'checkout', '-q', '-b', 'feature');
    expect((await cli(cwd, ['promote', 'billing-assistant', '1.1.0'])).code).toBe(0);
    commit(cwd, 'feature: 1.1.0 at 100 (never merged as such)');
    expect((await cli(cwd, ['promote', 'billing-assistant', '1.1.0', '--weight', '50'])).code).toBe(0);
    commit(cwd, 'feature: 1.1.0 at 50');
    git(cwd, 'checkout', '-q', 'main');
    commit(cwd, 'main: unrelated', { 'README.md': 'r\n' });
    git(cwd, 'merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
    expect(await routes(cwd)).toBe('1.0.0=50 1.1.0=50');

    const r = await cli(cwd, ['rollback', 'billing-assistant']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(2023-11-\d{2}, "main: all on 1\.0\.0"\)/);
    expect(await routes(cwd)).toBe('1.0.0=100 1.1.0=0');
  });

  // A commit subject is anyone's text: its terminal escapes (clear the screen, colour a lie) are
  // shown as escapes, not obeyed, like every other quoted text on stderr.
  it("shows the commit's subject it goes back to as text, its escapes made visible", async () => {
    const cwd = await repo();
    expect((await cli(cwd, ['promote', 'billing-assistant', '1.0.0'])).code).toBe(0);
    commit(cwd, 'all on 1.0.0 \u001b[2J\u001b[31mreviewed\rby ops');
    expect((await cli(cwd, ['promote', 'billing-assistant', '1.1.0', '--weight', '30'])).code).toBe(0);
    commit(cwd, 'canary 1.1.0 at 30');

    const r = await cli(cwd, ['rollback', 'billing-assistant', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(2023-11-\d{2}, "all on 1\.0\.0 \\u001b\[2J\\u001b\[31mreviewed\\u000dby ops"\)/);
  });

  it('finds earlier states of the split in the file it came from, when it was moved out of a file that stays', async () => {
    const cwd = await repo();
    // The template and its split in one file, the split's comments left out (git sees no copy).
    const template = await readFile(join(cwd, 'prompts/billing-assistant/template.yaml'), 'utf8');
    const split = (await readFile(join(cwd, SPLIT), 'utf8')).replace(/^#.*\n/gm, '');
    await rm(join(cwd, 'prompts/billing-assistant/template.yaml'));
    await rm(join(cwd, SPLIT));
    commit(cwd, 'one file for billing', { 'prompts/billing-assistant/billing.yaml': `${template}---\n${split}` });
    expect((await cli(cwd, ['promote', 'billing-assistant', '1.0.0'])).code).toBe(0);
    commit(cwd, 'all on 1.0.0');
    expect((await cli(cwd, ['promote', 'billing-assistant', '1.1.0', '--weight', '20'])).code).toBe(0);
    commit(cwd, 'canary 1.1.0 at 20');
    // The split moves to a file of its own; the template stays where it was.
    const both = await readFile(join(cwd, 'prompts/billing-assistant/billing.yaml'), 'utf8');
    const [own, moved] = both.split('---\n');
    commit(cwd, 'split file in two', { 'prompts/billing-assistant/billing.yaml': own!, [SPLIT]: moved! });
    expect((await cli(cwd, ['promote', 'billing-assistant', '1.1.0', '--weight', '40'])).code).toBe(0);
    commit(cwd, 'canary 1.1.0 at 40');

    const r = await cli(cwd, ['rollback', 'billing-assistant']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(2023-11-\d{2}, "all on 1\.0\.0"\)/);
    expect(await routes(cwd)).toBe('1.0.0=100 1.1.0=0');
  });

  // A split document limited to some environments (metadata.environments) held nothing in the
  // others: rolling one of those back must not land on it, and each environment's own routes
  // (spec.environments.<name>.routes) are what it held.
  it('goes back, in an environment, only to states of the split that applied there, with its own routes', async () => {
    const cwd = await repo();
    commit(cwd, 'everywhere on 1.0.0', { [SPLIT]: split({ routes: all('1.0.0') }) });
    commit(cwd, 'prod pinned to 1.1.0 by its own routes', { [SPLIT]: split({ routes: all('1.0.0'), prod: all('1.1.0') }) });
    commit(cwd, 'trial of 1.0.0 in dev and staging only', { [SPLIT]: split({ only: 'dev, staging', routes: all('1.0.0') }) });
    commit(cwd, 'canary everywhere', { [SPLIT]: split({ routes: [['1.0.0', 50], ['1.1.0', 50]] }) });

    // prod: the trial never applied there, so prod had no split then and its newest version,
    // 1.1.0, answered every call (as before it, through prod's own routes).
    const prod = await cli(cwd, ['rollback', 'billing-assistant', '--env', 'prod', '--dry-run']);
    expect(prod.code, prod.stderr).toBe(0);
    expect(prod.stderr).toMatch(/rolling back to 1\.1\.0: it answered every call before [0-9a-f]{7} \(2023-11-\d{2}, "canary everywhere"\) added the split/);
    // dev: the trial applied there.
    const dev = await cli(cwd, ['rollback', 'billing-assistant', '--env', 'dev', '--dry-run']);
    expect(dev.code, dev.stderr).toBe(0);
    expect(dev.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(2023-11-\d{2}, "trial of 1\.0\.0 in dev and staging only"\)/);
  });

  // A file discovery passes over (a dot-directory, node_modules, Billing.YAML) never routed
  // anything: validate, plan and apply do not read it, so its split is no state to go back to.
  it('passes over splits in files the loader does not read', async () => {
    const cwd = await repo();
    commit(cwd, 'everywhere on 1.0.0', { [SPLIT]: split({ routes: all('1.0.0') }) });
    execFileSync('mkdir', ['-p', join(cwd, 'prompts/.archive'), join(cwd, 'prompts/node_modules/x')]);
    commit(cwd, 'ideas kept aside', {
      'prompts/.archive/old.yaml': split({ routes: all('1.1.0') }),
      'prompts/node_modules/x/split.yaml': split({ routes: all('1.1.0') }),
      'prompts/Billing.YAML': split({ routes: all('1.1.0') }),
    });
    commit(cwd, 'canary', { [SPLIT]: split({ routes: [['1.0.0', 60], ['1.1.0', 40]] }) });
    expect((await cli(cwd, ['validate'])).code).toBe(0);

    const r = await cli(cwd, ['rollback', 'billing-assistant', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(2023-11-\d{2}, "everywhere on 1\.0\.0"\)/);
  });

  it('leaves a file that ended without a newline ending without one', async () => {
    const cwd = await repo();
    commit(cwd, 'everywhere on 1.0.0', { [SPLIT]: split({ routes: all('1.0.0') }) });
    commit(cwd, 'canary everywhere', { [SPLIT]: split({ routes: [['1.0.0', 50], ['1.1.0', 50]] }).replace(/\n$/, '') });
    // prod shares the document's routes: rollback adds its own routes, at the end of the file.
    const r = await cli(cwd, ['rollback', 'billing-assistant', '--env', 'prod']);
    expect(r.code, r.stderr).toBe(0);
    const after = await readFile(join(cwd, SPLIT), 'utf8');
    expect(after).toBe(split({ routes: [['1.0.0', 50], ['1.1.0', 50]], prod: all('1.0.0') }).replace(/\n$/, ''));
    expect(r.stdout).toMatch(/\\ No newline at end of file\n?$/);
  });
});

// Before a template had a TrafficSplit, its newest version answered every call (DESIGN §3): that
// state held 100 % too, and rollback goes back to it when no later split did (a split made by
// `promote`, which starts from there, or written by hand).
describe('rollback to before the split existed', () => {
  it('goes back to the version that answered every call before the commit that added the split', async () => {
    const cwd = await repo();
    // The example with no split for billing-assistant: 1.1.0, its newest version, answers every call.
    await rm(join(cwd, SPLIT));
    commit(cwd, 'no split yet');
    expect((await cli(cwd, ['promote', 'billing-assistant', '1.0.0', '--weight', '30'])).code).toBe(0);
    commit(cwd, 'canary 1.0.0 at 30');

    const r = await cli(cwd, ['rollback', 'billing-assistant']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.1\.0: it answered every call before [0-9a-f]{7} \(2023-11-\d{2}, "canary 1\.0\.0 at 30"\) added the split/);
    const text = await readFile(join(cwd, 'prompts/billing-assistant/template.yaml'), 'utf8');
    expect([...text.matchAll(/version: "([^"]+)"\s+weight: (\d+)/g)].map((m) => `${m[1]}=${m[2]}`).join(' ')).toBe('1.1.0=100 1.0.0=0');
  });

  it('goes back to the version then newest when the commit that added the split added a version too', async () => {
    const cwd = await repo();
    await rm(join(cwd, SPLIT));
    await rm(join(cwd, 'prompts/billing-assistant/v1.1.0.yaml'));
    commit(cwd, 'only 1.0.0, no split');
    execFileSync('git', ['checkout', '-q', 'HEAD~1', '--', 'prompts/billing-assistant/v1.1.0.yaml'], { cwd });
    commit(cwd, '1.1.0 at 50, written by hand', { [SPLIT]: split({ routes: [['1.0.0', 50], ['1.1.0', 50]] }) });
    const r = await cli(cwd, ['rollback', 'billing-assistant']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('rolling back to 1.0.0: it answered every call before');
    expect(await routes(cwd)).toBe('1.0.0=100 1.1.0=0');
  });

  it('goes back to the state without a split when that is newer than a split that held 100 %', async () => {
    const cwd = await repo();
    commit(cwd, 'all on 1.0.0', { [SPLIT]: split({ routes: all('1.0.0') }) });
    await rm(join(cwd, SPLIT));
    commit(cwd, 'split removed: 1.1.0, the newest, answers');
    commit(cwd, '1.0.0 back at 50', { [SPLIT]: split({ routes: [['1.0.0', 50], ['1.1.0', 50]] }) });
    const r = await cli(cwd, ['rollback', 'billing-assistant']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.1\.0: it answered every call before [0-9a-f]{7} \(2023-11-\d{2}, "1\.0\.0 back at 50"\) added the split/);
    expect(await routes(cwd)).toBe('1.0.0=0 1.1.0=100');
  });

  it('passes over a state without a split that answered as now, to the 100 % before it', async () => {
    const cwd = await repo();
    commit(cwd, 'all on 1.0.0', { [SPLIT]: split({ routes: all('1.0.0') }) });
    await rm(join(cwd, SPLIT));
    commit(cwd, 'split removed: 1.1.0, the newest, answers');
    commit(cwd, 'all on 1.1.0, written', { [SPLIT]: split({ routes: all('1.1.0') }) });
    const r = await cli(cwd, ['rollback', 'billing-assistant']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rolling back to 1\.0\.0: it held 100% at [0-9a-f]{7} \(2023-11-\d{2}, "all on 1\.0\.0"\)/);
    expect(await routes(cwd)).toBe('1.0.0=100 1.1.0=0');
  });

  it('says nothing of that state when the version then newest is the one routed now', async () => {
    const cwd = await repo();
    await rm(join(cwd, SPLIT));
    commit(cwd, 'no split yet');
    commit(cwd, 'all on 1.1.0, written', { [SPLIT]: split({ routes: all('1.1.0') }) });
    const r = await cli(cwd, ['rollback', 'billing-assistant']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no earlier commit of .* routes 100% of template "billing-assistant"/);
  });
});
