// `promptctl show PLANFILE` prints what the file says of itself (its id, when it was made, its
// target, the commit and branch): a file anyone can write must not drive the terminal with them.
// None of these is sealed (the fingerprint covers what apply acts on), so an edit needs no reseal;
// nor what an action shows beside its diff (its token line's model, its text fields' names), which
// anyone can reseal.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planFingerprint } from '../../src/plan/fingerprint.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('promptctl show of a file whose own fields hold control characters', () => {
  it('prints them as escapes, on stdout and stderr', async () => {
    s = await scenario();
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const path = join(s.dir.path, 'plan.json');
    const plan = JSON.parse(await readFile(path, 'utf8'));
    plan.target = 'made \u001b[2J\u001b]0;pwned\u0007 here';
    plan.id = 'plan\u001b[31m';
    plan.createdAt = 'today\u001b[0m';
    plan.git = { commit: 'abc\u001b[1m', branch: 'main\u001b[5m' };
    await writeFile(path, JSON.stringify(plan, null, 2));

    const r = await s.cli(['show', 'plan.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007]/);
    expect(r.stdout.split('\n')[0]).toBe('Plan for made \\u001b[2J\\u001b]0;pwned\\u0007 here · commit abc\\u001b[1m on main\\u001b[5m');
    expect(r.stderr).toContain('plan.json: plan plan\\u001b[31m for made \\u001b[2J');
    expect(r.stderr).toContain('made today\\u001b[0m');
  });

  it('prints an action\'s token model and text field names as escapes', async () => {
    s = await scenario();
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const path = join(s.dir.path, 'plan.json');
    const plan = JSON.parse(await readFile(path, 'utf8'));
    const version = plan.actions.find((a: { address: string }) => a.address === 'PromptVersion/billing-assistant@1.0.0');
    version.tokens.model = 'gpt\u001b[2J';
    version.text[0].field = 'system\u001b]0;pwned\u0007Instruction';
    plan.fingerprint = planFingerprint(plan);
    await writeFile(path, JSON.stringify(plan, null, 2));

    const r = await s.cli(['show', 'plan.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\u0007]/);
    expect(r.stdout).toContain('(gpt\\u001b[2J)');
    expect(r.stdout).toContain('system\\u001b]0;pwned\\u0007Instruction:');
  });

  it("keeps a problem's, a warning's and a left-alone object's words on their lines, bidi controls escaped", async () => {
    s = await scenario();
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const path = join(s.dir.path, 'plan.json');
    const plan = JSON.parse(await readFile(path, 'utf8'));
    plan.problems = [{ address: 'PromptTemplate/billing-assistant', rule: 'x/y\n+ create', message: 'bad\n  + create PromptTemplate/forged\r\u202eevil' }];
    plan.warnings = [{ address: 'PromptTemplate/billing-assistant', rule: 'w/x', message: 'warn\nforged warning' }];
    plan.unmanaged = [{ address: 'PromptTemplate/other', reason: 'not ours\nPlan: 0 to create, 0 to update, 0 to delete.' }];
    plan.fingerprint = planFingerprint(plan);
    await writeFile(path, JSON.stringify(plan, null, 2));

    const r = await s.cli(['show', 'plan.json']);
    expect(r.code, r.stderr).toBe(1); // a plan with a problem
    expect(r.stdout).not.toMatch(/[\r\u202e]/);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^\s*(\+ create PromptTemplate\/forged|\+ create\]|forged warning|Plan: 0 to create)/.test(l))).toEqual([]);
    expect(r.stdout).toContain('    bad\\n  + create PromptTemplate/forged\\r\\u202eevil');
    expect(r.stdout).toContain('[x/y\\n+ create]');
    expect(r.stdout).toContain('    warn\\nforged warning');
    expect(r.stdout).toContain('— not ours\\nPlan: 0 to create');
  });
});
