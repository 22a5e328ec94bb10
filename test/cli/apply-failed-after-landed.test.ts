// An action of several writes whose later write fails (not an interrupt) after an earlier one
// landed: a version created as a Draft, its publish refused. The action fails, and says what
// landed: in the report, and in its audit outcome (the Draft as `after`, the template's id). It
// was a plain failure recording nothing, though the Draft was on the target (a review finding).
import { describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { join } from 'node:path';
import { appliedWithNewVersion, applyThrough, closeAfterEach, expectConverges, outcomeOf, scriptedProxy } from '../helpers/interrupt.js';

const closing = closeAfterEach();

describe('an action whose later write fails after an earlier one landed', () => {
  it('PromptVersion: created as a Draft, its publish refused: failed, partly done, on record with the Draft', async () => {
    const s = await appliedWithNewVersion(closing);
    // Every publish job refused (a 400 is not retried); everything else reaches the emulator.
    const proxy = closing(await scriptedProxy(s.emu.url, (r) => (r.method === 'POST' && r.path.endsWith('/jobs') ? { status: 400, code: 'bad.request' } : 'forward')));

    const r = await applyThrough(s, proxy);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Failed:\n {2}! PromptVersion\/support-triage@2\.1\.0: .*bad\.request.*; created version 2\.1\.0 as a Draft, not published; the next plan shows what is left$/m);

    const o = await outcomeOf(s, 'PromptVersion/support-triage@2.1.0');
    expect(o.outcome).toBe('failure');
    expect(o.resourceId).toMatch(/\S/);
    expect(o.after.content.state).toBe('Draft');
    expect(o.error).toMatch(/created version 2\.1\.0 as a Draft, not published/);
    expect(await verifyAuditFile(join(s.dir.path, '.promptctl', 'audit.jsonl'))).toMatchObject({ ok: true, pending: [] });

    // The next apply (without the proxy) publishes the Draft, and then nothing is left.
    await expectConverges(s, 'update PromptVersion/support-triage@2.1.0');
  });
});
