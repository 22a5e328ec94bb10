// A test through a split: each call's version is the split's draw, so a version with a small
// weight may answer none of the calls and the test pass or fail with none of it run (a review: a
// 10 % route was untested in 3 runs of 6, the cache keeping the first draw). The report says so.
import { describe, expect, it } from 'vitest';
import type { PlannedCall, PlannedTest } from '../../../src/evals/render.js';
import { runTests } from '../../../src/evals/runner.js';
import type { ResultCache } from '../../../src/evals/cache.js';
import type { Observation } from '../../../src/evals/types.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';
import type { InvocationResult } from '../../../src/targets/llmgateway/wire.js';

const here = { file: 'tests.yaml', line: 1, column: 1 };
const noCache: ResultCache = { get: async () => undefined, set: async () => undefined };

/** `cases` cases with the same vars (so the same call, keyed by repetition alone), `repeat` times each. */
function planned(repeat: number, routedBy: PlannedTest['routedBy'], cases = 1, sticky?: PlannedTest['sticky']): PlannedTest {
  const cs = Array.from({ length: cases }, (_, n) => ({ name: `refund ${n + 1}`, vars: { question: 'q' }, messages: [], expect: [{ type: 'contains', value: 'ok', not: false }] }) as unknown as TestCase);
  const test = { kind: 'PromptTest', name: 'through-split', labels: {}, target: { template: 'bot' }, repeat, threshold: 1, cases: cs, responses: [], source: here, locations: {} } as unknown as PromptTest;
  const calls: PlannedCall[] = cs.flatMap((c, n) =>
    Array.from({ length: repeat }, (_, i) => ({
      caseIndex: n,
      case: c,
      repetition: i + 1,
      call: { kind: 'template' as const, request: { template: 'bot', variables: { question: 'q' } } },
      key: `${i}`.padEnd(64, '0'),
      inputs: ['q'],
    })),
  );
  return { test, kind: 'template', target: 'bot (traffic split: 1.0.0 90 %, 1.1.0 10 %)', threshold: 1, repeat, calls, notes: [], ...(routedBy ? { routedBy } : {}), ...(sticky ? { sticky } : {}) };
}

function memoryCache(): ResultCache {
  const m = new Map<string, Observation>();
  return { get: async (k) => m.get(k), set: async (k, o) => void m.set(k, o) };
}

/** A gateway whose split always draws `version`. */
const drawing = (version: string) => ({
  invoke: async (): Promise<InvocationResult> =>
    ({ id: 'x', template: 'bot', version, model: 'gpt-4o-mini', output: { text: 'ok' }, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, costUsd: 0, latencyMs: 1, filters: [] }) as unknown as InvocationResult,
});

const routes = [
  { version: '1.0.0', weight: 90 },
  { version: '1.1.0', weight: 10 },
];

describe('a test through a split', () => {
  it('says which routed version answered none of its calls, and how to test it', async () => {
    const report = await runTests([planned(3, routes)], { gateway: drawing('1.0.0'), cache: noCache, concurrency: 2, countTokens: () => 1 }, { target: 'test' });
    const [t] = report.tests;
    expect(t!.met).toBe(true);
    expect(t!.notes).toEqual(['1.1.0 (10 %) answered none of the 3 calls the split routed: it was not tested (raise repeat, or pin target.version to test it)']);
  });

  it('counts the draws the split made, not the results that repeat one (shared or cached)', async () => {
    // 3 cases with the same vars, repeat 2: 2 calls made, 4 answered as they were.
    let made = 0;
    const counting = { invoke: async () => (made++, drawing('1.0.0').invoke()) };
    const cache = memoryCache();
    const first = await runTests([planned(2, routes, 3)], { gateway: counting, cache, concurrency: 3, countTokens: () => 1 }, { target: 'test' });
    expect([made, first.invocations, first.cached]).toEqual([2, 2, 4]);
    expect(first.tests[0]!.notes).toEqual(['1.1.0 (10 %) answered none of the 2 calls the split routed: it was not tested (raise repeat, or pin target.version to test it)']);
    // All from the cache: the same 2 draws, made earlier.
    const again = await runTests([planned(2, routes, 3)], { gateway: counting, cache, concurrency: 3, countTokens: () => 1 }, { target: 'test' });
    expect([made, again.cached]).toEqual([2, 6]);
    expect(again.tests[0]!.notes[0]).toMatch(/^1\.1\.0 \(10 %\) answered none of the 2 calls the split routed/);
    // Every call made (--no-cache): each is a draw of its own.
    const fresh = await runTests([planned(2, routes, 3)], { gateway: counting, cache: noCache, concurrency: 3, countTokens: () => 1, sharesIdenticalCalls: false }, { target: 'test' });
    expect(fresh.tests[0]!.notes[0]).toMatch(/^1\.1\.0 \(10 %\) answered none of the 6 calls the split routed/);
  });

  it('of a sticky split, does not advise raising repeat where every case gives the key', async () => {
    const keyed = await runTests([planned(3, routes, 1, { key: 'conversationId', keyed: 'every' })], { gateway: drawing('1.0.0'), cache: noCache, concurrency: 1, countTokens: () => 1 }, { target: 'test' });
    expect(keyed.tests[0]!.notes).toEqual([
      "1.1.0 (10 %) answered none of the 3 calls the split routed: it was not tested (the split is sticky on conversationId, which sends a case's conversationId to the same version on every call, so raising repeat cannot help: add cases with other conversationId values, or pin target.version to test it)",
    ]);
    const some = await runTests([planned(3, routes, 1, { key: 'conversationId', keyed: 'some' })], { gateway: drawing('1.0.0'), cache: noCache, concurrency: 1, countTokens: () => 1 }, { target: 'test' });
    expect(some.tests[0]!.notes[0]).toMatch(/\(the split is sticky on conversationId: raising repeat draws again only for the cases that give no conversationId; add cases with other conversationId values, or pin target\.version to test it\)$/);
    // No case gives the key (or the split names none): a test sends no routing key, so every call is drawn at random.
    const unkeyed = await runTests([planned(3, routes, 1, { key: 'conversationId', keyed: 'none' })], { gateway: drawing('1.0.0'), cache: noCache, concurrency: 1, countTokens: () => 1 }, { target: 'test' });
    expect(unkeyed.tests[0]!.notes[0]).toMatch(/\(raise repeat, or pin target\.version to test it\)$/);
  });

  it('says nothing when every routed version answered, or when the test is not through a split', async () => {
    let n = 0;
    const alternating = { invoke: async () => drawing(n++ % 2 === 0 ? '1.0.0' : '1.1.0').invoke() };
    const both = await runTests([planned(4, routes)], { gateway: alternating, cache: noCache, concurrency: 1, countTokens: () => 1 }, { target: 'test' });
    expect(both.tests[0]!.notes).toEqual([]);
    const pinned = await runTests([planned(3, undefined)], { gateway: drawing('1.0.0'), cache: noCache, concurrency: 1, countTokens: () => 1 }, { target: 'test' });
    expect(pinned.tests[0]!.notes).toEqual([]);
  });
});
