// after an apply's interrupt a publish already started is still confirmed (README
// Interrupts). If the token is refused (401) during that confirmation, the client signs in
// again; a token request "changes nothing" and is "resent freely" (transport.ts requestToken),
// but after the interrupt a token POST answered 503 once is not resent, and the publish that
// landed is reported failed.
import { applyThrough, appliedWithNewVersion, closeAfterEach, outcomeOf, scriptedProxy, UNAVAILABLE } from '../helpers/interrupt.js';
import { describe, expect, it } from 'vitest';

const closing = closeAfterEach();

describe('signing in again during a publish confirmation after the interrupt', () => {
  it('a token request answered 503 once is made again: the publish that landed is recorded as published', async () => {
    const s = await appliedWithNewVersion(closing);
    // Interrupts at the publish POST (passed on); then the first read is 401 and the first token request 503.
    let refused = false;
    let tokenFailed = false;
    const p = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'POST' && r.path.endsWith('/jobs')) interrupt();
        if (r.late && r.method === 'GET' && !refused) {
          refused = true;
          return { status: 401, code: 'bad.credentials' };
        }
        if (r.late && refused && r.path.includes('/oauth/token') && !tokenFailed) {
          tokenFailed = true;
          return UNAVAILABLE;
        }
        return 'forward';
      }),
    );

    const r = await applyThrough(s, p, [], { login: true });
    expect(p.signal.aborted).toBe(true);
    expect(p.seen.some((x) => x.status === 503), JSON.stringify(p.seen)).toBe(true);
    const plan = await s.cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(r.stderr).not.toMatch(/not resent/);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'success', after: { content: { state: 'Published' } } });
    // Everything had started and finished: nothing is left, and it still exits as interrupted.
    expect(r.stderr).toMatch(/nothing is left to do\.$/m);
    expect(r.code, r.stderr).toBe(130);
  });
});
