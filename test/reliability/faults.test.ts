// One apply of 100 templates and 40 filters (440 resources) through the built CLI against an
// emulator that fails 15 % of API calls, evenly among the faults the client retries: 502, 503
// (Retry-After), a connection dropped before the work and one dropped after the work was stored
// (not a 500, which is not retried: the apply would stop there, and a re-run converge). It converges in one run,
// the next plan is empty, the org holds no duplicates, and the audit trail has exactly one
// success record per change and verifies.
import { describe, expect, it } from 'vitest';
import { RETRIED_FAULTS } from '../helpers/emulator.js';
import { auditLines, cli, expectGeneratedOrg, expectNoCrash, liveStateOf, perTest } from './support.js';

const run = perTest();

const SEED = Number(process.env.FAULT_SEED ?? 20240611);

describe('apply under a 15 % fault rate', () => {
  it('converges in one apply of 440 resources, with one success record per change', { timeout: 150_000 }, async () => {
    const project = await run.project('faults', { templates: 100, versions: 2, filters: 40 });
    const { dir, stateFile } = project;
    expect(project.resources).toBe(440);
    const emu = await run.emulator(stateFile, { faultRate: 0.15, faultKinds: RETRIED_FAULTS, seed: SEED });

    // The plan itself reads through the faults.
    const planned = await cli(['plan', '--format', 'json'], dir.path, emu.env);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { summary: Record<string, number>; actions: Array<{ address: string; action: string }> };
    expect(plan.summary).toMatchObject({ create: 440, update: 0, delete: 0 });
    const changes = plan.actions.filter((a) => a.action !== 'noop').map((a) => a.address).sort();

    const apply = await cli(['apply', '--auto-approve'], dir.path, emu.env);
    expectNoCrash(apply);
    expect(apply.code, apply.stderr.slice(-3000)).toBe(0);
    expect(apply.stdout).toMatch(/Apply complete: 440 created, 0 updated, 0 deleted\./);
    expect(apply.stats!.retries).toBeGreaterThan(0); // the faults were met, and retried

    const again = await cli(['plan', '--detailed-exitcode'], dir.path, emu.env);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/No changes/);

    const stopped = await emu.stop();
    expect(stopped.code).toBe(130);
    // Every kind of fault happened, "work done, response lost" included.
    for (const kind of RETRIED_FAULTS) expect(stopped.stats?.faults[kind], kind).toBeGreaterThan(0);

    // What a fault-free emulator on the same state file serves: exactly the set, once.
    expectGeneratedOrg(await liveStateOf(stateFile), 100, 2, 40);

    const records = await auditLines(dir.path);
    expect(records.filter((r) => r.outcome !== 'success')).toEqual([]);
    expect(records.map((r) => r.address).sort()).toEqual(changes);
    const verify = await cli(['audit', 'verify'], dir.path);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
