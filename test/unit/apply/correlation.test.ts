// The correlation tracker (apply/correlation.ts) carries, per plan action, whether a write of it
// was found applied by a settling read, its answer lost (the transport's onFoundByRead): the
// executor records such a success as `confirmedBy: "read"`. Actions run at once keep theirs apart.
import { describe, expect, it } from 'vitest';
import { createCorrelationTracker } from '../../../src/apply/correlation.js';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

describe('createCorrelationTracker: found by read', () => {
  it('is set for the action whose call a read settled, not for one running beside it, and kept when the action then fails', async () => {
    const t = createCorrelationTracker();
    const [read, answered, failed] = await Promise.all([
      t.collect(async () => {
        await tick();
        t.note({ correlationId: 'c1', method: 'PUT', foundByRead: true });
        return 1;
      }),
      t.collect(async () => {
        await tick();
        t.note({ correlationId: 'c2', method: 'PUT', status: 200 });
        return 2;
      }),
      t.collect(async () => {
        t.note({ correlationId: 'c3', method: 'POST', foundByRead: true });
        await tick();
        throw new Error('publish refused');
      }),
    ]);
    // Changed, as an answered write is: a later call of the action failing leaves it midway (a review).
    expect(read).toMatchObject({ ok: true, value: 1, correlationId: 'c1', foundByRead: true, changed: true });
    expect(answered).toMatchObject({ ok: true, value: 2, correlationId: 'c2', foundByRead: false, changed: true });
    expect(failed).toMatchObject({ ok: false, correlationId: 'c3', foundByRead: true, changed: true });
  });

  it('is a no-op outside an action', async () => {
    const t = createCorrelationTracker();
    t.note({ correlationId: 'c0', method: 'PUT', foundByRead: true });
    expect(await t.collect(async () => 0)).toMatchObject({ foundByRead: false, correlationId: null });
  });
});
