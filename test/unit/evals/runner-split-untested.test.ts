// A test through a split: each call's version is the split's draw, so a version with a small
// weight may answer none of the calls and the test pass or fail with none of it run (a review: a
// 10 % route was untested in 3 runs of 6, the cache keeping the first draw). The report says so.
import { describe, expect, it } from 'vitest';
import type { PlannedCall, PlannedTest } from '../../../src/evals/render.js';
import { runTests } from '../../../src/evals/runner.js';
import type { ResultCache } from '../../../src/evals/cache.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';
import type { InvocationResult } from '../../../src/targets/llmgateway/wire.js';

const here = { file: 'tests.yaml', line: 1, column: 1 };
const noCache: ResultCache = { get: async () => undefined, set: async () => undefined };

function planned(repeat: number, routedBy: PlannedTest['routedBy']): PlannedTest {
  const c = { name: 'refund', vars: { question: 'q' }, messages: [], expect: [{ type: 'contains', value: 'ok', not: false }] } as unknown as TestCase;
  const test = { kind: 'PromptTest', name: 'through-split', labels: {}, target: { template: 'bot' }, repeat, threshold: 1, cases: [c], responses: [], source: here, locations: {} } as unknown as PromptTest;
  const calls: PlannedCall[] = Array.from({ length: repeat }, (_, i) => ({
    caseIndex: 0,
    case: c,
    repetition: i + 1,
    call: { kind: 'template' as const, request: { template: 'bot', variables: { question: 'q' } } },
    key: `k${i}`.padEnd(64, '0'),
    inputs: ['q'],
  }));
  return { test, kind: 'template', target: 'bot (traffic split: 1.0.0 90 %, 1.1.0 10 %)', threshold: 1, repeat, calls, notes: [], ...(routedBy ? { routedBy } : {}) };
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

  it('says nothing when every routed version answered, or when the test is not through a split', async () => {
    let n = 0;
    const alternating = { invoke: async () => drawing(n++ % 2 === 0 ? '1.0.0' : '1.1.0').invoke() };
    const both = await runTests([planned(4, routes)], { gateway: alternating, cache: noCache, concurrency: 1, countTokens: () => 1 }, { target: 'test' });
    expect(both.tests[0]!.notes).toEqual([]);
    const pinned = await runTests([planned(3, undefined)], { gateway: drawing('1.0.0'), cache: noCache, concurrency: 1, countTokens: () => 1 }, { target: 'test' });
    expect(pinned.tests[0]!.notes).toEqual([]);
  });
});
