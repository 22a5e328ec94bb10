// Ctrl-C while an action of several calls is in flight (DESIGN §5): the call in flight finishes
// and is recorded, but the action starts no later write (a version created is not then
// published; a guide created does not then get its content or its publish). Its audit outcome
// says what landed, the report lists it as partly done, apply exits 130, and the next plan picks
// up what is missing. The interrupt is injected in-process the moment the held request reaches a
// proxy in front of the emulator, which then lets it through.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { applied, appliedWithNewVersion, applyThrough, closeAfterEach, expectConverges, GUIDE, interruptedApply, interruptingProxy, outcomeOf, scriptedProxy } from '../helpers/interrupt.js';
import { plannedChanges } from '../helpers/scenario.js';
import { runCliInProcess } from '../helpers/cli.js';

const closing = closeAfterEach();

describe('an apply interrupted in the middle of an action', () => {
  it('PromptVersion: a version whose create was in flight is left a Draft, not published; the next plan publishes it', async () => {
    const s = await appliedWithNewVersion(closing);
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'POST' && /\/prompttemplates\/[^/]+\/versions$/.test(p)));

    // The create finished; no publish job (nor anything else that writes) started after the interrupt.
    const r = await interruptedApply(s, proxy);
    expect(proxy.seen.filter((x) => x.path.endsWith('/jobs'))).toEqual([]);
    const note = 'interrupted before publishing it: created version 2.1.0 as a Draft, not published; the next apply finishes it';
    // Said once: the progress line names the call it stopped before, the list what landed, the last line what next.
    expect(r.stderr).toContain('~ PromptVersion/support-triage@2.1.0 interrupted before publishing it: partly done (listed at the end)\n');
    expect(r.stderr).toMatch(/^Apply interrupted: 0 created, 0 updated, 0 deleted; 0 failed, 1 partly done, 0 not started\.$/m);
    expect(r.stderr).toContain('Partly done:\n  ~ PromptVersion/support-triage@2.1.0: created version 2.1.0 as a Draft, not published\n');
    expect(r.stderr).toMatch(/^Every change made is on record\. Run apply again to finish: it picks up where this one stopped\.$/m);
    expect(r.stderr).not.toContain('the next apply');

    const o = await outcomeOf(s, 'PromptVersion/support-triage@2.1.0');
    expect(o).toMatchObject({ outcome: 'failure', error: note });
    expect(o.after.content.state).toBe('Draft');
    const live = (await s.emu.api.listTemplates({ name: 'support-triage', expand: ['versions'] }))[0]!;
    expect(live.versions!.map((v) => [v.version, v.state])).toEqual([
      ['2.0.0', 'Published'],
      ['2.1.0', 'Draft'],
    ]);
    await expectConverges(s, 'update PromptVersion/support-triage@2.1.0');
  });

  it('a write that fails (503) as the interrupt arrives is read for, not resent: found not to have landed, it is not started; the next plan still creates it', async () => {
    const s = await appliedWithNewVersion(closing);
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'POST' && /\/prompttemplates\/[^/]+\/versions$/.test(p), { fail: true }));

    // No second POST (nor any other write) after the interrupt; the read that settles the first one is allowed.
    const r = await interruptedApply(s, proxy);
    expect(proxy.seen.filter((x) => x.late && x.method === 'GET').length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/^Not started:\n {2}\+ PromptVersion\/support-triage@2\.1\.0$/m);
    const o = await outcomeOf(s, 'PromptVersion/support-triage@2.1.0');
    expect(o).toMatchObject({ outcome: 'skipped', after: null });
    expect(o.error).toMatch(/not resent after 1 attempt: interrupted, no new call is started/);
    await expectConverges(s, 'create PromptVersion/support-triage@2.1.0');
  });

  it('PromptVersion: a publish already started is confirmed (reads only), so the record says it was published', async () => {
    const s = await appliedWithNewVersion(closing);
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'POST' && p.endsWith('/jobs')));

    const r = await applyThrough(s, proxy);
    expect(proxy.signal.aborted).toBe(true);
    // Nothing was left undone, and it says so; it still exits as interrupted (DESIGN §5: 130), so
    // a cancelled CI job never looks like a finished apply.
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^Apply interrupted: 1 created, 0 updated, 0 deleted; every change had started, and each finished: nothing is left to do\.$/m);
    expect(r.stderr).toMatch(/^Done:\n {2}\+ PromptVersion\/support-triage@2\.1\.0 /m);
    expect(r.stdout).not.toContain('Apply complete');
    expect(proxy.lateWrites()).toEqual([]);
    expect(proxy.seen.some((x) => x.late && x.method === 'GET')).toBe(true);
    expect(await outcomeOf(s, 'PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'success', after: { content: { state: 'Published' } } });
    const plan = await s.cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('output closed once the last change had started: it finishes, the summary is still written, exit 141 (not the interrupt\'s 130)', async () => {
    const s = await appliedWithNewVersion(closing);
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'POST' && p.endsWith('/jobs')));
    // The proxy's "interrupt" is the output's reader going away (`apply | head`), not a signal.
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: s.dir.path, env: { ...s.emu.env, GENESYSCLOUD_API_URL: proxy.url }, outputClosed: proxy.signal });
    expect(proxy.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(141);
    expect(r.stdout).toMatch(/^Apply complete: 1 created, 0 updated, 0 deleted\.$/m);
    expect(r.stderr).not.toContain('Apply interrupted');
  });

  it('PromptVersion: a publish started whose confirmation the interrupt holds back is on record with what landed, not as nothing known', async () => {
    const s = await appliedWithNewVersion(closing);
    // The interrupt comes with the publish job's POST; the confirmation read after it is answered
    // 429 (Retry-After 5), so its retry would have to wait, which the stop does not let it do.
    let failed = 0;
    const proxy = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'POST' && r.path.endsWith('/jobs')) interrupt();
        if (r.late && r.method === 'GET' && r.path.includes('/prompttemplates') && failed === 0) {
          failed++;
          return { status: 429, code: 'too.many.requests', headers: { 'retry-after': '5' } };
        }
        return 'forward';
      }),
    );
    const r = await interruptedApply(s, proxy);
    expect(failed).toBe(1);
    const note = 'interrupted before confirming its publish: created version 2.1.0, started publishing it (not confirmed: the next plan shows whether it is published); the next apply finishes it';
    // From review: the ~330-character note, said twice, its three "next …" clauses half contradicting
    // each other. One short line of what is unknown; the what-next once, for all.
    expect(r.stderr).toContain('~ PromptVersion/support-triage@2.1.0 interrupted before confirming its publish: partly done (listed at the end)\n');
    expect(r.stderr).toContain('Partly done:\n  ~ PromptVersion/support-triage@2.1.0: created version 2.1.0, started publishing it; whether it is published is not known yet\n');
    expect(r.stderr).toMatch(/^Every change made is on record, 1 of them not confirmed\. Run apply again to finish: it picks up where this one stopped, and records how that one ended\.$/m);
    expect(r.stderr).not.toContain('its audit outcome is unknown');
    expect(r.stderr).not.toContain('the next apply');
    const o = await outcomeOf(s, 'PromptVersion/support-triage@2.1.0');
    // Before: "GET …: not sent: interrupted …", with no id, as if nothing of it were known.
    // Not "failure": the publish may still get there (here it did), so a later apply settles it.
    expect(o).toMatchObject({ outcome: 'unknown', error: note, after: null });
    expect(o.resourceId).toBe((await s.emu.api.listTemplates({ name: 'support-triage' }))[0]!.id);
    expect(await verifyAuditFile(join(s.dir.path, '.promptctl', 'audit.jsonl'))).toMatchObject({ ok: true, pending: [], unknown: [o.intent] });
    const plan = await s.cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('a delete whose guard read was in flight is not sent: skipped on record, not started in the report, still planned', async () => {
    const s = await applied(closing);
    const file = join(s.dir.path, 'prompts/safety-filters.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.lastIndexOf('---')));
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'GET' && /\/safetyfilters\/[^/]+$/.test(p)));

    const r = await interruptedApply(s, proxy, ['--prune']);
    expect(r.stderr).toContain('Not started:\n  - SafetyFilter/political-flagger');
    expect(await outcomeOf(s, 'SafetyFilter/political-flagger')).toMatchObject({ outcome: 'skipped', error: 'interrupted before the delete: nothing was changed', after: null });
    expect(await verifyAuditFile(join(s.dir.path, '.promptctl', 'audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
    const plan = await s.cli(['plan', '--prune']);
    expect(plannedChanges(plan.stdout)).toEqual(['delete SafetyFilter/political-flagger']);
  });

  it('Guide: a guide whose create was in flight gets no content and no publish; the next plan writes and publishes it', async () => {
    const s = await applied(closing);
    await writeFile(join(s.dir.path, 'prompts/guide.yaml'), GUIDE);
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => m === 'POST' && p === '/api/v2/guides'));

    const r = await interruptedApply(s, proxy);
    expect(r.stderr).toMatch(/^Partly done:\n {2}~ Guide\/Interrupted-guide: created guide \(id \S+\) without its content$/m);
    const o = await outcomeOf(s, 'Guide/Interrupted-guide');
    expect(o.outcome).toBe('failure');
    expect(o.error).toMatch(/^interrupted before writing its content: created guide \(id \S+\) without its content/);
    expect(o.resourceId).toMatch(/\S/);
    await expectConverges(s, 'update Guide/Interrupted-guide');
  });

  it('Guide: a guide whose content write was in flight is not published; the next plan publishes it', async () => {
    const s = await applied(closing);
    await writeFile(join(s.dir.path, 'prompts/guide.yaml'), GUIDE);
    // The content goes into the new guide's version: a PATCH of its empty first one, or a POST of one.
    const proxy = closing(await interruptingProxy(s.emu.url, (m, p) => (m === 'POST' || m === 'PATCH') && /^\/api\/v2\/guides\/[^/]+\/versions/.test(p) && !p.endsWith('/jobs')));

    const r = await interruptedApply(s, proxy);
    expect(proxy.seen.filter((x) => x.path.endsWith('/jobs'))).toEqual([]);
    expect(r.stderr).toMatch(/^ {2}~ Guide\/Interrupted-guide: created guide \(id \S+\), (wrote|created) version \S+, version \S+ holds the content in Draft, not yet ProductionReady$/m);
    const o = await outcomeOf(s, 'Guide/Interrupted-guide');
    expect(o.outcome).toBe('failure');
    expect(o.after.content).toMatchObject({ instruction: 'Help the customer with their question.', state: 'Draft' });
    await expectConverges(s, 'update Guide/Interrupted-guide');
  });

  it('Guide: a publish started whose confirmation the interrupt holds back is on record as started, not as a request not sent', async () => {
    const s = await applied(closing);
    await writeFile(join(s.dir.path, 'prompts/guide.yaml'), GUIDE);
    // The interrupt comes with the publish job's POST; the confirmation read after it is answered
    // 429 (Retry-After 5), so its retry would have to wait, which the stop does not let it do.
    let failed = 0;
    const proxy = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'POST' && /^\/api\/v2\/guides\/[^/]+\/versions\/[^/]+\/jobs$/.test(r.path)) interrupt();
        if (r.late && r.method === 'GET' && r.path.startsWith('/api/v2/guides/') && failed === 0) {
          failed++;
          return { status: 429, code: 'too.many.requests', headers: { 'retry-after': '5' } };
        }
        return 'forward';
      }),
    );
    const r = await interruptedApply(s, proxy);
    expect(failed).toBe(1);
    // Before: "… publishing it to ProductionReady (its request failed and was not resent)", though the POST went.
    expect(r.stderr).toMatch(/^ {2}~ Guide\/Interrupted-guide: created guide \(id \S+\), (wrote|created) version (\S+), started publishing \2 to ProductionReady; whether it got there is not known yet$/m);
    expect(r.stderr).toMatch(/^Every change made is on record, 1 of them not confirmed\. Run apply again to finish: it picks up where this one stopped, and records how that one ended\.$/m);
    expect(r.stderr).not.toContain('was not resent');
    // The held-back read is not waited for, and no notice says it is.
    expect(r.stderr).not.toMatch(/retry 1: GET .* answered 429; waiting/);
    const o = await outcomeOf(s, 'Guide/Interrupted-guide');
    expect(o.outcome).toBe('unknown');
    expect(o.resourceId).toMatch(/\S/);
    expect(await verifyAuditFile(join(s.dir.path, '.promptctl', 'audit.jsonl'))).toMatchObject({ ok: true, pending: [], unknown: [o.intent] });
  });
});
