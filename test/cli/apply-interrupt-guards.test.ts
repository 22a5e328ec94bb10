// Ctrl-C (DESIGN §5) while the first call of a multi-call update is in flight: a Draft PromptVersion
// that is PATCHed (or, holding git's content already, only read) then published, and a Guide whose
// new content is written (a new version, or its Draft edited in place) then published. Whether the
// interrupt arrives during the guard read (nothing written: not started) or during the write itself
// (partly done: written, not published), no later write starts, the audit outcome says what landed,
// apply exits 130, and the next plan still has the rest to do. Also: a TrafficSplit whose action
// had not started, and a template delete whose guard read was in flight. The interrupt comes from
// the proxy in test/helpers/interrupt.ts.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { closeAfterEach, expectConverges, GUIDE, interruptedApply, interruptingProxy, NEW_VERSION, outcomeOf } from '../helpers/interrupt.js';
import { plannedChanges, scenario, type Scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

const TRIAGE = 'prompts/support/support-triage.yaml';
const V210 = '/prompttemplates/[^/]+/versions/2\\.1\\.0$';

/**
 * After a first apply: a hand-made Draft 2.1.0 of support-triage holding `instruction`, which git
 * then holds as "Triage the ticket, briefly." (other content: PATCH, then publish; the same: publish).
 */
async function draftThatGitEdits(sc: Scenario, instruction = 'Triage the ticket, at length.'): Promise<void> {
  const first = await sc.cli(['apply', '--auto-approve']);
  expect(first.code, first.stderr).toBe(0);
  const t = (await sc.emu.api.listTemplates({ name: 'support-triage' }))[0]!;
  await sc.emu.api.createVersion(t.id, {
    version: '2.1.0',
    systemInstruction: instruction,
    userTemplate: 'Ticket: {{ticket}}',
    variables: [{ name: 'ticket', type: 'string', maxTokens: 1500 }],
  });
  await writeFile(join(sc.dir.path, TRIAGE), (await readFile(join(sc.dir.path, TRIAGE), 'utf8')) + NEW_VERSION);
  const plan = await sc.cli(['plan']);
  expect(plannedChanges(plan.stdout)).toEqual(['update PromptVersion/support-triage@2.1.0']);
}

async function liveV210(sc: Scenario): Promise<{ state: string; systemInstruction: string }> {
  const t = (await sc.emu.api.listTemplates({ name: 'support-triage' }))[0]!;
  return sc.emu.api.getVersion(t.id, '2.1.0');
}

/**
 * After a first apply that left the guide in `firstState`: git changes its instruction, to be
 * ProductionReady. From ProductionReady that is a new version, then a publish; from Draft, a PATCH
 * of the Draft, then a publish.
 */
async function guideThatGitEdits(sc: Scenario, firstState: 'ProductionReady' | 'Draft' = 'ProductionReady'): Promise<void> {
  await writeFile(join(sc.dir.path, 'prompts/guide.yaml'), GUIDE.replace('publish: ProductionReady', `publish: ${firstState}`));
  const first = await sc.cli(['apply', '--auto-approve']);
  expect(first.code, first.stderr).toBe(0);
  await writeFile(join(sc.dir.path, 'prompts/guide.yaml'), GUIDE.replace('with their question', 'with their order'));
}

describe('a PromptVersion Draft that git edits (PATCH, then publish), interrupted', () => {
  it('during the PATCH: the Draft is updated, not published; the record says so; the next plan publishes it', async () => {
    const s = closing(await scenario());
    await draftThatGitEdits(s);
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'PATCH' && new RegExp(V210).test(p)));

    const r = await interruptedApply(s, proxy);
    expect(proxy.seen.filter((x) => x.path.endsWith('/jobs'))).toEqual([]);
    const note = 'interrupted before publishing it: updated version 2.1.0 as a Draft, not published; the next apply finishes it';
    // The report says what landed; its record keeps the whole note.
    expect(r.stderr).toContain('Partly done:\n  ~ PromptVersion/support-triage@2.1.0: updated version 2.1.0 as a Draft, not published\n');
    const o = await outcomeOf(s, 'PromptVersion/support-triage@2.1.0');
    expect(o).toMatchObject({ outcome: 'failure', error: note });
    expect(o.after.content).toMatchObject({ state: 'Draft', systemInstruction: 'Triage the ticket, briefly.' });
    expect(await liveV210(s)).toMatchObject({ state: 'Draft', systemInstruction: 'Triage the ticket, briefly.' });
    await expectConverges(s, 'update PromptVersion/support-triage@2.1.0');
  });

  it.each([
    ['a Draft git edits', 'Triage the ticket, at length.', 'updating the Draft'],
    ['a Draft git holds as it is', 'Triage the ticket, briefly.', 'publishing it'],
  ])("during the Draft's guard read (%s): no PATCH and no publish; not started, on record; the next plan still has it", async (_what, instruction, next) => {
    const s = closing(await scenario());
    await draftThatGitEdits(s, instruction);
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'GET' && new RegExp(V210).test(p)));

    const r = await interruptedApply(s, proxy);
    expect(r.stderr).toContain('Not started:\n  ~ PromptVersion/support-triage@2.1.0');
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'skipped', error: `interrupted before ${next}: nothing was changed`, after: null });
    expect(await liveV210(s)).toMatchObject({ state: 'Draft', systemInstruction: instruction });
    await expectConverges(s, 'update PromptVersion/support-triage@2.1.0');
  });
});

