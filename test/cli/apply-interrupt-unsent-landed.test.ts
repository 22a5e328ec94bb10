// an apply interrupted while the publish POST of a version it has just created is in
// flight, and that POST answered 503 (not resent, f4a562e). The version was created: it is a
// Draft on the target. README Interrupts: an action an interrupt ended partway is listed under
// `Partly done:` saying what landed, and its audit outcome is `failure` with what landed as its
// `after`. The 'unsent' failure instead records `after: null` and lists it as plain Failed.
import { applyThrough, appliedWithNewVersion, closeAfterEach, interruptingProxy, outcomeOf, scriptedProxy } from '../helpers/interrupt.js';
import { describe, expect, it } from 'vitest';

const closing = closeAfterEach();

describe('a call not resent after the interrupt, in an action whose earlier write landed', () => {
  it('publish POST answered 503 (not sent on): the created Draft is on record as what landed and the action is partly done', async () => {
    const s = await appliedWithNewVersion(closing);
    const p = closing(await interruptingProxy(s.emu.url, (m, path) => m === 'POST' && path.endsWith('/jobs'), { fail: true }));
    const r = await applyThrough(s, p);
    expect(p.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(p.seen.filter((x) => x.late && x.method === 'POST'), JSON.stringify(p.seen)).toEqual([]);
    // The version was created: it is on the target as a Draft.
    const plan = await s.cli(['plan']);
    expect(plan.stdout).toMatch(/update PromptVersion\/support-triage@2\.1\.0/);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'failure', after: { content: { state: 'Draft' } } });
    expect(r.stderr).toMatch(/Partly done:[\s\S]*support-triage@2\.1\.0/);
  });

  it('a create that landed though answered 503: the read finds it, and the action ends midway before publishing', async () => {
    const s = await appliedWithNewVersion(closing);
    // The create is passed on, and its answer lost (503) as the interrupt arrives.
    const p = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (r.late || r.method !== 'POST' || !/\/prompttemplates\/[^/]+\/versions$/.test(r.path)) return 'forward';
        interrupt();
        return 'lost';
      }),
    );
    const r = await applyThrough(s, p);
    expect(p.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(p.seen.filter((x) => x.late && x.method === 'POST'), JSON.stringify(p.seen)).toEqual([]);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'failure', after: { content: { state: 'Draft' } } });
    expect(r.stderr).toMatch(/Partly done:[\s\S]*support-triage@2\.1\.0/);
  });
});
