// A success known only by reading the org back (ActionOutcome.confirmedBy 'read': its answer lost,
// a read found it applied) says so wherever apply names it as done: its progress line, a staged
// filter's line, and the `Done:` list of an apply that stopped early. An answered one says nothing.
import { describe, expect, it } from 'vitest';
import type { ActionOutcome, ApplyResult } from '../../../src/apply/executor.js';
import type { PlanAction } from '../../../src/plan/types.js';
import { progressWriter, summaryLines } from '../../../src/views/apply.js';
import { plain } from '../../../src/views/style.js';

const NOTE = '(its answer was lost; found applied by reading it back)';
const action = { address: 'SafetyFilter/guard', action: 'update', kind: 'SafetyFilter', name: 'guard', changes: [], dependsOn: [] } as unknown as PlanAction;
const outcome = (o: Partial<ActionOutcome> = {}): ActionOutcome => ({ action, outcome: 'success', resourceId: 'f1', detail: 'updated (id f1)', correlationId: null, ...o });

describe('a success confirmed by reading the org back', () => {
  it('its progress line and a staged line say so; an answered one says nothing', () => {
    let out = '';
    const w = progressWriter((s) => (out += s), { tty: false, style: plain, inPlace: () => {} });
    w.onProgress({ type: 'staged', result: outcome({ detail: 'moved to priority 1,001', confirmedBy: 'read' }) });
    w.onProgress({ type: 'finish', result: outcome({ confirmedBy: 'read' }), completed: 1, total: 2 });
    w.onProgress({ type: 'finish', result: outcome(), completed: 2, total: 2 });
    expect(out.trimEnd().split('\n')).toEqual([
      `~ SafetyFilter/guard moved to priority 1,001 ${NOTE}`,
      `~ SafetyFilter/guard updated (id f1) ${NOTE}`,
      '~ SafetyFilter/guard updated (id f1)',
    ]);
  });

  it("an interrupted apply's Done: list says so of it", () => {
    const r: ApplyResult = { ok: false, interrupted: true, succeeded: [outcome({ confirmedBy: 'read' }), outcome()], failed: [], notStarted: [], partial: [], counts: { created: 0, updated: 2, deleted: 0 } };
    const done = summaryLines(r, plain).filter((l) => l.startsWith('  ~ SafetyFilter/guard'));
    expect(done).toEqual([`  ~ SafetyFilter/guard updated (id f1) ${NOTE}`, '  ~ SafetyFilter/guard updated (id f1)']);
  });
});
