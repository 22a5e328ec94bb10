// `promptctl drift` in-process (test/helpers/cli.ts), against a real emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editFilterByHand, scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  await s.close();
});

describe('promptctl drift', () => {
  it('exits 0 when the target matches git', async () => {
    const r = await s.cli(['drift']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^target: /);
    expect(r.stderr).toContain('No drift');
    // A scheduled job posts the markdown: it says there is no drift, not only a plan summary.
    const md = await s.cli(['drift', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('### No drift: the target matches git');
  });

  it('says that objects git does not define are left alone, rather than that the target matches git', async () => {
    await s.emu.api.createFilter({ name: 'hand-made', priority: 77, categories: ['self_harm'], action: 'block_and_log', thresholds: { self_harm: 0.3 }, falsePositiveTolerance: 0.1 });
    const r = await s.cli(['drift']);
    // Not drift: promptctl leaves what it does not manage alone (DESIGN §5).
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain('note: SafetyFilter/hand-made exists only on the target');
    expect(r.stderr).toContain('No drift in what promptctl manages; 1 object on the target that git does not define is left alone (noted above).');
    expect(r.stderr).not.toContain('matches git');
    const md = await s.cli(['drift', '--format', 'markdown']);
    expect(md.stdout.split('\n')[0]).toBe('### No drift in what promptctl manages; 1 object on the target that git does not define is left alone');
  });

  it('exits 2 naming what changed by hand, who changed it and when', async () => {
    const edited = await editFilterByHand(s.emu.api, 'org-hate-speech', { thresholds: { hate_speech: 0.9, violence: 0.7 } });
    const r = await s.cli(['drift']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/update SafetyFilter\/org-hate-speech/);
    const line = r.stdout.split('\n').find((l) => l.includes('SafetyFilter/org-hate-speech:'))!;
    expect(line).toContain(`last changed by ${edited.modifiedBy.id} at ${edited.dateModified}`);
    expect(line).toContain('thresholds');
    expect(r.stderr).toContain('Drift: 1 difference');

    const j = await s.cli(['drift', '--format', 'json']);
    expect(j.code).toBe(2);
    const doc = JSON.parse(j.stdout);
    expect(doc.drift).toEqual([
      expect.objectContaining({
        address: 'SafetyFilter/org-hate-speech',
        action: 'update',
        modifiedBy: edited.modifiedBy.id,
        dateModified: edited.dateModified,
      }),
    ]);
    expect(doc.summary.update).toBe(1);

    const md = await s.cli(['drift', '--format', 'markdown']);
    expect(md.code).toBe(2);
    expect(md.stdout).toMatch(/\| `SafetyFilter\/org-hate-speech` \| update \|/);
  });

  it('reports a template deleted by hand as missing', async () => {
    const t = (await s.emu.api.listTemplates({ name: 'support-triage' }))[0]!;
    await s.emu.api.deleteTemplate(t.id);
    const r = await s.cli(['drift', '--format', 'json']);
    expect(r.code).toBe(2);
    const addresses = JSON.parse(r.stdout).drift.map((d: { address: string; action: string }) => `${d.action} ${d.address}`);
    expect(addresses.sort()).toEqual([
      'create PromptTemplate/support-triage',
      'create PromptVersion/support-triage@2.0.0',
      'create TrafficSplit/support-triage',
    ]);
  });
});
