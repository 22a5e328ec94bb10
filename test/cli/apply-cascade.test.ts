// A template's delete takes its versions and split with it (the server cascades, DESIGN §3): the
// plan carries them, the delete's audit records hold each as it was (so the trail shows them gone,
// DESIGN §5), and a saved plan is refused when the template would now take other objects with it.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { auditRecords } from '../helpers/audit-trail.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** A version of support-triage made by hand on the target (a Draft), as someone might after a review. */
async function addVersionByHand(label: string, systemInstruction: string): Promise<void> {
  const triage = (await s!.emu.api.listTemplates()).find((t) => t.name === 'support-triage')!;
  await s!.emu.api.createVersion(triage.id, { version: label, systemInstruction, userTemplate: 'Ticket: {{ticket}}', variables: [{ name: 'ticket', type: 'string' }] });
}

describe('deleting a template with its versions and split', () => {
  it('writes what the delete takes with it into its audit records, each as it was', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await rm(join(s.dir.path, 'prompts/support/support-triage.yaml'));

    const planned = await s.cli(['plan', '--prune', '--format', 'json']);
    expect(planned.code, planned.stderr).toBe(0);
    const del = JSON.parse(planned.stdout).actions.find((a: any) => a.address === 'PromptTemplate/support-triage');
    expect(del.action).toBe('delete');
    expect(del.cascade.map((c: any) => c.address)).toEqual(['PromptVersion/support-triage@2.0.0', 'TrafficSplit/support-triage']);

    const r = await s.cli(['apply', '--auto-approve', '--prune']);
    expect(r.code, r.stderr).toBe(0);
    const records = (await auditRecords(s.dir.path)).filter((x) => x.address === 'PromptTemplate/support-triage' && x.action === 'delete');
    expect(records.map((x) => x.type)).toEqual(['intent', 'outcome']);
    const text = await readFile(join(s.dir.path, 'prompts/texts/triage-system.md'), 'utf8');
    for (const rec of records) {
      const [version, split] = rec.cascade;
      expect(version).toMatchObject({ address: 'PromptVersion/support-triage@2.0.0', version: '2.0.0', content: { systemInstruction: text, state: 'Published' } });
      expect(version.hash).toMatch(/^[0-9a-f]{64}$/);
      // The split's weights, as DESIGN §5 asks of every change.
      expect(split).toMatchObject({ address: 'TrafficSplit/support-triage', content: { routes: { '2.0.0': 100 }, strategy: 'sticky', stickyKey: 'conversationId' } });
    }
    expect(records[1]).toMatchObject({ outcome: 'success', after: null });
    expect(await verifyAuditFile(join(s.dir.path, '.promptctl/audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
  });

  it('refuses a saved plan whose template delete would now take a version the plan did not show', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await rm(join(s.dir.path, 'prompts/support/support-triage.yaml'));
    expect((await s.cli(['plan', '--prune', '--out', 'plan.json'])).code).toBe(0);

    // Someone adds a version by hand after the review.
    await addVersionByHand('2.1.0', 'Made by hand.\n');

    const r = await s.cli(['apply', '--prune', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PromptTemplate/support-triage: deleting it takes other objects with it than the plan showed: now also PromptVersion/support-triage@2.1.0');
    expect((await s.emu.api.listTemplates()).map((t) => t.name)).toContain('support-triage');
  });

  it('applies a saved plan whose template delete takes a version holding one of the run\'s secrets (masked in the file)', async () => {
    s = await scenario();
    const secret = 'tok-4f1c9a-q7Zx-cascade';
    const env = { MY_API_TOKEN: secret };
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await addVersionByHand('2.1.0', `Draft by hand, key ${secret}\n`);
    await rm(join(s.dir.path, 'prompts/support/support-triage.yaml'));
    expect((await s.cli(['plan', '--prune', '--out', 'plan.json'], env)).code).toBe(0);
    const file = await readFile(join(s.dir.path, 'plan.json'), 'utf8');
    expect(file).toContain('[redacted: MY_API_TOKEN]');
    expect(file).not.toContain(secret);
    // A delete sends its id and guard only: what it takes along is not what it sends.
    const r = await s.cli(['apply', '--prune', 'plan.json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect((await s.emu.api.listTemplates()).map((t) => t.name)).not.toContain('support-triage');
    const [intent] = (await auditRecords(s.dir.path)).filter((x) => x.address === 'PromptTemplate/support-triage' && x.action === 'delete');
    expect(intent!.cascade.map((c: any) => c.address)).toContain('PromptVersion/support-triage@2.1.0');
    expect(JSON.stringify(intent!.cascade)).not.toContain(secret);
  });

  it('leaves a pending delete (prune off) out of it: a version added by hand to that template does not make a saved plan stale', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await rm(join(s.dir.path, 'prompts/support/support-triage.yaml'));
    await s.edit('prompts/billing/billing-assistant.yaml', 'description: Answers billing questions for signed-in customers.', 'description: Answers billing questions.');
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const saved = JSON.parse(await readFile(join(s.dir.path, 'plan.json'), 'utf8'));
    expect(saved.actions.find((a: any) => a.address === 'PromptTemplate/support-triage')).toMatchObject({ pending: true });
    expect(saved.actions.find((a: any) => a.address === 'PromptTemplate/support-triage').cascade).toBeUndefined();
    await addVersionByHand('2.1.0', 'by hand\n');
    const r = await s.cli(['apply', 'plan.json']);
    expect(r.code, r.stderr).toBe(0);
    expect((await s.emu.api.listTemplates()).map((t) => t.name)).toContain('support-triage');
  });
});
