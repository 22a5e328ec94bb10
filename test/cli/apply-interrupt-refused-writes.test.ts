// What an apply reports when, after its interrupt, a write is answered with an error and not
// resent (DESIGN §5: an interrupt stops new calls; a resend is one). Two gaps:
// - a new guide's content write answered 503: the guide had been created, yet the action was a
//   plain failure recording no resource and nothing that landed (a version's publish POST was
//   already handled by afterLanded; the guide's content write after its create was not);
// - an action's first write answered 429 (the server refused it: nothing changed): it was a
//   failure, though nothing of it happened; it is as not started (audited `skipped`).
// - an action's first write refused with 401 (its token expired or was revoked): the client signed
//   in again and sent the write anew after the interrupt, a new change nobody asked to start.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applied, appliedWithNewVersion, applyThrough, closeAfterEach, expectConverges, GUIDE, outcomeOf, scriptedProxy, UNAVAILABLE } from '../helpers/interrupt.js';

const closing = closeAfterEach();
const TOO_MANY = { status: 429, code: 'too.many.requests', headers: { 'retry-after': '1' } } as const;

describe('a write answered with an error after the interrupt, not resent', () => {
  it('a new guide whose content write failed: the created guide is on record and the action is partly done', async () => {
    const s = await applied(closing);
    await writeFile(join(s.dir.path, 'prompts/guide.yaml'), GUIDE);
    const p = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (r.late || !((r.method === 'POST' || r.method === 'PATCH') && /^\/api\/v2\/guides\/[^/]+\/versions/.test(r.path) && !r.path.endsWith('/jobs'))) return 'forward';
        interrupt();
        return UNAVAILABLE;
      }),
    );
    const r = await applyThrough(s, p);
    expect(p.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(p.lateWrites(), JSON.stringify(p.seen)).toEqual([]);
    expect(r.stderr).toMatch(/^~ Guide\/Interrupted-guide interrupted before writing its content \(its request failed and was not resent\): partly done \(listed at the end\)$/m);
    expect(r.stderr).toMatch(/^Partly done:\n {2}~ Guide\/Interrupted-guide: created guide \(id \S+\) without its content$/m);
    const o = await outcomeOf(s, 'Guide/Interrupted-guide');
    expect(o.outcome).toBe('failure');
    expect(o.resourceId).toMatch(/\S/);
    await expectConverges(s, 'update Guide/Interrupted-guide');
  });

  it("an action's first write refused with 429: nothing of it happened, so it is not started and audited skipped", async () => {
    const s = await appliedWithNewVersion(closing);
    const p = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (r.late || r.method !== 'POST' || !/\/prompttemplates\/[^/]+\/versions$/.test(r.path)) return 'forward';
        interrupt();
        return TOO_MANY;
      }),
    );
    const r = await applyThrough(s, p);
    expect(p.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(p.lateWrites(), JSON.stringify(p.seen)).toEqual([]);
    expect(r.stderr).not.toMatch(/^Failed/m);
    expect(r.stderr).toMatch(/Not started[^\n]*:[\s\S]*PromptVersion\/support-triage@2\.1\.0/);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'skipped' });
    await expectConverges(s, 'create PromptVersion/support-triage@2.1.0');
  });

  it("an action's first write refused with 401 after the interrupt is not sent again with a new token", async () => {
    const s = await appliedWithNewVersion(closing);
    const p = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (r.late || r.method !== 'POST' || !/\/prompttemplates\/[^/]+\/versions$/.test(r.path)) return 'forward';
        interrupt();
        return { status: 401, code: 'bad.credentials' };
      }),
    );
    const r = await applyThrough(s, p, [], { login: true });
    expect(p.signal.aborted).toBe(true);
    expect(p.lateWrites(), JSON.stringify(p.seen)).toEqual([]);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/Not started[^\n]*:[\s\S]*PromptVersion\/support-triage@2\.1\.0/);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'skipped' });
    await expectConverges(s, 'create PromptVersion/support-triage@2.1.0');
  });

  it('a write that fails for its own reason after the interrupt: the failure is said, and the run still exits 130 (DESIGN §4)', async () => {
    const s = await appliedWithNewVersion(closing);
    const p = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (r.late || r.method !== 'POST' || !/\/prompttemplates\/[^/]+\/versions$/.test(r.path)) return 'forward';
        interrupt();
        return { status: 400, code: 'bad.request' };
      }),
    );
    const r = await applyThrough(s, p);
    expect(p.signal.aborted).toBe(true);
    expect(r.stderr).toMatch(/^Failed[^\n]*:[\s\S]*PromptVersion\/support-triage@2\.1\.0/m);
    expect(r.code, r.stderr).toBe(130);
  });
});
