// After an apply's interrupt no wait goes on (README Interrupts): a publish job already started is
// looked at for 2 s more, and a confirmation that would have to wait longer is not made. The rounds confirming
// gateway publish jobs slept on regardless: with a job taking 30 s, an apply interrupted just after
// starting it exited 30 s later (at 400 s, only at the 120 s job timeout), far past the seconds a
// CI runner gives between its signals, so its record was never written. A guide's delete job was
// waited for regardless of the interrupt too, to the same timeout.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyThrough, closeAfterEach, GUIDE, outcomeOf, scriptedProxy } from '../helpers/interrupt.js';
import { scenario } from '../helpers/scenario.js';

const closing = closeAfterEach();

describe('an apply interrupted while a publish job runs long', () => {
  it('looks for a moment, records the publish as started and not confirmed (unknown), and exits 130 without waiting for the job', { timeout: 60_000 }, async () => {
    // Longer than the test's own limit: an apply that waited for the job would not end in time.
    const s = closing(await scenario('basic', { publishDelayMs: 600_000 }));
    const proxy = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'POST' && r.path.endsWith('/jobs')) interrupt();
        return 'forward';
      }),
    );
    const r = await applyThrough(s, proxy);
    expect(proxy.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(proxy.seen.some((x) => x.method === 'POST' && x.path.endsWith('/jobs'))).toBe(true);
    // Every version whose publish started is on record as started and not confirmed: unknown.
    const records = (await readFile(join(s.dir.path, '.promptctl', 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const versions = records.filter((x) => x.type === 'outcome' && String(x.address).startsWith('PromptVersion/'));
    const started = versions.filter((x) => /started publishing it \(not confirmed/.test(String(x.error)));
    expect(started.length, JSON.stringify(versions)).toBeGreaterThan(0);
    for (const o of started) expect(o).toMatchObject({ outcome: 'unknown', after: null });
    expect(versions.filter((x) => x.outcome === 'success')).toEqual([]);
    expect(r.stderr).toMatch(/^Partly done:$/m);
  });

  it("a guide's publish job too: polled no longer than the moment after the stop, recorded as started and not confirmed", { timeout: 60_000 }, async () => {
    const s = closing(await scenario('basic', { publishDelayMs: 600_000 }));
    await writeFile(join(s.dir.path, 'prompts/guide.yaml'), GUIDE);
    const proxy = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'POST' && /^\/api\/v2\/guides\/[^/]+\/versions\/[^/]+\/jobs$/.test(r.path)) interrupt();
        return 'forward';
      }),
    );
    const r = await applyThrough(s, proxy);
    expect(proxy.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^ {2}~ Guide\/Interrupted-guide: .*started publishing \S+ to ProductionReady; whether it got there is not known yet$/m);
    expect((await outcomeOf(s, 'Guide/Interrupted-guide')).outcome).toBe('unknown');
  });

  it("a guide's delete job too: waited for no longer than the moment after the stop, recorded as started and not confirmed", { timeout: 60_000 }, async () => {
    // Jobs take ten minutes: only the guide, a Draft (no publish job), is applied first.
    const s = closing(await scenario('basic', { publishDelayMs: 600_000 }));
    await rm(join(s.dir.path, 'prompts'), { recursive: true });
    await mkdir(join(s.dir.path, 'prompts'));
    await writeFile(join(s.dir.path, 'prompts/promptctl.yaml'), 'apiVersion: promptctl/v1\nkind: Config\nspec: {}\n');
    await writeFile(join(s.dir.path, 'prompts/guide.yaml'), GUIDE.replace('publish: ProductionReady', 'publish: Draft'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: s.dir.path, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'a guide');
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    git('rm', '-q', 'prompts/guide.yaml');
    git('commit', '-qm', 'retire it');
    const proxy = closing(
      await scriptedProxy(s.emu.url, (r, interrupt) => {
        if (!r.late && r.method === 'DELETE' && /^\/api\/v2\/guides\/[^/]+\/jobs$/.test(r.path)) interrupt();
        return 'forward';
      }),
    );
    // An apply that waited for the job went on to the client's 120 s job timeout, past this test's limit.
    const r = await applyThrough(s, proxy, ['--prune', '--allow-mass-delete']);
    expect(proxy.signal.aborted, r.stdout + r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^~ Guide\/Interrupted-guide interrupted before confirming its delete: partly done \(listed at the end\)$/m);
    expect(r.stderr).toMatch(/^ {2}~ Guide\/Interrupted-guide: started deleting the guide, id [0-9a-f-]{36}; whether it is gone is not known yet$/m);
    expect((await outcomeOf(s, 'Guide/Interrupted-guide')).error).toMatch(/^interrupted before confirming its delete: started deleting the guide, id [0-9a-f-]{36} \(not confirmed: the next plan shows whether it is gone\); the next apply finishes it$/);
    expect((await outcomeOf(s, 'Guide/Interrupted-guide')).outcome).toBe('unknown');
  });
});
