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
});
