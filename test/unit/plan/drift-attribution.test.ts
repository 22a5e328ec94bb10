// Which side changed a published version git and the target disagree on (plan/drift.ts
// attributeToTarget): the target when it changed after git last did, to the commit's second.
import { describe, expect, it } from 'vitest';
import type { GitChange, TrailFacts } from '../../../src/kinds/kind.js';
import { attributeToTarget } from '../../../src/plan/drift.js';
import { planFingerprint } from '../../../src/plan/fingerprint.js';
import type { Plan } from '../../../src/plan/types.js';

const ADDRESS = 'PromptVersion/billing@1.2.0';
const GIT_WORDS = `${ADDRESS} is published and immutable, but git changes its systemInstruction.`;

function plan(at: string | undefined, sealed = true): Plan {
  const p = {
    formatVersion: 2,
    prune: false,
    summary: { create: 0, update: 0, delete: 0, noop: 0 },
    actions: [],
    unmanaged: [],
    problems: [
      {
        address: ADDRESS,
        rule: 'immutable-version',
        message: GIT_WORDS,
        field: 'systemInstruction',
        diff: [{ field: 'systemInstruction', before: 'a\n', after: 'b\n' }],
        ...(at ? { liveModified: { by: 'user-7', at } } : {}),
      },
    ],
    fingerprint: '',
  } as unknown as Plan;
  if (sealed) p.fingerprint = planFingerprint(p);
  return p;
}

const said = (p: Plan) => p.problems[0]!.message;
const git = (change: GitChange | null) => new Map([[ADDRESS, change]]);
/** A trail read that records no apply of the address. */
const NO_APPLY: TrailFacts = { applied: new Map(), live: new Map([[ADDRESS, 'h-live']]) };
/** A trail read whose last landed change of the address left what the target holds, from commit `commit`. */
const applied = (commit: string | null, inBranch?: boolean, dirty = false): TrailFacts => ({
  applied: new Map([[ADDRESS, { hash: 'h-live', commit, ...(inBranch !== undefined ? { inBranch } : {}), ...(dirty ? { dirty: true as const } : {}) }]]),
  live: new Map([[ADDRESS, 'h-live']]),
});

describe('attributeToTarget', () => {
  it('words a version the target changed after git last did as drift, by whom and when, with what to do, when the trail shows no apply made it; sealed again', () => {
    const out = attributeToTarget(plan('2026-12-06T10:00:05.000Z'), git({ at: '2026-12-06T10:00:03+00:00' }), NO_APPLY);
    expect(said(out)).toBe(
      `${ADDRESS} is published and immutable, but its systemInstruction on the target no longer matches git: changed on the target (drift) by user-7 at 2026-12-06T10:00:05.000Z, after git last changed it (2026-12-06T10:00:03+00:00). ` +
        "Apply cannot write a published version back: to keep the target's content, put it in git; to serve git's, add it as a new version (e.g. 1.2.1) and route traffic to it.",
    );
    expect(out.fingerprint).toBe(planFingerprint(out));
    expect(out.fingerprint).not.toBe(plan('2026-12-06T10:00:05.000Z').fingerprint);
  });

  it("keeps git's words when git changed later, in the commit's second, uncommitted, or unknown", () => {
    for (const [at, change] of [
      ['2026-12-06T10:00:02.000Z', { at: '2026-12-06T10:00:03+00:00' }],
      // A commit time is to the second: one shown at :03 may have been made at :03.9.
      ['2026-12-06T10:00:03.500Z', { at: '2026-12-06T10:00:03+00:00' }],
      ['2026-12-06T10:00:09.000Z', 'uncommitted'],
      ['2026-12-06T10:00:09.000Z', null],
    ] as const) {
      const p = plan(at);
      expect(attributeToTarget(p, git(change))).toBe(p);
    }
    const unstamped = plan(undefined);
    expect(attributeToTarget(unstamped, git({ at: '2026-12-06T10:00:03+00:00' }))).toBe(unstamped);
  });

  it('without a trail to read, says it was changed by hand or by an apply of another commit, not which', () => {
    const out = attributeToTarget(plan('2026-12-06T10:00:05.000Z'), git({ at: '2026-12-06T10:00:03+00:00' }));
    expect(said(out)).toContain(
      'changed on the target by user-7 at 2026-12-06T10:00:05.000Z, after git last changed it (2026-12-06T10:00:03+00:00), by hand or by an apply of a commit this branch does not have. ' +
        'Apply cannot write a published version back: if an apply of another commit made it, merge or rebase on that commit;',
    );
    expect(said(out)).not.toContain('drift');
  });

  it("says what promptctl applied from a commit this branch lacks, and keeps git's words for one it has", () => {
    const changed = git({ at: '2026-12-06T10:00:03+00:00' });
    const lacking = attributeToTarget(plan('2026-12-06T10:00:05.000Z'), changed, applied('0123456789abcdef0123', false));
    expect(said(lacking)).toBe(
      `${ADDRESS} is published and immutable, but its systemInstruction on the target no longer matches git: applied by promptctl at 2026-12-06T10:00:05.000Z from commit 0123456789ab, ` +
        'after git last changed it here (2026-12-06T10:00:03+00:00), a commit this branch does not have: merge or rebase on it, then plan again.',
    );
    expect(said(attributeToTarget(plan('2026-12-06T10:00:05.000Z'), changed, applied('0123456789abcdef0123')))).toContain('a commit git cannot find here: if this branch lacks it, merge or rebase on it');
    expect(said(attributeToTarget(plan('2026-12-06T10:00:05.000Z'), changed, applied(null)))).toContain('(its audit record names no commit)');
    const own = plan('2026-12-06T10:00:05.000Z');
    expect(attributeToTarget(own, changed, applied('0123456789abcdef0123', true))).toBe(own);
    // Another hash live: what promptctl applied was changed since, by hand.
    expect(said(attributeToTarget(plan('2026-12-06T10:00:05.000Z'), changed, { ...applied('0123', false), live: new Map([[ADDRESS, 'h-other']]) }))).toContain('(drift)');
  });

  it('says what promptctl applied from uncommitted changes as such, whatever commit it names: no commit holds it, nothing to merge', () => {
    const changed = git({ at: '2026-12-06T10:00:03+00:00' });
    for (const inBranch of [true, false, undefined]) {
      const out = attributeToTarget(plan('2026-12-06T10:00:05.000Z'), changed, applied('0123456789abcdef0123', inBranch, true));
      expect(said(out)).toBe(
        `${ADDRESS} is published and immutable, but its systemInstruction on the target no longer matches git: applied by promptctl at 2026-12-06T10:00:05.000Z from uncommitted changes of commit 0123456789ab, ` +
          "after git last changed it here (2026-12-06T10:00:03+00:00): no commit holds it. Apply cannot write a published version back: to keep the target's content, put it in git; to serve git's, add it as a new version (e.g. 1.2.1) and route traffic to it.",
      );
      expect(out.fingerprint).toBe(planFingerprint(out));
    }
    expect(said(attributeToTarget(plan('2026-12-06T10:00:05.000Z'), changed, applied(null, undefined, true)))).toContain('from uncommitted changes (its audit record names no commit), after');
  });

  it('leaves an unsealed plan unsealed', () => {
    expect(attributeToTarget(plan('2026-12-06T10:00:05.000Z', false), git({ at: '2026-12-06T10:00:03+00:00' })).fingerprint).toBe('');
  });
});
