// An interrupted apply's changes that were partly done. Each was printed as a ~330-character line
// twice, as progress and again under "Partly done:", reading "interrupted: interrupted before
// confirming its publish … (not confirmed: the next plan shows whether it is published); the next
// apply finishes it; its audit outcome is unknown: the next apply reads what the org holds and
// records how it ended, or that it cannot tell" (a review). Now the progress line names the call
// it stopped before, "Partly done:" one short line a change (what landed, what is unknown), and
// what to do next is said once for them all.
import { describe, expect, it } from 'vitest';
import type { ActionOutcome, ApplyEvent, ApplyResult } from '../../../src/apply/executor.js';
import type { PlanAction } from '../../../src/plan/types.js';
import { progressWriter, summaryLines } from '../../../src/views/apply.js';
import { plain } from '../../../src/views/style.js';

const action = (address: string) => ({ address, action: 'create', kind: 'PromptVersion', changes: [], dependsOn: [] }) as unknown as PlanAction;

/** A version whose publish started and was not confirmed, as apply/failure.ts and the executor describe it. */
const unconfirmed = (label: string): ActionOutcome => ({
  action: action(`PromptVersion/bot@${label}`),
  outcome: 'failure',
  resourceId: 't1',
  correlationId: null,
  interrupted: 'midway',
  outcomeUnknown: true,
  detail: `interrupted before confirming its publish: created version ${label}, started publishing it (not confirmed: the next plan shows whether it is published); the next apply finishes it; its audit outcome is unknown: the next apply reads what the org holds and records how it ended, or that it cannot tell`,
  partly: { before: 'confirming its publish', done: [`created version ${label}`, 'started publishing it'], unknown: 'whether it is published' },
});

const drafted: ActionOutcome = {
  action: action('PromptVersion/bot@3.0.0'),
  outcome: 'failure',
  resourceId: 't1',
  correlationId: null,
  interrupted: 'midway',
  detail: 'interrupted before publishing it: created version 3.0.0 as a Draft, not published; the next apply finishes it',
  partly: { before: 'publishing it', done: ['created version 3.0.0 as a Draft, not published'] },
};

const result = (partial: ActionOutcome[]): ApplyResult => ({ ok: false, interrupted: true, succeeded: [], failed: [], notStarted: [], partial, counts: { created: 0, updated: 0, deleted: 0 } });

describe('changes partly done by an interrupted apply', () => {
  it('one short line each under "Partly done:", and what to do next once', () => {
    const lines = summaryLines(result([unconfirmed('1.1.0'), unconfirmed('1.2.0'), drafted]), plain);
    expect(lines).toEqual([
      'Apply interrupted: 0 created, 0 updated, 0 deleted; 0 failed, 3 partly done, 0 not started.',
      'Partly done:',
      '  ~ PromptVersion/bot@1.1.0: created version 1.1.0, started publishing it; whether it is published is not known yet',
      '  ~ PromptVersion/bot@1.2.0: created version 1.2.0, started publishing it; whether it is published is not known yet',
      '  ~ PromptVersion/bot@3.0.0: created version 3.0.0 as a Draft, not published',
      'Every change made is on record, 2 of them not confirmed. Run apply again to finish: it picks up where this one stopped, and records how those ended.',
    ]);
  });

  it('a saved plan: the plan and apply to finish, once', () => {
    const lines = summaryLines(result([unconfirmed('1.1.0')]), plain, 'promptctl plan --env prod', { file: 'plan.json', apply: 'promptctl apply --env prod plan.json' });
    expect(lines.at(-1)).toBe(
      'Every change made is on record, 1 of them not confirmed; plan.json is out of date now. To finish, run `promptctl plan --env prod --out plan.json` again, review it, then `promptctl apply --env prod plan.json`: it picks up where this one stopped, and records how that one ended.',
    );
  });

  it('the progress line names the call it stopped before, not the whole note', () => {
    let out = '';
    const w = progressWriter((s) => (out += s), { tty: false, style: plain, inPlace: () => undefined });
    w.onProgress({ type: 'finish', result: unconfirmed('1.1.0'), completed: 1, total: 1 } as ApplyEvent);
    expect(out).toBe('~ PromptVersion/bot@1.1.0 interrupted before confirming its publish: partly done (listed at the end)\n');
  });
});
