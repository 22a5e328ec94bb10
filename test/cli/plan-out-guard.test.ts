// `plan --out` is read-only everywhere else: a slip of the path must not replace the emulator's
// state, the audit trail or a prompt document (a review wiped the embedded org this way, exit 0).
// What is not a plan is refused before anything is read; a plan of an earlier run is replaced.
import { existsSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess, cleanEnv } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  await s.close();
});

describe('plan --out', () => {
  it('refuses to replace a file that is not a plan (the audit trail, a prompt document), changing nothing', async () => {
    const audit = join(s.dir.path, '.promptctl/audit.jsonl');
    const doc = join(s.dir.path, 'prompts/safety-filters.yaml');
    const before = [await readFile(audit, 'utf8'), await readFile(doc, 'utf8')];
    const r1 = await s.cli(['plan', '--out', '.promptctl/audit.jsonl']);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/--out \.promptctl\/audit\.jsonl exists and is not a promptctl plan: refusing to replace it/);
    expect(r1.stdout).toBe('');
    const r2 = await s.cli(['plan', '--out', 'prompts/safety-filters.yaml']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/--out prompts\/safety-filters\.yaml is in the prompts directory prompts, where it would be read as a YAML document/);
    const r3 = await s.cli(['plan', '--out', 'prompts/new-plan.yml']);
    expect(r3.code).toBe(1);
    expect([await readFile(audit, 'utf8'), await readFile(doc, 'utf8')]).toEqual(before);
    // Through a link to the prompts directory too.
    await symlink('prompts', join(s.dir.path, 'pl'));
    const linked = await s.cli(['plan', '--out', 'pl/plan.yaml']);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toMatch(/--out pl\/plan\.yaml is in the prompts directory prompts/);
    const r4 = await s.cli(['plan', '--out', 'prompts']);
    expect(r4.code).toBe(1);
    expect(r4.stderr).toMatch(/--out prompts is a directory/);
  });

  it('replaces a plan of an earlier run, and an empty file', async () => {
    expect((await s.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const again = await s.cli(['plan', '--out', 'plan.json']);
    expect(again.code, again.stderr).toBe(0);
    await writeFile(join(s.dir.path, 'empty.json'), '');
    expect((await s.cli(['plan', '--out', 'empty.json'])).code).toBe(0);
    expect(JSON.parse(await readFile(join(s.dir.path, 'empty.json'), 'utf8')).formatVersion).toBeTypeOf('number');
  });

  it('leaves the embedded emulator\'s state alone', async () => {
    const env = cleanEnv();
    const first = await runCliInProcess(['apply', '--auto-approve'], { cwd: s.dir.path, env });
    expect(first.code, first.stderr).toBe(0);
    const state = join(s.dir.path, '.promptctl/local-state.json');
    const held = await readFile(state, 'utf8');
    const r = await runCliInProcess(['plan', '--out', '.promptctl/local-state.json'], { cwd: s.dir.path, env });
    expect(r.code).toBe(1);
    expect(await readFile(state, 'utf8')).toBe(held);
    expect((await runCliInProcess(['plan', '--detailed-exitcode'], { cwd: s.dir.path, env })).code).toBe(0);
  });

  // "-" is stdin for show - and apply -: a file of that name is one apply - would never read (it
  // reads stdin), though plan said to apply it with `promptctl apply -`. Refused before anything is
  // read, saying how to pipe a plan; ./- still names a file.
  it('refuses "-", which names stdin to apply - and show -, saying how to pipe the plan', async () => {
    const r = await s.cli(['plan', '--out', '-']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --out - would write a file named "-", which `promptctl apply -` does not read (it reads the plan from stdin): pipe the plan with `promptctl plan --format json | promptctl apply - --auto-approve`, or give a file name (plan.json); ./- writes a file named -');
    expect(r.stdout).toBe('');
    expect(existsSync(join(s.dir.path, '-'))).toBe(false);
    const dotted = await s.cli(['plan', '--out', './-']);
    expect(dotted.code, dotted.stderr).toBe(0);
    expect(existsSync(join(s.dir.path, '-'))).toBe(true);
  });

  it('refuses a path that cannot take the file (a device, a path through a file) before the plan is made', async () => {
    const device = await s.cli(['plan', '--out', '/dev/null']);
    expect(device.code).toBe(1);
    expect(device.stderr).toMatch(/^error: --out \/dev\/null is not a regular file \(a device, pipe or socket\), and a saved plan is a file apply reads back: give a file path \(plan\.json, say\)/m);
    // Refused before the plan: none was shown (it was, and then the write failed).
    expect(device.stdout).toBe('');
    await writeFile(join(s.dir.path, 'notes.txt'), 'mine\n');
    const through = await s.cli(['plan', '--out', 'notes.txt/plan.json']);
    expect(through.code).toBe(1);
    expect(through.stderr).toMatch(/^error: --out notes\.txt\/plan\.json cannot be written: part of its path is a file, not a directory/m);
    expect(through.stdout).toBe('');
    expect(await readFile(join(s.dir.path, 'notes.txt'), 'utf8')).toBe('mine\n');
  });
});
