// The `audit head:` line at the end of an apply (DESIGN §5: the anchor `audit verify --head`
// takes). An apply refused before any change (nothing to do, declined, a stale saved plan, a mass
// delete) printed it as an apply that wrote records does; it now says the trail's head is
// unchanged, this run having written no record, and an apply that wrote one (a change, or an
// earlier run's open record settled) prints the plain anchor of its last record.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { appliedPromptSet, applyDyingAtItsIntents, trailOf } from '../helpers/killed-run.js';
import type { TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
beforeEach(async () => {
  ({ emu, dir } = await appliedPromptSet('promptctl-audit-head-', { templates: 1, versions: 1, filters: 1 }));
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});

const cli = (args: string[], opts: { input?: string; tty?: boolean } = {}) => runCliInProcess(args, { cwd: dir.path, env: emu.env, ...opts });

/** The trail's last record as an anchor, SEQ:HASH. */
async function trailHead(): Promise<string> {
  const last = JSON.parse((await readFile(trailOf(dir), 'utf8')).trimEnd().split('\n').at(-1)!) as { seq: number; hash: string };
  return `${last.seq}:${last.hash}`;
}

/** The `audit head` lines an apply printed. */
const headLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('audit head'));

const unchanged = (anchor: string): string[] => [`audit head: ${anchor} (unchanged: this run wrote no records)`];

/** Changes the filter's tolerance in git: a plan with one update. */
async function editFilter(): Promise<void> {
  const file = join(dir.path, 'prompts', 'safety-filters.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('falsePositiveTolerance: 0.05', 'falsePositiveTolerance: 0.1'));
}

describe('the audit head an apply prints', () => {
  it('says the head is unchanged when there was nothing to do', async () => {
    const before = await trailHead();
    const r = await cli(['apply', '--auto-approve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('No changes.');
    expect(await trailHead()).toBe(before);
    expect(headLines(r.stderr)).toEqual(unchanged(before));
  });

  it('says the head is unchanged when the apply is declined at the question', async () => {
    await editFilter();
    const before = await trailHead();
    const r = await cli(['apply'], { input: 'no\n', tty: true });
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toContain('Apply cancelled; nothing was changed.');
    expect(await trailHead()).toBe(before);
    expect(headLines(r.stderr + r.stdout)).toEqual(unchanged(before));
  });

  it('says the head is unchanged when a saved plan is refused as stale', async () => {
    await editFilter();
    expect((await cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const [live] = await emu.api.listFilters();
    await emu.api.updateFilter(live!.id, { ...live!, description: 'changed by hand', version: live!.version });
    const before = await trailHead();
    const r = await cli(['apply', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('plan.json is stale');
    expect(await trailHead()).toBe(before);
    expect(headLines(r.stderr)).toEqual(unchanged(before));
  });

  it('says the head is unchanged when a mass delete is refused', async () => {
    await rm(join(dir.path, 'prompts', 'templates'), { recursive: true });
    await rm(join(dir.path, 'prompts', 'safety-filters.yaml'));
    const before = await trailHead();
    const r = await cli(['apply', '--auto-approve', '--prune']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was applied');
    expect(await trailHead()).toBe(before);
    expect(headLines(r.stderr)).toEqual(unchanged(before));
  });

  it('prints none when another apply holds the lock: the trail was not opened', async () => {
    await mkdir(join(dir.path, '.promptctl'), { recursive: true });
    await writeFile(join(dir.path, '.promptctl', 'apply.lock'), JSON.stringify({ pid: process.pid, hostname: hostname(), createdAt: '2026-12-05T10:00:00.000Z', token: 'someone-else' }));
    const r = await cli(['apply', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('another apply with this audit trail is running');
    expect(headLines(r.stderr)).toEqual([]);
  });

  it('prints the new head when the run wrote records: a change, or an earlier run settled before a refusal', async () => {
    await editFilter();
    expect((await cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    await applyDyingAtItsIntents(emu, dir);
    const [live] = await emu.api.listFilters();
    await emu.api.updateFilter(live!.id, { ...live!, description: 'changed by hand', version: live!.version });
    const before = await trailHead();
    const refused = await cli(['apply', 'plan.json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('from an earlier run: not applied');
    const settled = await trailHead();
    expect(settled).not.toBe(before);
    expect(headLines(refused.stderr)).toEqual([`audit head: ${settled}`]);

    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const after = await trailHead();
    expect(after).not.toBe(settled);
    expect(headLines(applied.stderr)).toEqual([`audit head: ${after}`]);
  });
});
