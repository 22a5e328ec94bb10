// Apply of 70 templates against `--rate-limit 120`: the client paces itself from the
// inin-ratelimit-* headers (and Retry-After when a 429 comes) and meets few 429s. Genesys counts
// per minute; the emulator runs the same rolling window over 3 s (`--rate-window-ms`), and the
// client knows the window only from the headers, so the logic under test is the same.
import { describe, expect, it } from 'vitest';
import { cli, expectGeneratedOrg, expectNoCrash, liveStateOf, perTest } from './support.js';

const run = perTest();

const LIMIT = 120;
const WINDOW_MS = 3_000;

describe('apply under --rate-limit 120', () => {
  it('completes, pacing itself, with at most 5 % of requests refused', { timeout: 120_000 }, async () => {
    const project = await run.project('ratelimit', { templates: 70, versions: 1 });
    const { dir, stateFile } = project;
    const emu = await run.emulator(stateFile, { rateLimit: LIMIT, rateWindowMs: WINDOW_MS, latencyMs: 2 });

    const apply = await cli(['apply', '--auto-approve'], dir.path, emu.env);
    expectNoCrash(apply);
    expect(apply.code, apply.stderr.slice(-3000)).toBe(0);
    expect(apply.stdout).toMatch(/Apply complete: 210 created/);
    const stats = apply.stats!;
    // Well past one window's budget (about 4 requests a template), so the run had to wait for the window, more than once.
    expect(stats.requests).toBeGreaterThan(2 * LIMIT);
    expect(stats.rateLimited).toBeLessThanOrEqual(Math.ceil(0.05 * stats.requests));

    const plan = await cli(['plan', '--detailed-exitcode'], dir.path, emu.env);
    expect(plan.code, plan.stdout).toBe(0);

    const stopped = await emu.stop();
    expect(stopped.code).toBe(130);
    // The server's count agrees: few refusals out of everything it was asked.
    expect(stopped.stats!.requests).toBeGreaterThan(stats.requests);
    expect(stopped.stats!.rateLimited).toBeLessThanOrEqual(Math.ceil(0.05 * stopped.stats!.requests));
    expectGeneratedOrg(await liveStateOf(stateFile), 70, 1, 0);
  });
});
