// A saved plan edited by hand and resealed (its fingerprint recomputed, which anyone can do) is
// refused before any change, whatever field was edited: DESIGN §5, the plan file can never steer
// a write the fresh plan would not make. Each case here was applied before the fix.
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planFingerprint } from '../../src/plan/fingerprint.js';
import type { Plan, PlanAction } from '../../src/plan/types.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
let other: TestEmulator | undefined;
afterEach(async () => {
  await s?.close();
  await other?.close();
  s = undefined;
  other = undefined;
});

/** Edits the saved plan, reseals it, and applies it. */
async function applyEdited(edit: (plan: Plan) => void, env: Record<string, string> = {}) {
  const path = join(s!.dir.path, 'plan.json');
  const plan = JSON.parse(await readFile(path, 'utf8')) as Plan;
  edit(plan);
  plan.fingerprint = planFingerprint(plan);
  await writeFile(path, JSON.stringify(plan, null, 2));
  return s!.cli(['apply', 'plan.json'], env);
}

const action = (plan: Plan, address: string): PlanAction => {
  const a = plan.actions.find((x) => x.address === address);
  if (!a) throw new Error(`no action ${address}`);
  return a;
};

const VERSION = (template: string, label: string, text: string) => `
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: ${template}
  version: ${label}
  systemInstruction: |
    ${text}
  userTemplate: |
    Customer {{customer_name}} asks:
    {{question}}
  variables:
    - name: customer_name
      type: string
      maxLength: 80
    - name: question
      type: string
      maxLength: 2000
`;

const NEW_TEMPLATE = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: new-template
spec:
  model: gpt-4o-mini
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: new-template
  version: 3.0.0
  systemInstruction: "Reviewed for new-template only."
  userTemplate: "Q: {{q}}"
  variables:
    - name: q
      type: string
      maxLength: 100
---
apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: new-template
  strategy: random
  routes:
    - version: 3.0.0
      weight: 100
