// An interrupted apply of a large org listed every change done and every one not started after its
// summary: thousands of lines the progress had already shown (a review: about 4,000 after a Ctrl-C
// at 1,000 templates). Each list shows its first 20, then how many more and where they are.
import { describe, expect, it } from 'vitest';
import type { ActionOutcome, ApplyResult } from '../../../src/apply/executor.js';
import type { PlanAction } from '../../../src/plan/types.js';
import { LISTED_PER_PART, summaryLines } from '../../../src/views/apply.js';
import { plain } from '../../../src/views/style.js';

const action = (i: number) => ({ address: `PromptTemplate/t-${i}`, action: 'create', kind: 'PromptTemplate', name: `t-${i}`, changes: [], dependsOn: [] }) as unknown as PlanAction;
const done = (i: number): ActionOutcome => ({ action: action(i), outcome: 'success', resourceId: `id${i}`, detail: `created (id id${i})`, correlationId: null });

describe('the lists of a stopped apply', () => {
  it('show their first 20 lines, then how many more', () => {
    const r: ApplyResult = {
      ok: false,
      interrupted: true,
      succeeded: Array.from({ length: 496 }, (_, i) => done(i)),
      failed: [],
      notStarted: Array.from({ length: 3504 }, (_, i) => action(1000 + i)),
      partial: [],
      counts: { created: 496, updated: 0, deleted: 0 },
    };
    const lines = summaryLines(r, plain);
    expect(lines[0]).toBe('Apply interrupted: 496 created, 0 updated, 0 deleted; 0 failed, 3,504 not started.');
    expect(lines.filter((l) => l.startsWith('  + PromptTemplate/'))).toHaveLength(2 * LISTED_PER_PART);
    expect(lines).toContain('  … and 476 more (the audit trail records each)');
    expect(lines).toContain('  … and 3,484 more (the next plan shows what is left)');
    expect(lines.length).toBeLessThan(60);
  });
});
