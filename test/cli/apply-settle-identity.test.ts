// Settling an interrupted run tells objects apart by id, not by name: a delete that landed before
// the kill, its name since given to a new object by hand, is recorded as landed (never as "not
// applied" with the new object's content); a write followed by someone else's is unknown, since
// ours may have landed before theirs. The killed run is simulated (its intents durable, each call
// then made by the test as it would have landed); the runs after it are in-process.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { runCliInProcess } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { appliedPromptSet, applyDyingAtItsIntents, trailOf } from '../helpers/killed-run.js';
import type { TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
beforeEach(async () => {
  ({ emu, dir } = await appliedPromptSet('promptctl-settle-identity-', { templates: 16, versions: 1, filters: 1 }));
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});

const trail = () => trailOf(dir);

interface Line {
  seq: number;
  format: number;
  type: string;
  address: string;
  action: string;
  outcome: string | null;
  intent?: number;
  resourceId: string | null;
  before: { version: unknown } | null;
  after: { content: Record<string, unknown> } | null;
  error?: string;
  recoveredBy?: unknown;
}
const records = async (): Promise<Line[]> => (await readFile(trail(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Line);


describe('settling an interrupted run by id', () => {
  it('a pruned template whose delete landed, its name since taken by a template made by hand: the delete succeeded, the new template is not its after', async () => {
    const old = (await emu.api.listTemplates({ name: 'tpl-00015' }))[0]!;
    await rm(join(dir.path, 'prompts', 'templates', 'tpl-00015.yaml'));
    await applyDyingAtItsIntents(emu, dir, { prune: true });
    // The delete landed before the kill; then someone made a template of that name by hand.
    await emu.api.deleteTemplate(old.id);
    const byHand = await emu.api.createTemplate({ name: 'tpl-00015', model: 'gpt-4o', description: 'made by hand', labels: {} });

    const rerun = await runCliInProcess(['apply', '--prune', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('audit: PromptTemplate/tpl-00015 from an earlier run: succeeded (recovered)');
    const all = await records();
    const intent = all.find((r) => r.type === 'intent' && r.address === 'PromptTemplate/tpl-00015' && r.action === 'delete')!;
    const settled = all.filter((r) => r.intent === intent.seq);
    expect(settled).toEqual([
      expect.objectContaining({ outcome: 'succeeded (recovered)', action: 'delete', resourceId: old.id, after: null, error: `the object (id ${old.id}) is gone; a new object (id ${byHand.id}) holds its name now, made since` }),
    ]);
    // The template made by hand is not promptctl's: it stays.
    expect((await emu.api.listTemplates({ name: 'tpl-00015' })).map((t) => t.id)).toEqual([byHand.id]);
    expect(await verifyAuditFile(trail())).toMatchObject({ ok: true, pending: [], unknown: [] });
  });

  it.each([
    ['killed before its outcome', false],
    ['its run recorded its outcome as unknown', true],
  ])('a filter PUT that landed, then an edit by hand (%s): settled as unknown for good (ours may have landed before theirs), once', async (_, unknownOutcome) => {
    const file = join(dir.path, 'prompts', 'safety-filters.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('falsePositiveTolerance: 0.05', 'falsePositiveTolerance: 0.1'));
    await applyDyingAtItsIntents(emu, dir, { unknownOutcome });
    const live = (await emu.api.listFilters()).find((f) => f.name === 'filter-000')!;
    expect(live.version).toBe(1);
    const body = { name: live.name, enabled: live.enabled, priority: live.priority, categories: live.categories, action: live.action, thresholds: live.thresholds, labels: live.labels };
    // The PUT landed (version 1 → 2), the run was killed before its outcome; then someone edited the filter (→ 3).
    await emu.api.updateFilter(live.id, { ...body, falsePositiveTolerance: 0.1, version: 1 });
    await emu.api.updateFilter(live.id, { ...body, falsePositiveTolerance: 0.1, description: 'edited by hand', version: 2 });
    const intent = (await records()).find((r) => r.type === 'intent' && r.address === 'SafetyFilter/filter-000' && r.action === 'update')!;
    expect(intent.before?.version).toBe(1);
    expect(await verifyAuditFile(trail())).toMatchObject({ ok: true, unknown: unknownOutcome ? [intent.seq] : [] });

    const rerun = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(
      'audit: SafetyFilter/filter-000 from an earlier run: unknown (what was read cannot tell: the object was written since more often than this write alone would (version 1 → version 3): whether this write landed before the others cannot be told; check it by hand)\n',
    );
    const settled = (await records()).filter((r) => r.intent === intent.seq);
    // A recovery record: it names the run that settled it, and closes the intent.
    expect(settled.map((r) => r.outcome)).toEqual(unknownOutcome ? ['unknown', 'unknown'] : ['unknown']);
    expect(settled.at(-1)).toMatchObject({ format: 3, outcome: 'unknown', resourceId: live.id, after: { content: { description: 'edited by hand' } }, recoveredBy: { actor: expect.any(String), planId: expect.any(String) } });
    expect(await verifyAuditFile(trail())).toMatchObject({ ok: true, pending: [], unknown: [], settledUnknown: [{ intent: intent.seq, record: settled.at(-1)!.seq }] });

    // Settled: a later apply neither lists it nor writes anything of it.
    const again = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('from an earlier run');
    expect((await records()).filter((r) => r.intent === intent.seq)).toHaveLength(settled.length);

    // verify names it, who settled it, and promises no later settling.
    const verified = await runCliInProcess(['audit', 'verify'], { cwd: dir.path, env: emu.env });
    expect(verified.code, verified.stderr).toBe(0);
    const by = settled.at(-1)!.recoveredBy as { actor: string; planId: string };
    expect(verified.stderr).toBe(
      `note: intent ${intent.seq} (update SafetyFilter/filter-000): outcome unknown, settled as unknown by record ${settled.at(-1)!.seq} (${by.actor}, plan ${by.planId}): what that apply read could not tell whether the change landed (the record says why); check it by hand\n`,
    );
  });
});
