// after an apply's first interrupt a failed call is not resent (f4a562e). A publish job
// already started is still confirmed (README Interrupts: "that only reads, and the record then
// says whether the version was published"). A confirming GET that fails once (503) after the
// interrupt is a read: it changes nothing, so not resending it only makes the apply misreport a
// publish that landed.
import { applyThrough, appliedWithNewVersion, closeAfterEach, outcomeOf, scriptedProxy, UNAVAILABLE } from '../helpers/interrupt.js';
import { describe, expect, it } from 'vitest';

const closing = closeAfterEach();

describe('a publish confirmation read that fails once after the interrupt', () => {
  it('is read again (a GET changes nothing): the publish that landed is recorded as published, not failed "not resent"', async () => {
    const s = await appliedWithNewVersion(closing);
    // Interrupts when the publish POST arrives (and passes it on); answers the first read after it 503.
    let failedOne = false;
    const proxy = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'POST' && r.path.endsWith('/jobs')) interrupt();
        if (!r.late || r.method !== 'GET' || r.path.includes('/oauth/') || failedOne) return 'forward';
        failedOne = true;
        return UNAVAILABLE;
      }),
    );

    const r = await applyThrough(s, proxy);
    expect(proxy.signal.aborted).toBe(true);
    expect(proxy.seen.some((x) => x.status === 503), JSON.stringify(proxy.seen)).toBe(true);
    // The publish job was started before the interrupt and the server ran it.
    const plan = await s.cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
    // So the apply must not say it failed, and its record must say what landed.
    expect(r.stderr).not.toMatch(/not resent/);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'success', after: { content: { state: 'Published' } } });
    // Everything had started and finished: nothing is left, and it still exits as interrupted.
    expect(r.stderr).toMatch(/nothing is left to do\.$/m);
    expect(r.code, r.stderr).toBe(130);
  });
});
