// A text plan shows no guard and no fingerprint, so it is planned unsealed (unchanged objects
// compared without their hash: the cost of planning a large unchanged org); every document that
// shows the seal (plan --out, --format json and markdown) still carries every guard's hash and a
// fingerprint that holds, and apply of a saved file still checks it against a fresh plan.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planFingerprint } from '../../src/plan/fingerprint.js';
import type { Plan } from '../../src/plan/types.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('a plan with nothing to change', () => {
  it('is shown as text, and written sealed with every guard hashed', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);

    const text = await s.cli(['plan', '--detailed-exitcode']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No changes');

    const json = await s.cli(['plan', '--format', 'json', '--out', 'plan.json']);
    expect(json.code).toBe(0);
    const shown = JSON.parse(json.stdout) as Plan;
    const saved = JSON.parse(await readFile(join(s.dir.path, 'plan.json'), 'utf8')) as Plan;
    for (const plan of [shown, saved]) {
      expect(plan.actions.length).toBeGreaterThan(0);
      for (const a of plan.actions) {
        expect(a.action).toBe('noop');
        expect(a.action !== 'create' && a.guard.hash, a.address).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(plan.fingerprint).toBe(planFingerprint(plan));
    }

    const md = await s.cli(['plan', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`fingerprint ${saved.fingerprint.slice(0, 16)}`);

    const applied = await s.cli(['apply', '--auto-approve', 'plan.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('still current');
  });
});
