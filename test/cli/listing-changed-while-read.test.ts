// A listing that changes while plan or export reads it, page by page (another apply's prune, a
// person creating a template between two page reads): promptctl reads it again from page 1 and
// plans from a read its pages agree on, or refuses after a few reads; never from a torn read,
// which lost a live template (planned as a create, exported as missing) and kept a deleted one.
// A delete and a create between two pages cancel out in every count one read has: export reads
// the listings again after its read and writes only when both agree; plan still reads each once.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptedProxy, type Seen } from '../helpers/interrupt.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { promptsIn, type TempDir } from '../helpers/tmp.js';
import { plannedChanges } from '../helpers/scenario.js';

const open: Array<{ close(): Promise<unknown> } | TempDir> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await ('remove' in x ? x.remove() : x.close());
});

const name = (i: number) => `tpl-${String(i).padStart(5, '0')}`;

/** A project of `n` templates, applied to a fresh emulator. */
async function appliedOrg(n: number): Promise<{ emu: TestEmulator; dir: TempDir }> {
  const docs = Array.from({ length: n }, (_, i) => `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: ${name(i)}\nspec:\n  model: gpt-4o\n`);
  const dir = await promptsIn('listing-changed-', { 'templates.yaml': docs.join('---\n') }, 'prompts');
  const emu = await startTestEmulator({ rateLimit: 1_000_000 });
  open.push(emu, dir);
  const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(applied.code, applied.stderr).toBe(0);
  return { emu, dir };
}

const isPage2 = (r: Seen) => r.method === 'GET' && r.path.endsWith('/prompttemplates') && r.query.get('pageNumber') === '2';

/** A proxy that runs `change` on the org (once, or every time) before it passes on a request for page 2 of the template listing. */
async function changingBeforePage2(emu: TestEmulator, change: () => Promise<unknown>, every = false) {
  let done = false;
  const p = await scriptedProxy(emu.url, async (r) => {
    if (isPage2(r) && (every || !done)) {
      done = true;
      await change();
    }
    return 'forward' as const;
  });
  open.push(p);
  return p;
}

const idOf = async (emu: TestEmulator, n: string) => (await emu.api.listTemplates()).find((t) => t.name === n)!.id;

