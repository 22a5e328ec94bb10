// kill -9 in the middle of an apply (once progress lines show it is under way, never after a
// sleep): the next apply converges, the next plan is empty, the org has no duplicates, and the
// audit chain verifies, its torn tail repaired. Then the same with the emulator killed too: its
// journal keeps every acknowledged write across the crash.
import { spawn } from 'node:child_process';
import { appendFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { auditLines, cli, expectGeneratedOrg, expectNoCrash, liveStateOf, perTest } from './support.js';

const run = perTest();

const TEMPLATES = 60;
const FILTERS = 10;

/**
 * Starts `apply --auto-approve` and, once `after` changes are reported done on stderr, runs
 * `kill` (which must SIGKILL the apply). Resolves with how many it had seen and the signal.
 */
function applyUntil(cwd: string, env: Record<string, string>, after: number, kill: (child: ReturnType<typeof spawn>) => void): Promise<{ seen: number; signal: string | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd, env: cleanEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    let seen = 0;
    let fired = false;
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (/^\+ \S+ created/.test(line)) seen++;
      if (seen >= after && !fired) {
        fired = true;
        kill(child);
      }
    });
    child.on('error', fail);
    child.on('close', (_code, signal) => done({ seen, signal }));
  });
}

async function expectConverged(cwd: string, env: Record<string, string>): Promise<void> {
  const rerun = await cli(['apply', '--auto-approve'], cwd, env);
  expectNoCrash(rerun);
  expect(rerun.code, rerun.stderr.slice(-3000)).toBe(0);
  const plan = await cli(['plan', '--detailed-exitcode'], cwd, env);
  expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  const verify = await cli(['audit', 'verify'], cwd);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
}

describe('apply killed with SIGKILL', () => {
  // Up to four minutes: a kill between a version's create and its publish job leaves a Draft the
  // re-run cannot tell from one whose job still runs, and it waits out the job's 120 s for it
  // (apply-settle.ts, settling what a killed run left); most runs take seconds.
  it('mid-way: the next apply converges and repairs the torn audit tail', { timeout: 240_000 }, async () => {
    const project = await run.project('crash', { templates: TEMPLATES, versions: 2, filters: FILTERS });
    const { dir, stateFile } = project;
    const emu = await run.emulator(stateFile, { latencyMs: 10 });

    const killed = await applyUntil(dir.path, emu.env, 80, (child) => child.kill('SIGKILL'));
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.seen).toBeLessThan(project.resources); // it really was in the middle
    // A kill during an audit append leaves half a line; make sure this run has one to repair.
    await appendFile(join(dir.path, '.promptctl', 'audit.jsonl'), '{"seq":99999,"timestamp":"2024-');

    const rerun = await cli(['apply', '--auto-approve'], dir.path, emu.env);
    expectNoCrash(rerun);
    expect(rerun.code, rerun.stderr.slice(-3000)).toBe(0);
    expect(rerun.stderr).toMatch(/incomplete last line/);
    await expectConverged(dir.path, emu.env);

    expect((await emu.stop()).code).toBe(130);
    const live = await liveStateOf(stateFile);
    expectGeneratedOrg(live, TEMPLATES, 2, FILTERS);
    // Write-ahead: every live change has exactly one success record, the killed run's included
    // (settled by the re-run as "succeeded (recovered)"), and no intent is left open.
    const done = (await auditLines(dir.path)).filter((r) => r.outcome === 'success' || r.outcome === 'succeeded (recovered)');
    const count = new Map<string, number>();
    for (const r of done) count.set(r.address, (count.get(r.address) ?? 0) + 1);
    const addresses = [
      ...live.templates.flatMap((t) => [`PromptTemplate/${t.name}`, ...(t.versions ?? []).map((v) => `PromptVersion/${t.name}@${v.version}`), ...(t.traffic ? [`TrafficSplit/${t.name}`] : [])]),
      ...live.filters.map((f) => `SafetyFilter/${f.name}`),
    ];
    for (const a of addresses) expect(count.get(a), a).toBe(1);
    expect(done.length).toBe(addresses.length);
  });

  it('with the emulator killed too: its journal keeps every acknowledged write, and a re-run converges', { timeout: 240_000 }, async () => {
    const project = await run.project('crash-both', { templates: TEMPLATES, versions: 2, filters: FILTERS });
    const { dir, stateFile } = project;
    const first = await run.emulator(stateFile, { latencyMs: 10 });

    // Both die at the same instant, mid-apply: nothing gets to finish or flush.
    const killed = await applyUntil(dir.path, first.env, 120, (child) => {
      first.child.kill('SIGKILL');
      child.kill('SIGKILL');
    });
    expect(killed.signal).toBe('SIGKILL');
    await first.kill();
    expect((await stat(`${stateFile}.journal`)).size).toBeGreaterThan(0); // recovery goes through the journal

    // Every create the killed apply recorded as a success was acknowledged, so it must still exist.
    const recorded = (await auditLines(dir.path)).filter((r) => r.outcome === 'success' && r.resourceId);
    expect(recorded.length).toBeGreaterThan(0);
    const afterCrash = await liveStateOf(stateFile);
    const ids = new Set([...afterCrash.templates.map((t) => t.id), ...afterCrash.filters.map((f) => f.id)]);
    for (const r of recorded.filter((r) => /^(PromptTemplate|SafetyFilter)\//.test(r.address))) expect(ids.has(r.resourceId!), r.address).toBe(true);

    // A new emulator on the same state (the dead one's lock is stale) serves what was acknowledged.
    const emu = await run.emulator(stateFile, { latencyMs: 10 });
    await expectConverged(dir.path, emu.env);
    expect((await emu.stop()).code).toBe(130);
    expectGeneratedOrg(await liveStateOf(stateFile), TEMPLATES, 2, FILTERS);
  });
});
