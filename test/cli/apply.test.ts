// `promptctl apply` in-process (test/helpers/cli.ts), against a real emulator.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { readLiveState } from '../../src/targets/live.js';
import { auditRecords } from '../helpers/audit-trail.js';
import { runCliInProcess } from '../helpers/cli.js';
import { editFilterByHand, scenario, type Scenario } from '../helpers/scenario.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

let s: Scenario | undefined;
let extra: TempDir | undefined;
afterEach(async () => {
  await s?.close();
  await extra?.remove();
  s = undefined;
  extra = undefined;
});

/** The outcome records of the trail (each follows the intent written before its call). */
async function auditLines(dir: string, file = '.promptctl/audit.jsonl'): Promise<Record<string, any>[]> {
  return (await auditRecords(dir, file)).filter((r) => r.type === 'outcome');
}

describe('promptctl apply', () => {
  it('applies with --auto-approve, and the live org matches git', async () => {
    s = await scenario();
    const r = await s.cli(['apply', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^target: /);
    expect(r.stdout).toContain('Apply complete: 10 created, 0 updated, 0 deleted.');
    expect(r.stderr).toMatch(/^\+ PromptTemplate\/billing-assistant created \(id [0-9a-f-]{36}\)$/m);
    expect(r.stderr).toMatch(/^\+ PromptVersion\/billing-assistant@1\.1\.0 created and published/m);

    const live = await readLiveState({ gateway: s.emu.api });
    const billing = live.templates.find((t) => t.name === 'billing-assistant')!;
    expect(billing.labels).toMatchObject({ team: 'billing', 'managed-by': 'promptctl' });
    expect(billing.versions!.map((v) => `${v.version}:${v.state}`).sort()).toEqual(['1.0.0:Published', '1.1.0:Published']);
    expect(billing.traffic!.routes).toEqual([
      { version: '1.0.0', weight: 80 },
      { version: '1.1.0', weight: 20 },
    ]);
    const triage = live.templates.find((t) => t.name === 'support-triage')!;
    expect(triage.traffic).toMatchObject({ strategy: 'sticky', stickyKey: 'conversationId' });
    const sys = triage.versions![0]!.systemInstruction;
    expect(sys).toBe(await readFile(join(s.dir.path, 'prompts/texts/triage-system.md'), 'utf8'));
    const flagger = live.filters.find((f) => f.name === 'political-flagger')!;
    expect(flagger.enabled).toBe(false);

    const records = await auditLines(s.dir.path);
    expect(records).toHaveLength(10);
    expect(new Set(records.map((x) => x.address)).size).toBe(10);
    expect(records.every((x) => x.outcome === 'success')).toBe(true);
    expect(await verifyAuditFile(join(s.dir.path, '.promptctl/audit.jsonl'))).toMatchObject({ ok: true, records: 20, pending: [] });
    // The head anchor is printed, for `audit verify --head`.
    expect(r.stderr).toMatch(/^audit head: 20:[0-9a-f]{64}$/m);
    const verified = await s.cli(['audit', 'verify']);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);

    const again = await s.cli(['apply', '--auto-approve']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');
    expect(await auditLines(s.dir.path)).toHaveLength(10);

    // Tampering with a record breaks the chain at that line.
    const file = join(s.dir.path, '.promptctl/audit.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    const at = lines.findIndex((l) => l.includes('"outcome":"success"'));
    lines[at] = lines[at]!.replace('"outcome":"success"', '"outcome":"failure"');
    await writeFile(file, lines.join('\n'));
    const tampered = await s.cli(['audit', 'verify']);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout + tampered.stderr).toMatch(new RegExp(`audit\\.jsonl:${at + 1}\\b`));
  });

  it('refuses without a terminal or --auto-approve, and changes nothing', async () => {
    s = await scenario();
    const r = await s.cli(['apply']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stdin is not a terminal.*--auto-approve/);
    expect((await readLiveState({ gateway: s.emu.api })).templates).toEqual([]);
  });

  it('applies a saved plan that is still current', async () => {
    s = await scenario();
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const r = await s.cli(['apply', 'plan.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('plan.json: still current');
    expect(r.stdout).toContain('Apply complete: 10 created');
    const planId = JSON.parse(await readFile(join(s.dir.path, 'plan.json'), 'utf8')).id;
    expect((await auditLines(s.dir.path)).every((x) => x.planId === planId)).toBe(true);
  });

  it('refuses a saved plan made stale by a hand edit, before any change', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/safety-filters.yaml', 'priority: 20', 'priority: 25');
    await s.edit('prompts/billing/billing-assistant.yaml', 'description: Answers billing questions', 'description: Answers all billing questions');
    expect((await s.cli(['plan', '--out', 'plan.json', '--detailed-exitcode'])).code).toBe(2);

    const hand = await editFilterByHand(s.emu.api, 'org-hate-speech', { description: 'tightened by the safety team' });
    const before = await readLiveState({ gateway: s.emu.api });
    const r = await s.cli(['apply', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SafetyFilter\/org-hate-speech: live version moved 1 → 2, live content hash moved [0-9a-f]{12} → [0-9a-f]{12} since the plan/);
    expect(r.stderr).toMatch(/plan\.json is stale.*nothing was applied.*promptctl plan/s);
    // Nothing changed: not the filter, not the unrelated template update.
    const after = await readLiveState({ gateway: s.emu.api });
    expect(after).toEqual(before);
    expect((await s.emu.api.getFilter(hand.id)).priority).toBe(20);
    expect(await auditLines(s.dir.path)).toHaveLength(10);
  });

  it('quotes what the saved plan\'s apply command names when the shell would split it (a directory or file with a space)', async () => {
    s = await scenario();
    await rename(join(s.dir.path, 'prompts'), join(s.dir.path, 'my prompts'));
    const planned = await s.cli(['plan', '--dir', 'my prompts', '--out', 'my plan.json']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toContain("apply it with `promptctl apply --dir 'my prompts' 'my plan.json'`");
  });

  it('says how to make the same plan again when a saved one is stale: its --dir and --prune too', async () => {
    s = await scenario();
    await rename(join(s.dir.path, 'prompts'), join(s.dir.path, 'config'));
    expect((await s.cli(['apply', '--dir', 'config', '--auto-approve'])).code).toBe(0);
    const planned = await s.cli(['plan', '--dir', 'config', '--prune', '--out', 'plan.json']);
    expect(planned.code).toBe(0);
    // apply reads the files again: without --dir it would read prompts/, and without --prune it deletes nothing.
    expect(planned.stderr).toContain('plan saved to plan.json: apply it with `promptctl apply --dir config --prune plan.json`');
    await editFilterByHand(s.emu.api, 'org-hate-speech', { description: 'tightened by the safety team' });
    const r = await s.cli(['apply', '--dir', 'config', '--prune', 'plan.json']);
    expect(r.code).toBe(1);
    // Run as written, a plan without them reads prompts/ (not there) and leaves prune off.
    expect(r.stderr).toContain('Run `promptctl plan --dir config --prune --out plan.json` again and review the new plan.');
  });

  it('refuses a saved plan that was tampered with', async () => {
    s = await scenario();
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const path = join(s.dir.path, 'plan.json');
    const doc = JSON.parse(await readFile(path, 'utf8'));
    doc.actions[0].desired.body.priority = 99;
    await writeFile(path, JSON.stringify(doc));
    const r = await s.cli(['apply', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fingerprint/);
    expect((await readLiveState({ gateway: s.emu.api })).filters).toEqual([]);
  });

  it('refuses invalid input with exit 1 and changes nothing', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const before = await readLiveState({ gateway: s.emu.api });
    await s.edit('prompts/billing/billing-assistant.yaml', '      weight: 20', '      weight: 25');
    await s.edit('prompts/safety-filters.yaml', 'priority: 20', 'priority: 25');
    const r = await s.cli(['apply', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^prompts\/billing\/billing-assistant\.yaml:\d+:\d+: error: /m);
    expect(r.stderr).toMatch(/nothing was applied/);
    expect(await readLiveState({ gateway: s.emu.api })).toEqual(before);
  });

  it('with --prune deletes only the managed filter removed from git', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.emu.api.createFilter({
      name: 'hand-made-filter',
      priority: 77,
      categories: ['self_harm'],
      action: 'block_and_log',
      thresholds: { self_harm: 0.3 },
      falsePositiveTolerance: 0.1,
    });
    const file = join(s.dir.path, 'prompts/safety-filters.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.split('\n---\n').filter((d) => !d.includes('name: org-hate-speech')).join('\n---\n'));

    // Without prune: nothing is deleted, but the removal shows as a pending delete (a change).
    const plain = await s.cli(['plan', '--detailed-exitcode']);
    expect(plain.code, plain.stdout).toBe(2);
    expect(plain.stdout).toMatch(/- delete \(pending: prune is off\) SafetyFilter\/org-hate-speech/);
    expect(plain.stdout).not.toMatch(/delete.*SafetyFilter\/hand-made-filter/);
    expect(plain.stdout).toMatch(/SafetyFilter\/hand-made-filter — not in git; not labelled managed-by: promptctl/);
    const noop = await s.cli(['apply', '--auto-approve']);
    expect(noop.code, noop.stderr).toBe(0);
    expect((await s.emu.api.listFilters()).map((f) => f.name)).toContain('org-hate-speech');

    const planned = await s.cli(['plan', '--prune', '--detailed-exitcode']);
    expect(planned.code).toBe(2);
    expect(planned.stdout).toMatch(/delete SafetyFilter\/org-hate-speech/);
    expect(planned.stdout).not.toMatch(/delete SafetyFilter\/hand-made-filter/);

    const r = await s.cli(['apply', '--auto-approve', '--prune']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete: 0 created, 0 updated, 1 deleted.');
    const names = (await s.emu.api.listFilters()).map((f) => f.name).sort();
    expect(names).toEqual(['billing-pii-guard', 'hand-made-filter', 'political-flagger']);
    const del = (await auditLines(s.dir.path)).at(-1)!;
    expect(del).toMatchObject({ address: 'SafetyFilter/org-hate-speech', action: 'delete', outcome: 'success', after: null });
  });

  it('uses the embedded emulator when no GENESYSCLOUD_* variable is set', async () => {
    extra = await fixtureCopy('basic');
    const run = (args: string[]) => runCliInProcess(args, { cwd: extra!.path });
    const first = await run(['plan', '--detailed-exitcode']);
    expect(first.stderr.split('\n')[0]).toBe('target: embedded emulator (state .promptctl/local-state.json)');
    expect(first.code, first.stderr).toBe(2);
    const applied = await run(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 10 created');
    const state = JSON.parse(await readFile(join(extra.path, '.promptctl/local-state.json'), 'utf8'));
    expect(state).toBeTypeOf('object');
    // The state survived the run (and its embedded emulator): a new one sees no changes.
    const second = await run(['plan', '--detailed-exitcode']);
    expect(second.code, second.stdout).toBe(0);
  });

  it('never prints or records the client secret or a token', async () => {
    const secret = `sekrit-${Math.random().toString(36).slice(2)}-value`;
    s = await scenario('basic', { clientSecret: secret });
    const outputs: string[] = [];
    const keep = (r: { stdout: string; stderr: string }) => outputs.push(r.stdout, r.stderr);
    keep(await s.cli(['plan', '--out', 'plan.json', '--format', 'json']));
    keep(await s.cli(['apply', 'plan.json']));
    await editFilterByHand(s.emu.api, 'org-hate-speech', { description: 'x' });
    keep(await s.cli(['drift', '--format', 'json']));
    keep(await s.cli(['plan', '--format', 'markdown']));
    keep(await s.cli(['export', '--out', 'exported']));
    // A wrong secret: the error must not echo it either.
    keep(await s.cli(['plan'], { GENESYSCLOUD_OAUTHCLIENT_SECRET: `${secret}-wrong` }));
    expect(outputs.at(-1)).toMatch(/\S/);

    const files = [
      await readFile(join(s.dir.path, 'plan.json'), 'utf8'),
      await readFile(join(s.dir.path, '.promptctl/audit.jsonl'), 'utf8'),
    ];
    const basic = Buffer.from(`local-client:${secret}`).toString('base64');
    for (const text of [...outputs, ...files]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(basic);
      expect(text).not.toMatch(/access_token|Bearer [A-Za-z0-9._~+/-]{8,}/);
    }
  });
});