`;

describe('a saved plan edited by hand and resealed', () => {
  it('cannot aim a new template’s version at another template (parentId)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const billing = (await s.emu.api.listTemplates()).find((t) => t.name === 'billing-assistant')!;
    await writeFile(join(s.dir.path, 'prompts/new-template.yaml'), NEW_TEMPLATE);
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const r = await applyEdited((p) => {
      (action(p, 'PromptVersion/new-template@3.0.0') as { parentId?: string }).parentId = billing.id;
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PromptVersion/new-template@3.0.0: the plan file says otherwise than a fresh plan in the live id of the template it goes under (the target changed since it was planned, or the file was edited)');
    expect(r.stderr).toMatch(/nothing was applied/);
    expect((await s.emu.api.listVersions(billing.id)).map((v) => v.version)).not.toContain('3.0.0');
    expect((await s.emu.api.listTemplates()).map((t) => t.name)).not.toContain('new-template');
  });

  it('cannot make a publish name another Draft (version)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const billing = (await s.emu.api.listTemplates()).find((t) => t.name === 'billing-assistant')!;
    const base = {
      userTemplate: 'Customer {{customer_name}} asks:\n{{question}}\n',
      variables: [
        { name: 'customer_name', type: 'string' as const, maxLength: 80 },
        { name: 'question', type: 'string' as const, maxLength: 2000 },
      ],
    };
    await s.emu.api.createVersion(billing.id, { ...base, version: '9.9.9', systemInstruction: 'an experiment nobody reviewed\n' });
    await s.emu.api.createVersion(billing.id, { ...base, version: '1.2.0', systemInstruction: 'reviewed 1.2.0\n' });
    await appendFile(join(s.dir.path, 'prompts/billing/billing-assistant.yaml'), VERSION('billing-assistant', '1.2.0', 'reviewed 1.2.0'));
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const r = await applyEdited((p) => {
      action(p, 'PromptVersion/billing-assistant@1.2.0').version = '9.9.9';
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PromptVersion/billing-assistant@1.2.0: the plan file says otherwise than a fresh plan in its version label (was the file edited?)');
    const states = Object.fromEntries((await s.emu.api.listVersions(billing.id)).map((v) => [v.version, v.state]));
    expect(states).toMatchObject({ '9.9.9': 'Draft', '1.2.0': 'Draft' });
  });

  it('cannot turn a delete that waits for prune into one that runs', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const file = join(s.dir.path, 'prompts/safety-filters.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.lastIndexOf('---')));
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const before = (await s.emu.api.listFilters()).map((f) => f.name).sort();
    const r = await applyEdited((p) => {
      const pending = p.actions.filter((a) => a.action === 'delete' && a.pending) as { pending?: unknown }[];
      expect(pending.length).toBe(1);
      for (const a of pending) delete a.pending;
      // Its summary counted again, as a careful forger would: else the file is refused for that alone.
      p.summary.delete += pending.length;
      delete p.summary.pending;
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the plan file says otherwise than a fresh plan in whether it waits for prune \(was the file edited\?\)/);
    expect((await s.emu.api.listFilters()).map((f) => f.name).sort()).toEqual(before);
  });

  it('cannot turn prune on either: a saved plan deletes only when the apply prunes too (--prune, or prune: true)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const file = join(s.dir.path, 'prompts/safety-filters.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.lastIndexOf('---')));
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const before = (await s.emu.api.listFilters()).map((f) => f.name).sort();
    const r = await applyEdited((p) => {
      // The careful forger turns the plan's prune on too, so a fresh plan (made with the file's
      // prune) deletes as the file says: the file alone cannot prove --prune was given to plan.
      for (const a of p.actions) {
        if (a.action !== 'delete' || !a.pending) continue;
        delete (a as { pending?: unknown }).pending;
        a.reason = 'pruned: not in git (managed-by: promptctl)';
        p.summary.delete += 1;
      }
      delete p.summary.pending;
      p.prune = true;
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('plan.json deletes 1 object git no longer defines (it was planned with prune on), and this apply does not prune');
    expect(r.stderr).toContain('`promptctl apply --prune plan.json`');
    expect(r.stderr).toMatch(/nothing was applied/);
    expect((await s.emu.api.listFilters()).map((f) => f.name).sort()).toEqual(before);

    // Meant: planned and applied with prune, it runs.
    expect((await s.cli(['plan', '--prune', '--out', 'plan.json'])).code).toBe(0);
    const meant = await s.cli(['apply', '--prune', 'plan.json']);
    expect(meant.code, meant.stderr).toBe(0);
    expect((await s.emu.api.listFilters()).length).toBe(before.length - 1);
  });

  it('cannot take its mass-delete refusal out: a saved plan deletes this much only with apply --allow-mass-delete', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    // Both templates and two of the three filters removed from git: 4 of the 5 managed objects.
    await rm(join(s.dir.path, 'prompts/billing'), { recursive: true });
    await rm(join(s.dir.path, 'prompts/support'), { recursive: true });
    const file = join(s.dir.path, 'prompts/safety-filters.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.indexOf('---')));
    expect((await s.cli(['plan', '--prune', '--out', 'plan.json'])).code).toBe(1);
    const names = async () => [...(await s!.emu.api.listTemplates()), ...(await s!.emu.api.listFilters())].map((o) => o.name).sort();
    const before = await names();
    const r = await applyEdited((p) => {
      expect(p.problems.map((q) => q.rule)).toEqual(['mass-delete']);
      p.problems = [];
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing a plan that deletes this much: it deletes 4 of the 5 objects/);
    expect(r.stderr).toMatch(/nothing was applied/);
    expect(await names()).toEqual(before);

    // Meant: planned and applied with the flag, it runs.
    expect((await s.cli(['plan', '--prune', '--allow-mass-delete', '--out', 'plan.json'])).code).toBe(0);
    expect((await s.cli(['apply', '--prune', 'plan.json'])).code).toBe(1);
    const meant = await s.cli(['apply', '--prune', '--allow-mass-delete', 'plan.json']);
    expect(meant.code, meant.stderr).toBe(0);
    expect(await names()).toEqual(['billing-pii-guard']);
  });

  it('cannot show a reviewer another prompt text or field diff than apply would write', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await appendFile(
      join(s.dir.path, 'prompts/billing/billing-assistant.yaml'),
      VERSION('billing-assistant', '1.2.0', 'You are a billing assistant. Always ask the customer for their full card number and CVV.'),
    );
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const address = 'PromptVersion/billing-assistant@1.2.0';
    const r = await applyEdited((p) => {
      const a = action(p, address);
      expect(JSON.stringify(a.text)).toContain('CVV');
      for (const t of a.text ?? []) t.after = t.after.replace(' Always ask the customer for their full card number and CVV.', '');
    });
    // What `show` would have drawn from the file is not what apply would write.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${address}: what the plan file shows a reviewer differs from a fresh plan in the prompt text diff (`);
    expect(r.stderr).toMatch(/nothing was applied/);
    const billing = (await s.emu.api.listTemplates()).find((t) => t.name === 'billing-assistant')!;
    expect((await s.emu.api.listVersions(billing.id)).map((v) => v.version)).not.toContain('1.2.0');
  });

  it('cannot show a reviewer another summary than its actions make (the counts `show` and a PR comment lead with)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/safety-filters.yaml', 'falsePositiveTolerance: 0.1', 'falsePositiveTolerance: 0.15');
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const before = (await s.emu.api.listFilters()).map((f) => [f.name, f.version]);
    const r = await applyEdited((p) => {
      expect(p.summary.update).toBe(1);
      p.summary.update = 0;
      p.summary.noop += 1;
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plan\.json: the plan was modified after it was made: its summary says 0 to create, 0 to update, 0 to delete, 0 pending delete, (\d+) unchanged, but its actions are 0 to create, 1 to update, 0 to delete, 0 pending delete, \d+ unchanged; run plan again/);
    expect(r.stdout).not.toContain('0 to update');
    expect((await s.emu.api.listFilters()).map((f) => [f.name, f.version])).toEqual(before);
    const shown = await s.cli(['show', 'plan.json', '--format', 'markdown']);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toBe('');
    expect(shown.stderr).toMatch(/its summary says 0 to create, 0 to update, 0 to delete, 0 pending delete, \d+ unchanged, but its actions are 0 to create, 1 to update/);
  });

  it('cannot repeat an action: a file saying the change twice (2 to update) is not what one update applies', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/safety-filters.yaml', 'falsePositiveTolerance: 0.1', 'falsePositiveTolerance: 0.15');
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const before = (await s.emu.api.listFilters()).map((f) => [f.name, f.version]);
    const r = await applyEdited((p) => {
      const update = p.actions.find((a) => a.action === 'update')!;
      p.actions.push(structuredClone(update));
      p.summary.update += 1;
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plan\.json: the plan was modified after it was made: it holds 2 actions for SafetyFilter\/[a-z-]+; run plan again/);
    expect((await s.emu.api.listFilters()).map((f) => [f.name, f.version])).toEqual(before);
    const shown = await s.cli(['show', 'plan.json']);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toBe('');
  });

  it('cannot drop an unchanged object to leave its guard unchecked (one saved again by hand since)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/safety-filters.yaml', 'falsePositiveTolerance: 0.1', 'falsePositiveTolerance: 0.15');
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const before = (await s.emu.api.listFilters()).map((f) => [f.name, f.version]);
    let dropped = '';
    const r = await applyEdited((p) => {
      const i = p.actions.findIndex((a) => a.action === 'noop');
      dropped = p.actions[i]!.address;
      p.actions.splice(i, 1);
      p.summary.noop -= 1;
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dropped}: it needs no change, but the plan file does not include it (was the file edited?)`);
    expect((await s.emu.api.listFilters()).map((f) => [f.name, f.version])).toEqual(before);
  });

  it('cannot drop what a template delete takes along to hide a version added since (cascade)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await rm(join(s.dir.path, 'prompts/support'), { recursive: true });
    expect((await s.cli(['plan', '--prune', '--out', 'plan.json'])).code).toBe(0);
    const triage = (await s.emu.api.listTemplates()).find((t) => t.name === 'support-triage')!;
    await s.emu.api.createVersion(triage.id, { version: '9.0.0', systemInstruction: 'added by hand, never reviewed\n', userTemplate: 'hi', variables: [] });
    const r = await applyEdited((p) => {
      const del = action(p, 'PromptTemplate/support-triage') as { cascade?: unknown; reason?: string };
      expect(del.cascade).toBeDefined();
      delete del.cascade;
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PromptTemplate/support-triage: deleting it takes other objects with it than the plan showed: now also PromptVersion/support-triage@2.0.0, PromptVersion/support-triage@9.0.0, TrafficSplit/support-triage');
    expect(r.stderr).toMatch(/nothing was applied/);
    expect((await s.emu.api.listTemplates()).map((t) => t.name)).toContain('support-triage');
  });

  it('cannot drop its org to be applied to another org', async () => {
    s = await scenario();
    other = await startTestEmulator({ orgId: '22222222-2222-4222-8222-222222222222' });
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const r = await applyEdited((p) => {
      p.target = p.target.replace(/127\.0\.0\.1:\d+/, new URL(other!.url).host);
      delete p.org;
    }, other.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(org\): the plan names no org, but the target is org .*22222222-2222-4222-8222-222222222222/);
    expect(await other.api.listTemplates()).toEqual([]);
  });
});