describe('a Guide update (its content written, then published), interrupted', () => {
  it.each([
    ['ProductionReady', 'a new version', 'created version (\\S+)'],
    ['Draft', 'the Draft, edited in place,', 'edited Draft (\\S+) in place'],
  ] as const)('during the content write (from %s): %s stays a Draft, not published; the next plan publishes it', async (firstState, _what, written) => {
    const s = closing(await scenario());
    await guideThatGitEdits(s, firstState);
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => (m === 'POST' || m === 'PATCH') && /^\/api\/v2\/guides\/[^/]+\/versions/.test(p) && !p.endsWith('/jobs')));

    const r = await interruptedApply(s, proxy);
    expect(proxy.seen.filter((x) => x.path.endsWith('/jobs'))).toEqual([]);
    const landed = `${written}, version \\1 holds the content in Draft, not yet ProductionReady`;
    expect(r.stderr).toMatch(new RegExp(`^Partly done:\\n {2}~ Guide/Interrupted-guide: ${landed}$`, 'm'));
    const o = await outcomeOf(s, 'Guide/Interrupted-guide');
    expect(o.outcome).toBe('failure');
    expect(o.after.content).toMatchObject({ instruction: 'Help the customer with their order.', state: 'Draft' });
    await expectConverges(s, 'update Guide/Interrupted-guide');
  });

  it("during the guide's guard read: nothing is written; not started, on record; the next plan still has it", async () => {
    const s = closing(await scenario());
    await guideThatGitEdits(s);
    // Planning lists the guides; the action then reads its guide by id (its guard).
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'GET' && /^\/api\/v2\/guides\/[^/]+$/.test(p)));

    const r = await interruptedApply(s, proxy);
    expect(r.stderr).toContain('Not started:\n  ~ Guide/Interrupted-guide');
    expect(await outcomeOf(s, 'Guide/Interrupted-guide')).toMatchObject({ outcome: 'skipped', error: 'interrupted before writing its content: nothing was changed', after: null });
    await expectConverges(s, 'update Guide/Interrupted-guide');
  });
});

describe('other actions whose first call has not started', () => {
  it('TrafficSplit: interrupted during an earlier action (its template update), its PUT never starts', async () => {
    const s = closing(await scenario());
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    await s.edit('prompts/billing/billing-assistant.yaml', 'signed-in customers.', 'signed-in customers only.');
    await s.edit('prompts/billing/billing-assistant.yaml', /weight: 80(\n[^]*?)weight: 20/, 'weight: 50$1weight: 50');
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'PUT' && /\/prompttemplates\/[^/]+$/.test(p)));

    const r = await interruptedApply(s, proxy);
    expect(proxy.seen.filter((x) => x.path.endsWith('/traffic'))).toEqual([]);
    expect(r.stderr).toContain('Not started:\n  ~ TrafficSplit/billing-assistant');
    await expectConverges(s, 'update TrafficSplit/billing-assistant');
  });

  it('PromptTemplate delete: interrupted during its guard read, the DELETE is not sent; skipped on record, still planned', async () => {
    const s = closing(await scenario());
    const scratch = join(s.dir.path, 'prompts/scratch.yaml');
    await writeFile(scratch, 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: scratch\nspec:\n  model: gpt-4o-mini\n');
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    await writeFile(scratch, '');
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'GET' && /\/prompttemplates\/[^/]+$/.test(p)));

    const r = await interruptedApply(s, proxy, ['--prune']);
    expect(r.stderr).toContain('Not started:\n  - PromptTemplate/scratch');
    expect(await outcomeOf(s, 'PromptTemplate/scratch')).toMatchObject({ outcome: 'skipped', error: 'interrupted before the delete: nothing was changed', after: null });
    expect(await verifyAuditFile(join(s.dir.path, '.promptctl', 'audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
    await expectConverges(s, 'delete PromptTemplate/scratch', ['--prune']);
  });
});
