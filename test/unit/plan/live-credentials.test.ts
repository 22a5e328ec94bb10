// maskLiveCredentials masks findings in the live side only (an update's or delete's live form,
// the diffs' before side, a problem's), keeps git's side as written, reseals a sealed plan, and
// returns a plan with nothing found as the very same object.
import { describe, expect, it } from 'vitest';
import { maskLiveCredentials } from '../../../src/plan/live-credentials.js';
import { planFingerprint } from '../../../src/plan/fingerprint.js';
import type { Plan } from '../../../src/plan/types.js';

const KEY = 'sk-AbCdEf1234567890ghIJ';
const find = (text: string) => {
  const i = text.indexOf(KEY);
  return i < 0 ? [] : [{ index: i, length: KEY.length, name: 'an API key' }];
};
const MASK = "[redacted: an API key in the org's content]";

function plan(): Plan {
  const p = {
    formatVersion: 2,
    id: 'p',
    createdAt: '2026-12-04T00:00:00Z',
    target: 't',
    prune: false,
    git: { commit: null, branch: null, dirty: false, actor: null },
    summary: { create: 0, update: 1, delete: 1, noop: 0 },
    actions: [
      { address: 'PromptTemplate/a', kind: 'PromptTemplate', name: 'a', action: 'update', liveId: '1', guard: { version: 1 }, dependsOn: [], desired: { kind: 'PromptTemplate', body: { description: `git ${KEY}` } }, changes: [{ path: 'description', before: `live ${KEY}`, after: `git ${KEY}` }], live: { description: `live ${KEY}` } },
      { address: 'PromptTemplate/b', kind: 'PromptTemplate', name: 'b', action: 'delete', liveId: '2', guard: { version: 1 }, dependsOn: [], changes: [], live: { description: `old ${KEY}` } },
    ],
    problems: [{ address: 'PromptVersion/a@1.0.0', rule: 'immutable-version', message: 'm', diff: [{ field: 'systemInstruction', before: `was ${KEY}`, after: 'now' }] }],
    unmanaged: [],
    fingerprint: '',
  } as unknown as Plan;
  return { ...p, fingerprint: planFingerprint(p) };
}

describe('maskLiveCredentials', () => {
  it("masks the live side, keeps git's, and reseals", () => {
    const before = plan();
    const masked = maskLiveCredentials(before, find);
    const [update, del] = masked.actions as unknown as Array<Record<string, any>>;
    expect(update!.live).toEqual({ description: `live ${MASK}` });
    expect(update!.changes).toEqual([{ path: 'description', before: `live ${MASK}`, after: `git ${KEY}` }]);
    expect(update!.desired.body.description).toBe(`git ${KEY}`);
    expect(del!.live).toEqual({ description: `old ${MASK}` });
    expect(masked.problems[0]!.diff).toEqual([{ field: 'systemInstruction', before: `was ${MASK}`, after: 'now' }]);
    expect(masked.fingerprint).toBe(planFingerprint(masked));
    expect(masked.fingerprint).not.toBe(before.fingerprint);
    // The plan it was given is left as it was.
    expect(JSON.stringify(before)).not.toContain(MASK);
  });

  it('returns the same plan when nothing is found, and leaves an unsealed plan unsealed', () => {
    const p = plan();
    expect(maskLiveCredentials(p, () => [])).toBe(p);
    expect(maskLiveCredentials({ ...p, fingerprint: '' }, find).fingerprint).toBe('');
  });
});
