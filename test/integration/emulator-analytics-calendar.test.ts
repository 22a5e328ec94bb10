// The analytics query refuses an interval naming a day the calendar lacks (30 February, 31 April)
// with 400 invalid.value, as it refuses any other invalid date, instead of rolling it into the next
// month (which Date.parse does) and answering for a window nobody asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/genesys/errors.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});

describe('analytics interval dates', () => {
  it('accepts real days, refuses days the month lacks', async () => {
    await expect(emu.api.queryAnalytics({ interval: '2024-02-29T00:00:00Z/2024-03-01T00:00:00Z', metrics: ['nInvocations'] })).resolves.toEqual({ results: [] });
    for (const interval of ['2025-02-30T00:00:00Z/2025-03-05T00:00:00Z', '2025-04-01T00:00:00Z/2025-04-31T00:00:00Z']) {
      const err = await emu.api.queryAnalytics({ interval, metrics: ['nInvocations'] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, interval).toBeInstanceOf(ApiError);
      expect((err as ApiError).status, interval).toBe(400);
      expect((err as ApiError).code, interval).toBe('invalid.value');
    }
  });
  it('says an interval that ends when it starts is empty, not that it ends before it starts (a review)', async () => {
    const said = async (interval: string) => ((await emu.api.queryAnalytics({ interval, metrics: ['nInvocations'] }).then(() => undefined, (e: unknown) => e)) as ApiError).message;
    expect(await said('2025-03-01T00:00:00Z/2025-03-01T00:00:00Z')).toMatch(/is empty: it ends when it starts/);
    expect(await said('2025-03-02T00:00:00Z/2025-03-01T00:00:00Z')).toMatch(/ends before it starts/);
  });
});
