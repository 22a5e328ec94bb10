// Two applies at once on the same org from one working directory, as two CI jobs on one runner
// would: they share the audit trail, and its apply lock (cli/apply-lock.ts) refuses the second
// while the first runs, against a remote org (an emulator subprocess) as against the embedded
// emulator (whose state is in use too). Either way: each run succeeds or reports a clean
// refusal (exit 1, a message, no stack trace), nothing is duplicated, the chain stays whole,
// and a further apply converges.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliResult } from '../helpers/cli.js';
import { allAuditLines, auditLines, cli, expectGeneratedOrg, expectNoCrash, liveStateOf, perTest } from './support.js';

const run = perTest();

/** A run that lost the race: exit 1 with a message that says what to do, never an internal error. */
function expectWonOrCleanConflict(r: CliResult, conflict: RegExp): void {
  expectNoCrash(r);
  if (r.code === 0) return;
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(conflict);
}

describe('two applies at once', () => {
  it('on a remote org from one working directory: no corruption, clean conflicts, then convergence', { timeout: 120_000 }, async () => {
    const project = await run.project('race', { templates: 50, versions: 2, filters: 10 });
    const { dir, stateFile } = project;
    const emu = await run.emulator(stateFile, { latencyMs: 5 });

    const both = await Promise.all([
      cli(['apply', '--auto-approve'], dir.path, emu.env),
      cli(['apply', '--auto-approve'], dir.path, emu.env),
    ]);
    for (const r of both) expectWonOrCleanConflict(r, /another apply with this audit trail is running \(\.promptctl\/apply\.lock: held by pid \d+/);
    expect(both.some((r) => r.code === 0)).toBe(true);

    const last = await cli(['apply', '--auto-approve'], dir.path, emu.env);
    expect(last.code, last.stderr.slice(-3000)).toBe(0);
    const plan = await cli(['plan', '--detailed-exitcode'], dir.path, emu.env);
    expect(plan.code, plan.stdout).toBe(0);

    // One chain for both runs: every record follows the one before it.
    const all = await allAuditLines(dir.path);
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i + 1));
    const records = await auditLines(dir.path);
    const verify = await cli(['audit', 'verify'], dir.path);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    // Every change succeeded exactly once, whichever run made it.
    const successes = records.filter((r) => r.outcome === 'success').map((r) => r.address);
    expect(new Set(successes).size).toBe(successes.length);
    expect(successes).toHaveLength(project.resources);

    expect((await emu.stop()).code).toBe(130);
    expectGeneratedOrg(await liveStateOf(stateFile), 50, 2, 10);
  });

  it('on the embedded emulator in one directory: the second finds the state in use, nothing is corrupted', { timeout: 120_000 }, async () => {
    // Small: what is under test is the embedded state's lock, not volume.
    const project = await run.project('race-embedded', { templates: 12, versions: 1, filters: 3 });
    const { dir } = project;

    const both = await Promise.all([cli(['apply', '--auto-approve'], dir.path), cli(['apply', '--auto-approve'], dir.path)]);
    for (const r of both) expectWonOrCleanConflict(r, /another apply with this audit trail is running|in use by another promptctl process \(pid \d+\); nothing was done/);
    expect(both.some((r) => r.code === 0)).toBe(true);

    const last = await cli(['apply', '--auto-approve'], dir.path);
    expect(last.code, last.stderr.slice(-3000)).toBe(0);
    const plan = await cli(['plan', '--detailed-exitcode'], dir.path);
    expect(plan.code, plan.stdout).toBe(0);
    const verify = await cli(['audit', 'verify'], dir.path);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expectGeneratedOrg(await liveStateOf(join(dir.path, '.promptctl', 'local-state.json')), 12, 1, 3);
  });
});
