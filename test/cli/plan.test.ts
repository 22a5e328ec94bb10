// `promptctl plan` in-process (test/helpers/cli.ts), against a real emulator.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scenario, plannedChanges, type Scenario } from '../helpers/scenario.js';

const ALL_ADDRESSES = [
  'PromptTemplate/billing-assistant',
  'PromptTemplate/support-triage',
  'PromptVersion/billing-assistant@1.0.0',
  'PromptVersion/billing-assistant@1.1.0',
  'PromptVersion/support-triage@2.0.0',
  'SafetyFilter/billing-pii-guard',
  'SafetyFilter/org-hate-speech',
  'SafetyFilter/political-flagger',
  'TrafficSplit/billing-assistant',
  'TrafficSplit/support-triage',
];

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
});
afterEach(async () => {
  await s.close();
});

describe('promptctl plan', () => {
  it('plans every address of a fresh org and exits 2 with --detailed-exitcode', async () => {
    const r = await s.cli(['plan', '--detailed-exitcode']);
    expect(r.stderr.split('\n')[0]).toBe(`target: ${s.emu.url} (client loca…)`);
    expect(r.code, r.stderr).toBe(2);
    expect(plannedChanges(r.stdout)).toEqual(ALL_ADDRESSES.map((a) => `create ${a}`).sort());
    expect(r.stdout).toContain('Plan: 10 to create, 0 to update, 0 to delete.');

    // Without the flag, changes are not an error.
    expect((await s.cli(['plan'])).code).toBe(0);
  });

  it('prints the JSON plan alone on stdout and saves it with --out', async () => {
    const r = await s.cli(['plan', '--format', 'json', '--out', 'out/plan.json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.formatVersion).toBe(2);
    expect(doc.summary).toEqual({ create: 10, update: 0, delete: 0, noop: 0 });
    expect(doc.actions.map((a: { address: string }) => a.address).sort()).toEqual(ALL_ADDRESSES);
    expect(doc.target).toContain(s.emu.url);
    const saved = JSON.parse(await readFile(join(s.dir.path, 'out/plan.json'), 'utf8'));
    expect(saved.fingerprint).toBe(doc.fingerprint);
    expect(r.stderr).toContain('plan saved to out/plan.json');
  });

  it('renders markdown with details and diff blocks, and appends it to the step summary', async () => {
    const summary = join(s.dir.path, 'step-summary.md');
    await writeFile(summary, '# earlier step\n');
    const r = await s.cli(['plan', '--format', 'markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/10 to create, 0 to update, 0 to delete/);
    expect(r.stdout).toContain('<details>');
    expect(r.stdout).toContain('```diff');
    expect(r.stdout).not.toContain('target:');
    expect(await readFile(summary, 'utf8')).toBe(`# earlier step\n${r.stdout}`);
  });

  it('keeps its exit code when the step summary cannot be written, and says so as a warning', async () => {
    const missing = join(s.dir.path, 'no-such-dir', 'summary.md');
    const r = await s.cli(['plan', '--format', 'markdown', '--detailed-exitcode'], { GITHUB_STEP_SUMMARY: missing });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain('<details>');
    expect(r.stderr).toContain(`warning: cannot append to the job summary GITHUB_STEP_SUMMARY=${missing}: ENOENT`);
    expect(r.stderr).not.toMatch(/^error:/m);
  });

  it('has no changes after apply, refuses an edited published version, and plans a new version exactly', async () => {
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const clean = await s.cli(['plan', '--detailed-exitcode']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toContain('No changes.');

    // Editing the text of a published version is an immutability error, never an update.
    const file = 'prompts/billing/billing-assistant.yaml';
    await s.edit(file, 'Be brief: three sentences at most.', 'Be brief: two sentences at most.');
    const immutable = await s.cli(['plan', '--detailed-exitcode']);
    expect(immutable.code).toBe(1);
    expect(immutable.stdout + immutable.stderr).toMatch(/PromptVersion\/billing-assistant@1\.1\.0/);
    expect(immutable.stdout + immutable.stderr).toMatch(/immutable/i);
    expect(plannedChanges(immutable.stdout)).not.toContain('update PromptVersion/billing-assistant@1.1.0');
    await s.edit(file, 'Be brief: two sentences at most.', 'Be brief: three sentences at most.');

    // A new version and a traffic shift: exactly two changes.
    const text = await readFile(join(s.dir.path, file), 'utf8');
    const v12 = text
      .split('\n---\n')
      .find((d) => d.includes('version: 1.1.0') && d.includes('kind: PromptVersion'))!
      .replace('version: 1.1.0', 'version: 1.2.0')
      .replace('three sentences', 'four sentences');
    const shifted = text
      .replace(/- version: 1\.0\.0\n {6}weight: 80/, '- version: 1.0.0\n      weight: 50')
      .replace(/- version: 1\.1\.0\n {6}weight: 20/, '- version: 1.1.0\n      weight: 30\n    - version: 1.2.0\n      weight: 20');
    await writeFile(join(s.dir.path, file), `${shifted.trimEnd()}\n---\n${v12.trimEnd()}\n`);
    const next = await s.cli(['plan', '--detailed-exitcode']);
    expect(next.code, next.stdout + next.stderr).toBe(2);
    expect(plannedChanges(next.stdout)).toEqual(['create PromptVersion/billing-assistant@1.2.0', 'update TrafficSplit/billing-assistant']);
  });

  it('refuses invalid input with file:line:column diagnostics and exit 1', async () => {
    await s.edit('prompts/safety-filters.yaml', 'falsePositiveTolerance: 0.05', 'falsePositiveTolerance: 0.05\n  colour: red');
    const r = await s.cli(['plan']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^target: /);
    expect(r.stderr).toMatch(/^prompts\/safety-filters\.yaml:\d+:\d+: error: .+ \[[^\]]+\]$/m);
    expect(r.stdout).toBe('');
  });

  it('reads the target while the files load, yet invalid files are all it reports (the read is dropped)', async () => {
    await s.edit('prompts/safety-filters.yaml', 'falsePositiveTolerance: 0.05', 'falsePositiveTolerance: 0.05\n  colour: red');
    // Wrong credentials: the early read fails with 401, but the files' errors come first and alone.
    for (const command of [['plan'], ['apply', '--auto-approve'], ['drift']]) {
      const r = await s.cli(command, { GENESYSCLOUD_OAUTHCLIENT_SECRET: 'wrong-secret' });
      expect(r.code, command.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^prompts\/safety-filters\.yaml:\d+:\d+: error: /m);
      // (\b: the emulator's port may hold the digits 401, as 40117 did.)
      expect(r.stderr).not.toMatch(/\b401\b|authentication|invalid_client|credentials/i);
    }
    // With valid files the same wrong credentials are what the command says.
    await s.edit('prompts/safety-filters.yaml', '\n  colour: red', '');
    const r = await s.cli(['plan'], { GENESYSCLOUD_OAUTHCLIENT_SECRET: 'wrong-secret' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/401|authentication failed/i);
  });

  it('rejects an unknown --format', async () => {
    const r = await s.cli(['plan', '--format', 'yaml']);
    expect(r.code).toBe(1);
    // In commander's words, as every other command says it, with the hint to --help.
    expect(r.stderr).toContain("option '--format <format>' argument 'yaml' is invalid. Allowed choices are text, markdown, json.");
    expect(r.stderr).toContain('(run with --help for usage)');
  });
});
