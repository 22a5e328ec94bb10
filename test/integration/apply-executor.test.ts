// The executor against a real emulator over HTTP: ordering, concurrency, stops, conflicts,
// priority swaps, audit records and convergence.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executePlan, type ApplyEvent } from '../../src/apply/executor.js';
import { openAuditLog, type AuditLog } from '../../src/audit/log.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { readLiveState } from '../../src/targets/live.js';
import type { DesiredState } from '../../src/model/types.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import { desiredState, filter, manyTemplates, split, template, version } from '../helpers/desired.js';
import { startTestEmulator, withEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { versionTokens } from '../../src/tokens/index.js';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { expectEachIntentSaysWhatItsCallMade } from '../helpers/intents.js';
import { toWire as versionWire } from '../../src/kinds/PromptVersion/index.js';

let emu: TestEmulator;
let dir: TempDir;
let audit: AuditLog;
let auditFile: string;

beforeEach(async () => {
  emu = await startTestEmulator();
  dir = await tempDir('promptctl-exec-');
  auditFile = join(dir.path, 'audit.jsonl');
  audit = await openAuditLog(auditFile, { env: {}, onWarning: () => undefined });
});
afterEach(async () => {
  await audit.close();
  await emu.close();
  await dir.remove();
});

let planSeq = 0;
async function plan(desired: DesiredState, prune = false): Promise<Plan> {
  const live = await readLiveState({ gateway: emu.api });
  planSeq += 1;
  return buildPlan(desired, live, {
    prune,
    target: 'test emulator',
    git: {},
    id: `plan-${planSeq}`,
    createdAt: new Date().toISOString(),
    tokens: versionTokens,
  });
}

function run(p: Plan, api: GatewayApi = emu.api, events?: ApplyEvent[], concurrency?: number) {
  return executePlan(p, api, {
    audit,
    correlations: createCorrelationTracker(), actor: 'Test Actor <test@example.com>',
    commit: 'c0ffee',
    ...(concurrency ? { concurrency } : {}),
    onProgress: (e) => events?.push(e),
  });
}

/** The outcome records (each follows its intent, written before the call). */
async function auditRecords(): Promise<Record<string, any>[]> {
  return (await allAuditRecords()).filter((r) => r.type === 'outcome');
}

async function allAuditRecords(): Promise<Record<string, any>[]> {
  const text = await readFile(auditFile, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** The real client, counting how many calls are in flight at once (still real HTTP). */
function counting(api: GatewayApi): { api: GatewayApi; max: () => number } {
  let inFlight = 0;
  let max = 0;
  const wrapped = new Proxy(api, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      // Not calls: closing, and what the rate limit has said so far (read as the executor begins templates).
      if (typeof v !== 'function' || prop === 'close') return v;
      if (prop === 'rateBudget') return v.bind(target);
      return async (...args: unknown[]) => {
        inFlight += 1;
        max = Math.max(max, inFlight);
        try {
          return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          inFlight -= 1;
        }
      };
    },
  });
  return { api: wrapped, max: () => max };
}

const basic = (): DesiredState =>
  desiredState({
    templates: [template('billing', { labels: { team: 'billing' } }), template('triage', { model: 'gpt-4o-mini' })],
    versions: [version('billing', '1.0.0'), version('billing', '1.1.0'), version('triage', '2.0.0')],
    splits: [split('billing', [['1.0.0', 70], ['1.1.0', 30]]), split('triage', [['2.0.0', 100]])],
    filters: [filter('pii-guard', 10), filter('old-guard', 20, { enabled: false })],
  });

describe('executePlan', () => {
  it('applies a fresh plan in dependency order and a re-plan is empty', async () => {
    const p = await plan(basic());
    const todo = p.actions.filter((a) => a.action !== 'noop');
    expect(todo.length).toBe(9);
    const events: ApplyEvent[] = [];
    const result = await run(p, emu.api, events);

    expect(result.ok).toBe(true);
    expect(result.failed).toEqual([]);
    expect(result.counts).toEqual({ created: 9, updated: 0, deleted: 0 });

    // Every action started only after everything it depends on had finished.
    const finishedAt = new Map<string, number>();
    events.forEach((e, i) => {
      if (e.type === 'finish') finishedAt.set(e.result.action.address, i);
    });
    events.forEach((e, i) => {
      if (e.type !== 'start') return;
      for (const d of e.action.dependsOn) expect(finishedAt.get(d)! < i, `${e.action.address} after ${d}`).toBe(true);
    });

    const live = await readLiveState({ gateway: emu.api });
    const billing = live.templates.find((t) => t.name === 'billing')!;
    expect(billing.labels).toMatchObject({ team: 'billing', 'managed-by': 'promptctl' });
    expect(billing.versions!.map((v) => [v.version, v.state]).sort()).toEqual([
      ['1.0.0', 'Published'],
      ['1.1.0', 'Published'],
    ]);
    expect(billing.traffic!.routes).toEqual([
      { version: '1.0.0', weight: 70 },
      { version: '1.1.0', weight: 30 },
    ]);
    expect(live.filters.find((f) => f.name === 'old-guard')!.enabled).toBe(false);

    const again = await plan(basic());
    expect(again.actions.filter((a) => a.action !== 'noop')).toEqual([]);

    const records = await auditRecords();
    expect(records).toHaveLength(9);
    expect(records.every((r) => r.outcome === 'success' && r.planId === p.id && r.commit === 'c0ffee')).toBe(true);
    await expectEachIntentSaysWhatItsCallMade(auditFile);
    const v = records.find((r) => r.address === 'PromptVersion/billing@1.1.0')!;
    expect(v.after.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(v.after.version).toBe('1.1.0');
    expect(v.resourceId).toBe(billing.id);
    // Content, so the change can be reconstructed from the trail alone.
    expect(v.after.content).toMatchObject({ systemInstruction: expect.any(String), variables: expect.any(Object) });
    const t = records.find((r) => r.address === 'TrafficSplit/billing')!;
    expect(t.after.version).toBe(billing.traffic!.version);
    expect(t.after.content).toEqual({ strategy: expect.any(String), stickyKey: null, routes: expect.any(Object) });
    // Write-ahead: each outcome names the intent written before its call.
    const all = await allAuditRecords();
    expect(all).toHaveLength(18);
    for (const o of records) expect(all.find((r) => r.seq === o.intent)).toMatchObject({ type: 'intent', address: o.address });
    expect(await verifyAuditFile(auditFile)).toMatchObject({ ok: true, records: 18, pending: [] });
  });

  it('runs independent actions concurrently, within the bound', async () => {
    const counted = counting(emu.api);
    const p = await plan(manyTemplates(12));
    const result = await run(p, counted.api, undefined, 4);
    expect(result.ok).toBe(true);
    expect(result.counts.created).toBe(36);
    expect(counted.max()).toBeGreaterThan(1);
    expect(counted.max()).toBeLessThanOrEqual(4);
    expect((await plan(manyTemplates(12))).summary).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it('reports a guard that moved as a clean conflict, stops, and a re-run converges', async () => {
    await run(await plan(basic()));
    const changed = basic();
    changed.templates[0] = template('billing', { labels: { team: 'billing' }, description: 'New words.' });
    changed.filters[0] = filter('pii-guard', 10, { thresholds: { pii: 0.4 } });
    const p = await plan(changed);
    expect(p.actions.filter((a) => a.action !== 'noop').map((a) => `${a.action} ${a.address}`).sort()).toEqual([
      'update PromptTemplate/billing',
      'update SafetyFilter/pii-guard',
    ]);

    // Someone edits the filter by hand after the plan was made.
    const live = (await emu.api.listFilters()).find((f) => f.name === 'pii-guard')!;
    const { id, dateCreated, dateModified, createdBy, modifiedBy, selfUri, ...body } = live;
    void [id, dateCreated, dateModified, createdBy, modifiedBy, selfUri];
    await emu.api.updateFilter(live.id, { ...body, description: 'edited by hand' });

    const result = await run(p, emu.api, undefined, 1);
    expect(result.ok).toBe(false);
    const conflict = result.failed.find((f) => f.action.address === 'SafetyFilter/pii-guard')!;
    expect(conflict.outcome).toBe('conflict');
    expect(conflict.detail).toMatch(/changed on the target since the plan \[version\.mismatch\]; run plan again/);
    // Filters come first, so with one at a time the template update never started.
    expect(result.notStarted.map((a) => a.address)).toEqual(['PromptTemplate/billing']);
    expect((await emu.api.getFilter(live.id)).description).toBe('edited by hand');

    const records = await auditRecords();
    const last = records.at(-1)!;
    expect(last).toMatchObject({ address: 'SafetyFilter/pii-guard', outcome: 'conflict', after: null });
    expect(last.before.version).toBe(live.version);
    expect(last.correlationId).toMatch(/\S/);

    const rerun = await run(await plan(changed));
    expect(rerun.ok).toBe(true);
    expect((await plan(changed)).summary).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it('on an interrupt starts nothing new, lets in-flight calls finish, and leaves no intent open', async () => {
    const p = await plan(manyTemplates(6));
    const stop = new AbortController();
    let finished = 0;
    const result = await executePlan(p, emu.api, {
      audit,
      correlations: createCorrelationTracker(),
      actor: 'a',
      commit: null,
      concurrency: 2,
      signal: stop.signal,
      onProgress: (e) => {
        if (e.type === 'finish' && ++finished === 3) stop.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.failed).toEqual([]);
    // At most the calls already in flight when the signal came finished after it.
    expect(result.succeeded.length).toBeGreaterThanOrEqual(3);
    expect(result.succeeded.length).toBeLessThanOrEqual(4);
    expect(result.succeeded.length + result.notStarted.length).toBe(18);
    const outcomes = await auditRecords();
    expect(outcomes).toHaveLength(result.succeeded.length);
    expect(await verifyAuditFile(auditFile)).toMatchObject({ ok: true, pending: [] });
    // A re-run converges.
    expect((await run(await plan(manyTemplates(6)))).ok).toBe(true);
  });

  it('goes depth first: each template is made, published and routed before the next is begun', async () => {
    const events: ApplyEvent[] = [];
    const result = await run(await plan(manyTemplates(4)), emu.api, events, 1);
    expect(result.ok).toBe(true);
    const order = events.filter((e) => e.type === 'finish').map((e) => (e.type === 'finish' ? e.result.action.address : ''));
    expect(order).toEqual(
      ['t-000', 't-001', 't-002', 't-003'].flatMap((t) => [`PromptTemplate/${t}`, `PromptVersion/${t}@1.0.0`, `TrafficSplit/${t}`]),
    );
  });

  it('looks at each action a bounded number of times, however many the plan holds', async () => {
    // Every finished call scanned every pending action: 1,000 templates applied in 27 s of CPU,
    // 5,000 in 208 s. Counted here as the reads of the actions' addresses and kinds.
    const reads = (n: number): Promise<number> =>
      withEmulator(
        async (e) => {
          const names = Array.from({ length: n }, (_, i) => `t-${i}`);
          const desired = desiredState({
            templates: names.map((t) => template(t)),
            versions: names.map((t) => version(t, '1.0.0')),
            splits: names.map((t) => split(t, [['1.0.0', 100]])),
          });
          const live = await readLiveState({ gateway: e.api });
          const p = buildPlan(desired, live, { prune: false, target: 'test emulator', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
          const { result, count } = await countedRun(p, e.api);
          expect(result.failed.map((f) => f.detail)).toEqual([]);
          expect(result.succeeded).toHaveLength(3 * n);
          return count;
        },
        { rateLimit: 1_000_000 },
      );
    const small = await reads(40);
    const large = await reads(160);
    // Linear: four times the actions, about four times the reads (a scan of them all per call: sixteen).
    expect(large / small).toBeLessThan(6);
  });

  it('looks at each retire a bounded number of times while the writes before it run', async () => {
    // Deletes held back by the removal gate were each looked at once per finished write: a retire
    // of two old versions of each of 1,000 templates spent 0.9 s in the loop, of 2,000: 3.9 s.
    const reads = (n: number): Promise<number> =>
      withEmulator(
        async (e) => {
          const names = Array.from({ length: n }, (_, i) => `t-${i}`);
          const state = (labels: string[]) =>
            desiredState({
              templates: names.map((t) => template(t)),
              versions: names.flatMap((t) => labels.map((l) => version(t, l))),
              splits: names.map((t) => split(t, [[labels[labels.length - 1]!, 100]])),
            });
          const planOf = async (d: DesiredState) =>
            buildPlan(d, await readLiveState({ gateway: e.api }), { prune: true, target: 'test emulator', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
          expect((await executePlan(await planOf(state(['1.0.0', '1.1.0'])), e.api, unaudited())).ok).toBe(true);
          const { result, count } = await countedRun(await planOf(state(['2.0.0'])), e.api);
          expect(result.failed.map((f) => f.detail)).toEqual([]);
          expect(result.counts).toEqual({ created: n, updated: n, deleted: 2 * n });
          return count;
        },
        { rateLimit: 1_000_000 },
      );
    const small = await reads(30);
    const large = await reads(120);
    // Linear: four times the actions, about four times the reads (each retire looked at per write: sixteen).
    expect(large / small).toBeLessThan(6);
  });

  it('an interrupted apply leaves whole templates: no more half-made ones than actions in flight', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `t-${String(i).padStart(3, '0')}`);
    const desired = desiredState({
      templates: names.map((n) => template(n)),
      versions: names.flatMap((n) => [version(n, '1.0.0'), version(n, '1.1.0')]),
      splits: names.map((n) => split(n, [['1.0.0', 50], ['1.1.0', 50]])),
    });
    const stop = new AbortController();
    let finished = 0;
    const result = await executePlan(await plan(desired), emu.api, {
      audit,
      correlations: createCorrelationTracker(),
      actor: 'a',
      commit: null,
      concurrency: 4,
      signal: stop.signal,
      onProgress: (e) => {
        if (e.type === 'finish' && ++finished === 40) stop.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    const live = await readLiveState({ gateway: emu.api });
    const whole = live.templates.filter((t) => t.traffic?.routes.length === 2 && (t.versions ?? []).every((v) => v.state === 'Published'));
    // 40 finished actions, at most 3 of them in each of the (at most 4) open families: ≥ 28 in whole ones (4 each).
    expect(whole.length).toBeGreaterThanOrEqual(7);
    // Only the families open when the interrupt came (at most `concurrency`) are unfinished.
    expect(live.templates.length - whole.length).toBeLessThanOrEqual(4);
    expect((await run(await plan(desired))).ok).toBe(true);
  });

  it('a template whose writes are done holds no place while its retire waits for the removals: others begin beside it', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `t-${String(i).padStart(3, '0')}`);
    expect((await run(await plan(manyTemplates(12)))).ok).toBe(true);
    // Every template moves to a new version and retires the old one (pruned): the retires wait for every write.
    const moved = desiredState({
      templates: names.map((n) => template(n)),
      versions: names.map((n) => version(n, '2.0.0')),
      splits: names.map((n) => split(n, [['2.0.0', 100]])),
    });
    const events: ApplyEvent[] = [];
    const result = await run(await plan(moved, true), emu.api, events, 4);
    expect(result.ok).toBe(true);
    expect(result.counts).toEqual({ created: 12, updated: 12, deleted: 12 });
    // Templates begun after the first four: were other actions running as each began?
    let running = 0;
    const begun: string[] = [];
    const besideOthers: number[] = [];
    for (const e of events) {
      if (e.type === 'start') {
        if (!begun.includes(e.action.name)) {
          begun.push(e.action.name);
          besideOthers.push(running);
        }
        running += 1;
      } else if (e.type === 'finish') running -= 1;
    }
    expect(begun).toHaveLength(12);
    // Before, the first four held their places until the removals' phase: each later one began
    // only once nothing ran, one at a time.
    expect(besideOthers.slice(4).filter((n) => n > 0).length).toBeGreaterThanOrEqual(4);
  });

  it('lets in-flight actions finish after a failure, and starts nothing new', async () => {
    const desired = manyTemplates(6);
    const p = await plan(desired);
    // A template created by hand after the plan: its create conflicts.
    await emu.api.createTemplate({ name: 't-003', model: 'gpt-4o', labels: { owner: 'someone-else' } });
    const result = await run(p, emu.api, undefined, 3);
    expect(result.ok).toBe(false);
    expect(result.failed.map((f) => [f.action.address, f.outcome])).toEqual([['PromptTemplate/t-003', 'conflict']]);
    // Nothing depending on the failed create ran, and the rest was either done or not started.
    const ran = new Set(result.succeeded.map((s) => s.action.address));
    expect(ran.has('PromptVersion/t-003@1.0.0')).toBe(false);
    expect(result.notStarted.map((a) => a.address)).toContain('PromptVersion/t-003@1.0.0');
    expect(result.succeeded.length + result.failed.length + result.notStarted.length).toBe(18);
    const records = await auditRecords();
    expect(records).toHaveLength(result.succeeded.length + 1);
  });

  it('swaps the priorities of two enabled filters', async () => {
    const before = desiredState({ filters: [filter('alpha', 10), filter('beta', 20)] });
    const first = await run(await plan(before));
    expect(first.ok, JSON.stringify(first.failed.map((f) => f.detail))).toBe(true);
    const after = desiredState({ filters: [filter('alpha', 20), filter('beta', 10)] });
    const p = await plan(after);
    expect(p.actions.some((a) => 'stagePriority' in a && a.stagePriority !== undefined), JSON.stringify(p, null, 1)).toBe(true);
    const result = await run(p);
    expect(result.ok, JSON.stringify(result.failed)).toBe(true);
    const live = await emu.api.listFilters();
    expect(Object.fromEntries(live.map((f) => [f.name, f.priority]))).toEqual({ alpha: 20, beta: 10 });
    expect((await plan(after)).summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect((await verifyAuditFile(auditFile)).ok).toBe(true);
    // The interim priority included: a run killed between the two steps is settled as promptctl's own.
    await expectEachIntentSaysWhatItsCallMade(auditFile);
  });

  it('prunes only managed objects', async () => {
    await run(await plan(desiredState({ filters: [filter('keep', 10), filter('gone', 20)] })));
    await emu.api.createFilter({
      name: 'by-hand',
      priority: 30,
      categories: ['violence'],
      action: 'flag_and_pass',
      thresholds: { violence: 0.9 },
      falsePositiveTolerance: 0.1,
    });
    const p = await plan(desiredState({ filters: [filter('keep', 10)] }), true);
    expect(p.actions.filter((a) => a.action !== 'noop').map((a) => `${a.action} ${a.address}`)).toEqual(['delete SafetyFilter/gone']);
    const result = await run(p);
    expect(result.counts).toEqual({ created: 0, updated: 0, deleted: 1 });
    expect((await emu.api.listFilters()).map((f) => f.name).sort()).toEqual(['by-hand', 'keep']);
  });

  it('deletes a renamed template only after its replacement is made, published and routed', async () => {
    // Found with the binary: a rename with --prune deleted the old template first (its delete names
    // no dependency, so it started at once), leaving a window where neither name served.
    const named = (name: string): DesiredState =>
      desiredState({ templates: [template(name)], versions: [version(name, '1.0.0')], splits: [split(name, [['1.0.0', 100]])] });
    expect((await run(await plan(named('old-name')))).ok).toBe(true);
    const p = await plan(named('new-name'), true);
    const result = await run(p);
    expect(result.ok, JSON.stringify(result.failed)).toBe(true);
    // In the trail's order: the old template's delete is intended only once the new split is routed.
    const records = (await allAuditRecords()).map((r) => `${r.type} ${r.address}`);
    expect(records.indexOf('outcome TrafficSplit/new-name')).toBeGreaterThan(-1);
    expect(records.lastIndexOf('intent PromptTemplate/old-name')).toBeGreaterThan(records.indexOf('outcome TrafficSplit/new-name'));
  });

  it('keeps the old template when its replacement fails', async () => {
    expect((await run(await plan(desiredState({ templates: [template('old-name')] })))).ok).toBe(true);
    const p = await plan(desiredState({ templates: [template('new-name')] }), true);
    await emu.api.createTemplate({ name: 'new-name', model: 'gpt-4o' }); // the create will meet a duplicate
    const result = await run(p);
    expect(result.ok).toBe(false);
    expect((await emu.api.listTemplates()).map((t) => t.name).sort()).toEqual(['new-name', 'old-name']);
  });

  it('keeps the filter guarding a template whose delete failed: filters go only after the templates', async () => {
    // Found with the binary: the filter's delete started beside the template's, so a template
    // whose delete failed kept serving without the filter that guarded it.
    const guard = filter('guard', 10, { action: 'block_and_log', appliesTo: { templates: ['old'] } });
    expect((await run(await plan(desiredState({ templates: [template('keep'), template('old')], filters: [guard] })))).ok).toBe(true);
    const p = await plan(desiredState({ templates: [template('keep')] }), true);
    expect(p.actions.filter((a) => a.action === 'delete').map((a) => a.address)).toEqual(['PromptTemplate/old', 'SafetyFilter/guard']);
    const old = (await emu.api.listTemplates({ name: 'old' }))[0]!;
    await emu.api.updateTemplate(old.id, { name: 'old', model: old.model, description: 'still serving', labels: old.labels, version: old.version });

    const result = await run(p);
    expect(result.failed.map((f) => [f.action.address, f.outcome])).toEqual([['PromptTemplate/old', 'conflict']]);
    expect(result.notStarted.map((a) => a.address)).toEqual(['SafetyFilter/guard']);
    expect((await emu.api.listFilters()).map((f) => f.name)).toEqual(['guard']);
    const records = (await allAuditRecords()).map((r) => `${r.type} ${r.address}`);
    // Those of its create only: its delete was never begun.
    expect(records.filter((r) => r.endsWith('SafetyFilter/guard'))).toEqual(['intent SafetyFilter/guard', 'outcome SafetyFilter/guard']);

    // Planned again with the template's change taken in: the template goes, then the filter.
    const again = await run(await plan(desiredState({ templates: [template('keep')] }), true));
    expect(again.ok, JSON.stringify(again.failed)).toBe(true);
    const trail = (await allAuditRecords()).map((r) => `${r.type} ${r.address}`);
    expect(trail.lastIndexOf('intent SafetyFilter/guard')).toBeGreaterThan(trail.lastIndexOf('outcome PromptTemplate/old'));
  });

  it('does not delete an object edited by hand since the plan', async () => {
    await run(await plan(desiredState({ filters: [filter('keep', 10), filter('gone', 20)] })));
    const p = await plan(desiredState({ filters: [filter('keep', 10)] }), true);
    const gone = (await emu.api.listFilters()).find((f) => f.name === 'gone')!;
    const { id, dateCreated, dateModified, createdBy, modifiedBy, selfUri, ...body } = gone;
    void [dateCreated, dateModified, createdBy, modifiedBy, selfUri];
    await emu.api.updateFilter(id, { ...body, description: 'still needed!' });

    const result = await run(p);
    expect(result.ok).toBe(false);
    expect(result.failed[0]).toMatchObject({ outcome: 'conflict' });
    expect(result.failed[0]!.detail).toBe('SafetyFilter/gone changed on the target since the plan (version 1 → 2); run plan again');
    expect((await emu.api.getFilter(id)).description).toBe('still needed!');
    expect((await auditRecords()).at(-1)).toMatchObject({ address: 'SafetyFilter/gone', action: 'delete', outcome: 'conflict' });
  });

  it('reports a version routed by hand since the plan as a conflict, and does not retire it', async () => {
    const routed = (labels: string[]) =>
      desiredState({ templates: [template('t')], versions: labels.map((l) => version('t', l)), splits: [split('t', [['2.0.0', 100]])] });
    await run(await plan(routed(['1.0.0', '2.0.0'])));
    const p = await plan(routed(['2.0.0']), true);
    expect(p.actions.filter((a) => a.action !== 'noop').map((a) => `${a.action} ${a.address}`)).toEqual(['delete PromptVersion/t@1.0.0']);
    // Someone routes the version the plan retires: the split's own action is a noop, so no guard of the plan moves.
    const t = (await emu.api.listTemplates({ name: 't' }))[0]!;
    const live = (await emu.api.getTraffic(t.id))!;
    await emu.api.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.0.0', weight: 10 }, { version: '2.0.0', weight: 90 }], version: live.version });

    const result = await run(p);
    expect(result.failed.map((f) => [f.action.address, f.outcome, f.detail])).toEqual([
      ['PromptVersion/t@1.0.0', 'conflict', 'PromptVersion/t@1.0.0 is routed by a traffic split changed on the target since the plan [version.in.use]; run plan again'],
    ]);
    expect((await emu.api.listVersions(t.id)).map((v) => v.version)).toEqual(['1.0.0', '2.0.0']);
    expect((await auditRecords()).at(-1)).toMatchObject({ address: 'PromptVersion/t@1.0.0', action: 'retire', outcome: 'conflict' });
  });

  it('does not delete a template that would take along a version made since the plan (the server cascades)', async () => {
    const kept = desiredState({ filters: [filter('guard', 10)] });
    await run(await plan(desiredState({ templates: [template('old')], versions: [version('old', '1.0.0')], splits: [split('old', [['1.0.0', 100]])], filters: [filter('guard', 10)] })));
    const p = await plan(kept, true);
    expect(p.actions.find((a) => a.address === 'PromptTemplate/old')).toMatchObject({ action: 'delete', cascade: [{ address: 'PromptVersion/old@1.0.0' }, { address: 'TrafficSplit/old' }] });
    // Someone adds a version by hand after the plan: the template's own version does not move.
    const old = (await emu.api.listTemplates({ name: 'old' }))[0]!;
    await emu.api.createVersion(old.id, versionWire(version('old', '1.1.0')));

    const result = await run(p);
    expect(result.ok).toBe(false);
    expect(result.failed.map((f) => [f.action.address, f.outcome, f.detail])).toEqual([
      ['PromptTemplate/old', 'conflict', 'PromptTemplate/old changed on the target since the plan (deleting it would now also take PromptVersion/old@1.1.0); run plan again'],
    ]);
    expect((await emu.api.listVersions(old.id)).map((v) => v.version)).toEqual(['1.0.0', '1.1.0']);
    expect((await auditRecords()).at(-1)).toMatchObject({ address: 'PromptTemplate/old', action: 'delete', outcome: 'conflict' });

    // Planned again, and its split re-routed by hand since: the delete would take another split along.
    const again = await plan(kept, true);
    const traffic = (await emu.api.getTraffic(old.id))!;
    await emu.api.putTraffic(old.id, { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], stickyKey: 'conversationId', version: traffic.version });
    expect((await run(again)).failed.map((f) => f.detail)).toEqual(['PromptTemplate/old changed on the target since the plan (TrafficSplit/old changed since the plan); run plan again']);
    expect((await emu.api.listTemplates({ name: 'old' })).map((t) => t.name)).toEqual(['old']);
  });
});

/** Options for an executor run whose audit records go nowhere. */
function unaudited() {
  return {
    audit: { intent: async () => ({}) as never, outcome: async () => ({}) as never } as never,
    correlations: createCorrelationTracker(),
    actor: 'a',
    commit: null,
  };
}

/** Runs the plan, counting how often the executor reads an action's address or kind (its looks at the action). */
async function countedRun(p: Plan, api: Parameters<typeof executePlan>[1]): Promise<{ result: Awaited<ReturnType<typeof executePlan>>; count: number }> {
  let count = 0;
  const counted = <T extends object>(a: T): T =>
    new Proxy(a, {
      get(t, prop, receiver) {
        if (prop === 'address' || prop === 'kind') count += 1;
        return Reflect.get(t, prop, receiver) as unknown;
      },
    });
  const result = await executePlan({ ...p, actions: p.actions.map(counted) }, api, unaudited());
  return { result, count };
}
