// A plan file with a schema error in each of many actions is located in one pass over its text:
// each error parsed the whole file again, so a 790 KB plan of 80 templates with one field gone
// from each of its 161 actions took 37 s to report (a 10 MB plan, hours). And no yaml tree of the
// whole text is made (many times the file in memory: schema/json-locate.ts).
import { describe, expect, it, vi } from 'vitest';

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('yaml', async (importOriginal) => {
  const yaml = await importOriginal<typeof import('yaml')>();
  return {
    ...yaml,
    parseDocument: (...args: Parameters<typeof yaml.parseDocument>) => {
      parses.count++;
      return yaml.parseDocument(...args);
    },
  };
});

const { checkPlanFile } = await import('../../../src/schema/plan-file.js');

describe('checkPlanFile of a plan with an error in each action', () => {
  it('names every one at its line, without parsing the text into a tree', () => {
    const actions = Array.from({ length: 200 }, (_, i) => ({ address: `SafetyFilter/f-${i}`, action: 'noop', name: `f-${i}`, dependsOn: [], changes: [] }));
    const plan = { formatVersion: 2, id: 'p', createdAt: '', target: 't', git: {}, prune: false, summary: { create: 0, update: 0, delete: 0, noop: 200 }, actions, problems: [], unmanaged: [], fingerprint: 'x' };
    const text = JSON.stringify(plan, null, 2);
    parses.count = 0;
    const checked = checkPlanFile(text, 'plan.json');
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const missingKind = checked.diagnostics.filter((d) => /^actions\[\d+\]: missing kind$/.test(d.message));
    expect(missingKind).toHaveLength(200);
    // Each at its own action's opening brace.
    const lines = text.split('\n');
    for (const d of missingKind) {
      const i = Number(/\[(\d+)\]/.exec(d.message)![1]);
      expect(lines[d.line - 1]!.trim(), d.message).toBe('{');
      expect(lines[d.line]!, d.message).toContain(`"address": "SafetyFilter/f-${i}"`);
    }
    expect(parses.count).toBe(0);
  });
});
