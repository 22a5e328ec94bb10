// A run the client holds for want of rate budget says so on stderr. The client paces itself on
// the gateway's inin-ratelimit-* headers, so a test run past the budget sends no request that a
// 429 would refuse (and no retry notice is said): it waited for the window to reset, up to a
// minute against Genesys's 300 a minute, with its log silent after "running N calls".
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pacedNotice } from '../../src/cli/target.js';
import { Pacer } from '../../src/genesys/ratelimit.js';
import { runCliInProcess } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { faqBehindRateLimit, REFUND_TEST } from './evals-support.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

describe('a hold for want of rate budget', () => {
  it('is said once per window, by the first request held, with the wait and the budget', async () => {
    let now = 0;
    const holds: Array<{ waitMs: number; allowed?: number }> = [];
    const pacer = new Pacer(() => now, (h) => holds.push(h));
    // The server's answer: 3 a window, all used, the window resets in 2.5 s.
    pacer.observe({ 'inin-ratelimit-allowed': '3', 'inin-ratelimit-count': '3', 'inin-ratelimit-reset': '2.5' });
    // Time moves to just past the reset as soon as anyone waits.
    const sleep = async (): Promise<void> => {
      now = Math.max(now, 2600);
    };
    const request = (): Promise<void> => pacer.acquire(sleep).then(() => pacer.done());
    // Three requests wait for the same reset: one hold, said once.
    await Promise.all([request(), request(), request()]);
    expect(holds).toEqual([{ waitMs: 2500, allowed: 3 }]);
    expect(pacedNotice(holds[0]!)).toBe('rate limit: the target allows 3 requests a window, all used; waiting 2.5 s for the next window');
  });

  it('is printed while a test run waits for the window to reset', async () => {
    dir = await tempDir('promptctl-test-paced-');
    // Three requests a window of 2.5 s: the run's reads of the target spend most of it, and its
    // four calls wait for the next window (the pacer learned the budget from the first answers).
    emu = await faqBehindRateLimit(dir.path, 3, 2500);
    await writeFile(join(dir.path, 'prompts', 'tests', 'refund.yaml'), REFUND_TEST);
    const r = await runCliInProcess(['test', '--repeat', '4', '--no-cache'], { cwd: dir.path, env: emu.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^rate limit: the target allows 3 requests a window, all used; waiting \d+\.\d s for the next window$/m);
    // Said before the calls it held finished.
    expect(r.stderr.indexOf('rate limit:')).toBeLessThan(r.stderr.indexOf('✓ faq-refund'));
  });
});
