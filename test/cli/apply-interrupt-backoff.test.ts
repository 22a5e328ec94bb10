// after an apply's first interrupt no failed call is resent (f4a562e, DESIGN §5). The
// transport asks `stopped` only when an attempt fails; an interrupt that arrives while the call
// waits out a 429's Retry-After (or a 5xx backoff) is not heard, and the resend goes out after it.
import { applyThrough, appliedWithNewVersion, closeAfterEach, scriptedProxy } from '../helpers/interrupt.js';
import { describe, expect, it } from 'vitest';

const closing = closeAfterEach();

describe('an interrupt that arrives while a failed call waits to be resent', () => {
  it('stops the resend: no write starts after the interrupt, and the run exits 130', async () => {
    const s = await appliedWithNewVersion(closing);
    // Answers the first version create 429 (Retry-After: 1) and interrupts 300 ms later, during the wait.
    let answered = false;
    const p = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (answered || r.method !== 'POST' || !/\/prompttemplates\/[^/]+\/versions$/.test(r.path)) return 'forward';
        answered = true;
        setTimeout(interrupt, 300);
        return { status: 429, code: 'too.many.requests', headers: { 'retry-after': '1' } };
      }),
    );

    const r = await applyThrough(s, p);
    expect(p.signal.aborted).toBe(true);
    expect(p.lateWrites(), JSON.stringify(p.seen)).toEqual([]);
    expect(r.code, r.stderr).toBe(130);
  });
});