describe('a listing that changes while it is read', () => {
  it('plan reads it again: a template deleted between page 1 and 2 is planned as a create, and none that lives', async () => {
    const { emu, dir } = await appliedOrg(150);
    const victim = await idOf(emu, name(0));
    const p = await changingBeforePage2(emu, () => emu.api.deleteTemplate(victim));
    const plan = await runCliInProcess(['plan'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: p.url } });
    expect(plan.code, plan.stderr).toBe(0);
    // tpl-00100 moved to page 1 after page 1 was read: the torn read planned it as a create.
    expect(plannedChanges(plan.stdout)).toEqual([`create PromptTemplate/${name(0)}`]);
    // Read twice from page 1.
    expect(p.seen.filter((r) => r.path.endsWith('/prompttemplates') && r.query.get('pageNumber') === '1').length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('plan misses no template when one is created between the pages', async () => {
    const { emu, dir } = await appliedOrg(200);
    const p = await changingBeforePage2(emu, () => emu.api.createTemplate({ name: 'aaa-colleague', model: 'gpt-4o' }));
    const plan = await runCliInProcess(['plan'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: p.url } });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plannedChanges(plan.stdout)).toEqual([]);
  }, 60_000);

  it('export writes the live templates, not a deleted one, so a prune of its directory deletes nothing live', async () => {
    const { emu, dir } = await appliedOrg(150);
    const victim = await idOf(emu, name(0));
    const p = await changingBeforePage2(emu, () => emu.api.deleteTemplate(victim));
    const env = { ...emu.env, GENESYSCLOUD_API_URL: p.url };
    const exported = await runCliInProcess(['export', '--out', 'ex'], { cwd: dir.path, env });
    expect(exported.code, exported.stderr).toBe(0);
    const files = (await readdir(join(dir.path, 'ex'), { recursive: true })).join('\n');
    expect(files).toContain(name(100));
    expect(files).not.toContain(name(0));
    const prune = await runCliInProcess(['plan', '--dir', 'ex', '--prune'], { cwd: dir.path, env: emu.env });
    expect(prune.code, prune.stderr).toBe(0);
    expect(plannedChanges(prune.stdout).filter((c) => c.startsWith('delete'))).toEqual([]);
  }, 60_000);

  it('export reads the org again: a delete and a create between two pages, which cancel out in the counts, write the live templates', async () => {
    const { emu, dir } = await appliedOrg(150);
    const victim = await idOf(emu, name(0));
    // The listing's total and its distinct entities still agree: only a second read shows the first was torn.
    const p = await changingBeforePage2(emu, async () => {
      await emu.api.deleteTemplate(victim);
      await emu.api.createTemplate({ name: 'zzz-colleague', model: 'gpt-4o' });
    });
    const env = { ...emu.env, GENESYSCLOUD_API_URL: p.url };
    const exported = await runCliInProcess(['export', '--out', 'ex'], { cwd: dir.path, env });
    expect(exported.code, exported.stderr).toBe(0);
    const files = (await readdir(join(dir.path, 'ex'), { recursive: true })).join('\n');
    expect(files).toContain(name(100));
    expect(files).toContain('zzz-colleague');
    expect(files).not.toContain(name(0));
    const prune = await runCliInProcess(['plan', '--dir', 'ex', '--prune'], { cwd: dir.path, env: emu.env });
    expect(prune.code, prune.stderr).toBe(0);
    expect(plannedChanges(prune.stdout)).toEqual([]);
  }, 60_000);

  it('export fails before writing anything when the org changes between each of its reads', async () => {
    const { emu, dir } = await appliedOrg(150);
    let n = 0;
    // Each read's pages agree, each read holds other templates than the one before.
    const p = await changingBeforePage2(
      emu,
      async () => {
        const first = (await emu.api.listTemplates()).map((t) => t.name).sort()[0]!;
        await emu.api.deleteTemplate(await idOf(emu, first));
        await emu.api.createTemplate({ name: `zzz-busy-${n++}`, model: 'gpt-4o' });
      },
      true,
    );
    const exported = await runCliInProcess(['export', '--out', 'ex'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: p.url } });
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(/error: the org changed while it was exported: its prompt templates listed other objects right after each of 3 reads of it \(another apply or a person is changing it\); nothing was written; run again/);
    expect(await readdir(join(dir.path, 'ex')).catch(() => [])).toEqual([]);
  }, 60_000);

  it('plan reads each listing once when nothing changes', async () => {
    const { emu, dir } = await appliedOrg(150);
    const p = await scriptedProxy(emu.url, () => 'forward' as const);
    open.push(p);
    const plan = await runCliInProcess(['plan'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: p.url } });
    expect(plan.code, plan.stderr).toBe(0);
    const listings = p.seen.filter((r) => r.method === 'GET' && r.query.has('pageNumber'));
    const asked = listings.map((r) => `${r.path}?${r.query.get('pageNumber')}`);
    expect(asked.filter((a) => a.endsWith('/prompttemplates?1'))).toHaveLength(1);
    expect(asked.filter((a) => a.endsWith('/prompttemplates?2'))).toHaveLength(1);
    expect(new Set(asked).size).toBe(asked.length);
  }, 60_000);

  it('plan refuses a listing that changes under every read, after three, saying so', async () => {
    const { emu, dir } = await appliedOrg(150);
    let n = 0;
    const p = await changingBeforePage2(emu, () => emu.api.createTemplate({ name: `aaa-busy-${n++}`, model: 'gpt-4o' }), true);
    const plan = await runCliInProcess(['plan'], { cwd: dir.path, env: { ...emu.env, GENESYSCLOUD_API_URL: p.url } });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toBe('');
    expect(plan.stderr).toMatch(/GET \/api\/v2\/llmgateway\/prompttemplates: the org's listing changed while it was read, 3 times in a row \(another apply or a person is changing it\)[^\n]*run again/);
    expect(n).toBe(3);
  }, 60_000);
});
