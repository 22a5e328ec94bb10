// A plan shown only as text records no org (no view of it shows one), so it does not ask the
// target who it is: one request fewer on every text plan. A plan that is saved or shown as JSON
// still records the org it was made for, and so does apply, planning as text, in its audit.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('the org a plan is made for', () => {
  it('is asked for only by a plan that records it', async () => {
    s = await scenario();
    const requests = () => s!.emu.emulator.stats().requests;

    const applied = await s.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const audit = (await readFile(join(s.dir.path, '.promptctl', 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { org?: { id?: unknown } | null });
    expect(audit.length).toBeGreaterThan(0);
    for (const r of audit) expect(r.org?.id).toEqual(expect.any(String));

    let before = requests();
    const text = await s.cli(['plan']);
    expect(text.code, text.stderr).toBe(0);
    const textRequests = requests() - before;

    before = requests();
    const json = await s.cli(['plan', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const jsonRequests = requests() - before;

    expect(jsonRequests - textRequests).toBe(1);
    const plan = JSON.parse(json.stdout) as Plan;
    expect(plan.org?.id).toBe(audit[0]!.org!.id);
  });
});
