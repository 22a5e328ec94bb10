// An operator removes `managed-by: promptctl` from a template or filter promptctl made (its
// `promptctl.dev/commit` label, which only promptctl writes, still says so): drift names it, the
// plan puts the label back, and after apply a plan is empty again. Without this the object dropped
// silently out of prune's reach (DESIGN §5), and drift kept saying the target matched git.
// In-process CLI (test/helpers/cli.ts) against a real emulator on port 0, changed by raw HTTP.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committed, liveIdOf, operatorCalls, putByHand, scenario, type OperatorCall, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
/** Gateway calls as an operator's script makes them (test/helpers/scenario.ts). */
let http: OperatorCall;
/** The labels changed as the Genesys UI saves them. */
const relabel = (path: string, change: (labels: Record<string, string>) => Record<string, string>) =>
  putByHand(http, path, (body) => ({ ...body, labels: change(body.labels as Record<string, string>) }));

const liveId = (collection: 'prompttemplates' | 'safetyfilters', name: string) => liveIdOf(http, collection, name);

const withoutManagedBy = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).filter(([k]) => k !== 'managed-by'));

beforeEach(async () => {
  s = await scenario();
  committed(s.dir.path);
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
  http = await operatorCalls(s.emu.url);
});
afterEach(async () => {
  await s.close();
});

describe('the managed-by label removed by hand from what promptctl made', () => {
  it('is drift that names it, and apply puts the label back', { timeout: 60_000 }, async () => {
    const template = await liveId('prompttemplates', 'billing-assistant');
    const filter = await liveId('safetyfilters', 'org-hate-speech');
    const t = await relabel(`/prompttemplates/${template}`, withoutManagedBy);
    const f = await relabel(`/safetyfilters/${filter}`, withoutManagedBy);
    expect(t.labels).toHaveProperty(['promptctl.dev/commit']);

    const drift = await s.cli(['drift']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    const line = (address: string) => drift.stdout.split('\n').find((l) => l.startsWith(`  ${address}:`)) ?? '';
    expect(line('PromptTemplate/billing-assistant')).toContain('labels.managed-by');
    expect(line('PromptTemplate/billing-assistant')).toContain(`last changed by ${(t.modifiedBy as { id: string }).id} at ${t.dateModified as string}`);
    expect(line('SafetyFilter/org-hate-speech')).toContain('labels.managed-by');
    expect(drift.stderr).toContain('Drift: 2 differences');

    const json = JSON.parse((await s.cli(['drift', '--format', 'json'])).stdout) as { drift: { address: string; action: string }[] };
    expect(json.drift.map((d) => `${d.action} ${d.address}`).sort()).toEqual(['update PromptTemplate/billing-assistant', 'update SafetyFilter/org-hate-speech']);

    // Export leaves promptctl's own labels out of git, and its plan puts the label back too.
    expect((await s.cli(['export', '--out', 'exported'])).code).toBe(0);
    const exported = await readFile(join(s.dir.path, 'exported/billing-assistant.yaml'), 'utf8');
    expect(exported).not.toContain('promptctl.dev/');
    expect(exported).not.toContain('managed-by');
    await rm(join(s.dir.path, 'exported'), { recursive: true });

    const plan = await s.cli(['plan']);
    expect(plan.stdout).toMatch(/~ update PromptTemplate\/billing-assistant\n\s+\+ labels\.managed-by: "promptctl"/);
    expect(plan.stdout).toContain('Plan: 0 to create, 2 to update, 0 to delete.');

    const apply = await s.cli(['apply', '--auto-approve']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect((await http('GET', `/prompttemplates/${template}`)).labels).toMatchObject({ 'managed-by': 'promptctl', team: 'billing' });
    expect((await http('GET', `/safetyfilters/${filter}`)).labels).toMatchObject({ 'managed-by': 'promptctl' });
    expect(f.labels).not.toHaveProperty(['managed-by']);

    expect((await s.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
    const clean = await s.cli(['drift']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
  });

  it('leaves an object promptctl never stamped as it is: an exported hand-made one is adopted only by a change', { timeout: 60_000 }, async () => {
    // Made by hand with git's content: no promptctl.dev/ label, so nothing says promptctl ever owned it.
    const filter = await liveId('safetyfilters', 'org-hate-speech');
    await relabel(`/safetyfilters/${filter}`, () => ({}));
    const drift = await s.cli(['drift']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
  });
});
