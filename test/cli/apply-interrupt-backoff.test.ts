// after an apply's first interrupt no failed call is resent (f4a562e, DESIGN §5). The
// transport asks `stopped` only when an attempt fails; an interrupt that arrives while the call
// waits out a 429's Retry-After (or a 5xx backoff) is not heard, and the resend goes out after it.
import { applyThrough, appliedWithNewVersion, closeAfterEach, scriptedProxy } from '../helpers/interrupt.js';
import { describe, expect, it } from 'vitest';

const closing = closeAfterEach();

describe('an interrupt that arrives while a failed call waits to be resent', () => {
  it('stops the resend: no write starts after the interrupt, and the run exits 130', async () => {
    const s = await appliedWithNewVersion(closing);
    // Answers the first version create 429 (Retry-After: 1); the interrupt comes once apply has
    // said it waits to resend it (the notice is printed as the wait starts), during the wait.
    let answered = false;
    let fire: (() => void) | undefined;
    const p = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (answered || r.method !== 'POST' || !/\/prompttemplates\/[^/]+\/versions$/.test(r.path)) return 'forward';
        answered = true;
        fire = interrupt;
        return { status: 429, code: 'too.many.requests', headers: { 'retry-after': '1' } };
      }),
    );

    let waiting = false;
    const r = await applyThrough(s, p, [], {
      watchStderr: (soFar) => {
        if (waiting || !/^retry 1: POST \S+\/versions answered 429; waiting \d+\.\d s \(Retry-After\)$/m.test(soFar)) return;
        waiting = true;
        // After the notice's own turn: the wait's timer is set by then.
        setImmediate(() => fire!());
      },
    });
    expect(waiting, r.stderr).toBe(true);
    expect(p.signal.aborted).toBe(true);
    expect(p.lateWrites(), JSON.stringify(p.seen)).toEqual([]);
    expect(r.code, r.stderr).toBe(130);
  });
});
