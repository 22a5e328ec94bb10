// The emulator's job timers: a job finishes once due on the emulator's clock, once per id, and
// settled() resolves when every job armed so far has finished (or been dropped by stop()).
import { describe, expect, it } from 'vitest';
import { JobTimers } from '../../../src/emulator/job-timers.js';

describe('JobTimers', () => {
  it('finishes a due job once, stamped with the clock, and settled() waits for the finish to end', async () => {
    const t0 = Date.parse('2030-01-01T00:00:00.000Z');
    const timers = new JobTimers(() => t0);
    const events: string[] = [];
    const finish = async (now: string): Promise<void> => {
      events.push(`start ${now}`);
      await Promise.resolve();
      events.push('end');
    };
    timers.arm('job-1', t0 - 1, finish);
    timers.arm('job-1', t0 - 1, finish); // already armed: no second timer
    await timers.settled();
    expect(events).toEqual(['start 2030-01-01T00:00:00.000Z', 'end']);
  });

  it('counts a failed finish as settled too', async () => {
    const timers = new JobTimers(Date.now);
    timers.arm('job-1', 0, () => Promise.reject(new Error('disk full')));
    await expect(timers.settled()).resolves.toBeUndefined();
  });

  it('stop() drops the jobs not yet due (they never finish), settles them, and arms nothing after', async () => {
    const now = Date.now();
    const timers = new JobTimers(() => now);
    const finished: string[] = [];
    timers.arm('later', now + 600_000, async () => void finished.push('later'));
    const settled = timers.settled();
    timers.stop();
    await settled;
    timers.arm('after-stop', now, async () => void finished.push('after-stop'));
    await timers.settled();
    expect(finished).toEqual([]);
  });
  it('does not finish a job beyond setTimeout\'s range at once (a delay over 2^31-1 ms)', async () => {
    const now = Date.now();
    const timers = new JobTimers(() => now);
    const finished: string[] = [];
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      timers.arm('far', now + 2 ** 31 + 60_000, async () => void finished.push('far'));
      await new Promise((r) => setTimeout(r, 100));
      expect(finished).toEqual([]);
      expect(warnings).toEqual([]);
    } finally {
      timers.stop();
      process.off('warning', onWarning);
    }
  });

  it('a timer that runs before its job is due on the clock (the clock was set back) waits for the rest', async () => {
    let offset = 0;
    const timers = new JobTimers(() => Date.now() + offset);
    const finished: string[] = [];
    timers.arm('job', Date.now() + 20, async () => void finished.push('job'));
    offset = -600_000; // the clock steps back ten minutes: the job is due ten minutes later
    await new Promise((r) => setTimeout(r, 100));
    expect(finished).toEqual([]);
    // stop() drops the timer armed again, too: nothing finishes after it, and settled() resolves.
    timers.stop();
    offset = 0;
    await timers.settled();
    await new Promise((r) => setTimeout(r, 50));
    expect(finished).toEqual([]);
  });
  it('a job that was not due when its timer ran finishes once it is', async () => {
    let offset = 0;
    const timers = new JobTimers(() => Date.now() + offset);
    const finishAt = Date.now() + 20;
    let at: string | undefined;
    timers.arm('job', finishAt, async (now) => void (at = now));
    offset = -30; // 30 ms behind: the timer runs 30 ms early by the clock
    await timers.settled();
    expect(Date.parse(at!)).toBeGreaterThanOrEqual(finishAt);
  });
});
