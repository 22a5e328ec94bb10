// Findings from the trust review, each replayed: CRLF files are the same prompts; a saved plan
// whose live id was edited (and its fingerprint recomputed) cannot steer a write elsewhere; an
// interrupted apply finishes what is in flight, records it and exits 130.
import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planFingerprint } from '../../src/plan/fingerprint.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { scenario, type Scenario } from '../helpers/scenario.js';
import { generatePromptSet } from '../../bench/generate.mjs';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

describe('trust findings', () => {
  it('CRLF line endings change nothing: no published version becomes an immutable conflict', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    for (const f of await walk(join(s.dir.path, 'prompts'))) {
      await writeFile(f, (await readFile(f, 'utf8')).replace(/\r?\n/g, '\r\n'));
    }
    const r = await s.cli(['plan', '--detailed-exitcode']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('No changes.');
  });

  it('refuses a saved plan whose live id was edited and fingerprint recomputed, naming the replaced id', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    await s.edit('prompts/billing/billing-assistant.yaml', '      weight: 20', '      weight: 30');
    await s.edit('prompts/billing/billing-assistant.yaml', '      weight: 80', '      weight: 70');
    expect((await s.cli(['plan', '--out', 'plan.json', '--detailed-exitcode'])).code).toBe(2);
    const path = join(s.dir.path, 'plan.json');
    const plan = JSON.parse(await readFile(path, 'utf8'));
    const split = plan.actions.find((a: { address: string }) => a.address === 'TrafficSplit/billing-assistant');
    const other = (await s.emu.api.listTemplates()).find((t) => t.name !== 'billing-assistant')!;
    const before = await s.emu.api.getTraffic(other.id);
    split.liveId = other.id; // steer the write to another template's split
    plan.fingerprint = planFingerprint(plan);
    await writeFile(path, JSON.stringify(plan, null, 2));
    const r = await s.cli(['apply', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`TrafficSplit/billing-assistant: the live object was replaced since the plan (id ${other.id} → `);
    expect(r.stderr).toMatch(/nothing was applied/);
    expect(await s.emu.api.getTraffic(other.id)).toEqual(before);
  });

  it('on SIGINT finishes the calls in flight, records them, says what was not done, and exits 130', { timeout: 60_000 }, async () => {
    s = await scenario('basic', { latencyMs: 40 });
    await generatePromptSet(join(s.dir.path, 'prompts'), { templates: 30, versions: 1 });
    const child = spawn(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd: s.dir.path, env: cleanEnv(s.emu.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    let signalled = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // Interrupt once a few changes are done.
      if (!signalled && (stderr.match(/ created /g) ?? []).length >= 5) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(signalled).toBe(true);
    expect(code, stderr.slice(-2000)).toBe(130);
    expect(stderr).toMatch(/interrupted: finishing the calls in flight/);
    // Where the interrupt lands is the machine's timing: a version whose create was in flight stays
    // a Draft (partly done), which the next apply below finishes.
    expect(stderr).toMatch(/^Apply interrupted: \d+ created, 0 updated, 0 deleted; 0 failed, (?:\d+ partly done, )?\d+ not started\.$/m);
    expect(stderr).toMatch(/^audit head: \d+:[0-9a-f]{64}$/m);
    // Every call that was made is on record, and no intent is left open.
    expect(await verifyAuditFile(join(s.dir.path, '.promptctl/audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
    // The next apply picks up where this one stopped.
    const again = await s.cli(['apply', '--auto-approve']);
    expect(again.code, again.stderr).toBe(0);
    expect((await s.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
    void stdout;
  });
});
