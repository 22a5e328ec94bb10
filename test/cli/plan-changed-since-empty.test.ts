// `plan --changed-since` with an empty or blank ref: before, "" planned everything (as if the flag
// were not given) and "  " reached git only after the target was read. Both are a usage error now,
// naming the flag, before the target (or git) is asked anything.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
});
afterEach(async () => {
  await s.close();
});

describe('plan --changed-since with no ref', () => {
  for (const args of [['--changed-since', ''], ['--changed-since='], ['--changed-since', '  ']]) {
    it(`refuses ${JSON.stringify(args.join(' '))}`, async () => {
      const r = await s.cli(['plan', ...args]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^error: --changed-since: ".*" is not a git ref$/m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
      expect(s.emu.emulator.stats().requests).toBe(0);
    });
  }
});
