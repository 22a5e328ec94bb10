// apply's progress lines and closing summary printed addresses and details raw. A live object's
// name is anything its org holds (a pruned guide named with an ESC sequence, or with a line break
// and a forged "  + PromptTemplate/…" after it), and a detail quotes the server's words; the plan
// and drift views already make them visible. Now apply does too: control characters as escapes,
// and an address's line breaks as well, so each stays on its own line.
import { describe, expect, it } from 'vitest';
import type { ActionOutcome, ApplyResult } from '../../../src/apply/executor.js';
import type { PlanAction } from '../../../src/plan/types.js';
import { progressWriter, summaryLines } from '../../../src/views/apply.js';
import { plain } from '../../../src/views/style.js';

const NAME = 'Guide/evil\x1b[2J\n  + PromptTemplate/forged';
const action = { address: NAME, action: 'delete', kind: 'Guide', name: 'evil', liveId: 'g1', guard: { hash: 'h' }, changes: [], dependsOn: [] } as unknown as PlanAction;
const outcome = (o: Partial<ActionOutcome>): ActionOutcome => ({ action, outcome: 'success', resourceId: 'g1', detail: 'deleted (id g1)\x1b[0m', correlationId: null, ...o });

describe('apply output with a name that holds control characters and line breaks', () => {
  it('progress lines stay one line each, with no raw control character', () => {
    let out = '';
    const w = progressWriter((s) => (out += s), { tty: false, style: plain, inPlace: () => {} });
    w.onProgress({ type: 'finish', result: outcome({}), completed: 1, total: 2 });
    w.onProgress({ type: 'finish', result: outcome({ outcome: 'failure', detail: 'DELETE failed: 500\x1b[31m' }), completed: 2, total: 2 });
    expect(out).not.toMatch(/\x1b/);
    expect(out.trimEnd().split('\n')).toHaveLength(2);
    expect(out).toContain('Guide/evil\\u001b[2J\\u000a  + PromptTemplate/forged');
  });

  it('the summary lists each action on one line, with no raw control character', () => {
    const r: ApplyResult = {
      ok: false,
      interrupted: false,
      succeeded: [outcome({})],
      failed: [outcome({ outcome: 'failure', detail: 'boom\x07' })],
      notStarted: [action],
      partial: [],
      counts: { created: 0, updated: 0, deleted: 1 },
    };
    const lines = summaryLines(r, plain);
    expect(lines.join('\n')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(lines.filter((l) => l.includes('PromptTemplate/forged'))).toHaveLength(3);
    expect(lines.some((l) => l.startsWith('  + PromptTemplate/forged'))).toBe(false);
  });
});

describe('a failed action in the summary', () => {
  it('names its correlation id once, whether or not the error already says it', () => {
    const failed = (detail: string): ApplyResult =>
      ({ ok: false, interrupted: false, succeeded: [], failed: [outcome({ outcome: 'failure', detail, correlationId: 'c-123' })], partial: [], notStarted: [], counts: { created: 0, updated: 0, deleted: 0 } }) as unknown as ApplyResult;
    const said = (r: ApplyResult) => summaryLines(r, plain).join('\n').split('c-123').length - 1;
    expect(said(failed('POST /safetyfilters failed: 409 filter.limit.exceeded: too many (correlation id c-123)'))).toBe(1);
    expect(said(failed('the connection was reset'))).toBe(1);
  });
});

describe('the closing line of an apply that stopped', () => {
  const stopped = (interrupted: boolean): ApplyResult =>
    ({ ok: false, interrupted, succeeded: [outcome({})], failed: [], partial: [], notStarted: [action], counts: { created: 0, updated: 0, deleted: 1 } }) as unknown as ApplyResult;

  it('says to apply again after a plain apply', () => {
    expect(summaryLines(stopped(true), plain).at(-1)).toBe('Every change made is on record. Run apply again to finish: it picks up where this one stopped.');
  });

  it('says to plan the file again after a saved plan: the same command would refuse it as stale', () => {
    const saved = { file: 'prod.json', apply: 'promptctl apply --env prod prod.json' };
    expect(summaryLines(stopped(true), plain, 'promptctl plan --env prod', saved).at(-1)).toBe(
      'Every change made is on record; prod.json is out of date now. To finish, run `promptctl plan --env prod --out prod.json` again, review it, then `promptctl apply --env prod prod.json`: it picks up where this one stopped.',
    );
    expect(summaryLines(stopped(false), plain, 'promptctl plan', { file: 'p.json', apply: 'promptctl apply p.json' }).at(-1)).toMatch(/^Nothing was rolled back\. Fix the cause; p\.json is out of date now\. To finish, run `promptctl plan --out p\.json` again/);
  });
});

