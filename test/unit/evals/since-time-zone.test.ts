// `--since` with a date-time that names no offset: read as UTC like a date alone (and like every
// timestamp the API speaks), so the window sent does not depend on the machine's time zone.
import { afterEach, describe, expect, it } from 'vitest';
import { parseSince } from '../../../src/evals/stats.js';

const saved = process.env.TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

describe('--since without an offset', () => {
  const now = Date.parse('2025-06-10T12:00:00.400Z');
  for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
    it(`is the same instant in ${tz}`, () => {
      process.env.TZ = tz;
      expect(parseSince('2025-06-01', now).start).toBe(Date.parse('2025-06-01T00:00:00Z'));
      expect(parseSince('2025-06-01T00:00', now).start).toBe(Date.parse('2025-06-01T00:00:00Z'));
      expect(parseSince('2025-06-01T10:30:15.5', now).start).toBe(Date.parse('2025-06-01T10:30:15.500Z'));
      // An explicit offset is kept.
      expect(parseSince('2025-06-01T10:00+02:00', now).start).toBe(Date.parse('2025-06-01T08:00:00Z'));
    });
  }
});
