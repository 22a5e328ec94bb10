// The PromptTest runner under an interrupt, with a gateway whose calls end only when they are
// aborted: once the signal aborts, no call starts, the calls in flight are cut off (the runner
// does not wait for them: without the signal passed on, this test would never end), and the
// report holds the cases that finished. A case cut short is left out, though its repetitions
// that completed are cached.
import { describe, expect, it } from 'vitest';
import type { PlannedCall, PlannedTest } from '../../../src/evals/render.js';
import { runTests } from '../../../src/evals/runner.js';
import type { ResultCache } from '../../../src/evals/cache.js';
import type { Observation } from '../../../src/evals/types.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';
import type { InvocationRequest, InvocationResult } from '../../../src/targets/llmgateway/wire.js';

const here = { file: 'tests.yaml', line: 1, column: 1 };

function testCase(name: string): TestCase {
  return { name, vars: { question: name }, messages: [], expect: [{ type: 'contains', value: 'ok', not: false }] } as unknown as TestCase;
}

function planned(cases: Array<[string, number]>): PlannedTest {
  const test = { kind: 'PromptTest', name: 'smoke', labels: {}, target: { template: 'bot', version: '1.0.0' }, repeat: 1, threshold: 1, cases: cases.map(([n]) => testCase(n)), responses: [], source: here, locations: {} } as unknown as PromptTest;
  const calls: PlannedCall[] = cases.flatMap(([name, reps], caseIndex) =>
    Array.from({ length: reps }, (_, r) => ({
      caseIndex,
      case: test.cases[caseIndex]!,
      requested: '1.0.0',
      repetition: r + 1,
      call: { kind: 'template' as const, request: { template: 'bot', version: '1.0.0', variables: { question: `${name}#${r + 1}` } } },
      key: `${name}#${r + 1}`.padEnd(64, '0'),
      inputs: [name],
    })),
  );
  return { test, kind: 'template', target: 'bot@1.0.0', threshold: 1, repeat: 1, calls, notes: [] };
}

function answer(text: string): InvocationResult {
  return { id: 'x', template: 'bot', version: '1.0.0', model: 'gpt-4o-mini', output: { text }, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, costUsd: 0, latencyMs: 1, filters: [] } as unknown as InvocationResult;
}

function memoryCache(): ResultCache & { keys: string[] } {
  const m = new Map<string, Observation>();
  return {
    keys: [] as string[],
    async get(k) {
      return m.get(k);
    },
    async set(k, o) {
      m.set(k, o);
      this.keys.push(k);
    },
  };
}

describe('runTests, interrupted', () => {
  it('starts nothing new, cuts off the calls in flight, reports the finished cases and caches only completed calls', async () => {
    const ac = new AbortController();
    const asked: string[] = [];
    const cache = memoryCache();
    // "slow#2" answers only when aborted (then rejects); every other call answers at once.
    const gateway = {
      invoke(req: InvocationRequest, opts?: { signal?: AbortSignal }): Promise<InvocationResult> {
        const q = String(req.variables['question']);
        asked.push(q);
        if (q !== 'slow#2') return Promise.resolve(answer('ok'));
        return new Promise((_, reject) => opts?.signal?.addEventListener('abort', () => reject(opts.signal!.reason), { once: true }));
      },
    };
    const report = await runTests(
      [planned([['slow', 2], ['fast', 1], ['later', 1], ['last', 1]])],
      {
        gateway,
        cache,
        concurrency: 3,
        countTokens: () => 1,
        signal: ac.signal,
        // The first case to finish is the interrupt's cue.
        onCaseDone: () => ac.abort(),
      },
      { target: 'test' },
    );
    // slow#1, slow#2 and fast#1 started together; fast finished, the interrupt came, slow#2 was
    // cut off, and neither "later" nor "last" was called.
    expect(asked.sort()).toEqual(['fast#1', 'slow#1', 'slow#2']);
    expect(report.interrupted).toEqual({ casesFinished: 1, casesNotRun: 3, callsCutOff: 1 });
    expect(report.ok).toBe(false);
    expect(report.invocations).toBe(2);
    const [t] = report.tests;
    expect(t!.runs.map((r) => r.case)).toEqual(['fast']);
    expect(t!.casesNotRun).toBe(3);
    expect(t!.met).toBe(false);
    // What completed is cached (slow#1 too: its case did not finish, but the call did).
    expect(cache.keys.map((k) => k.replace(/0+$/, '')).sort()).toEqual(['fast#1', 'slow#1']);
  });

  it('still reports the cases the cache answers: they make no call', async () => {
    const ac = new AbortController();
    const asked: string[] = [];
    const cache = memoryCache();
    await cache.set('later#1'.padEnd(64, '0'), { outcome: 'ok', output: 'ok, from the cache', wallMs: 5, filters: [] } as unknown as Observation);
    const gateway = {
      invoke(req: InvocationRequest, opts?: { signal?: AbortSignal }): Promise<InvocationResult> {
        const q = String(req.variables['question']);
        asked.push(q);
        if (q !== 'slow#1') return Promise.resolve(answer('ok'));
        return new Promise((_, reject) => opts?.signal?.addEventListener('abort', () => reject(opts.signal!.reason), { once: true }));
      },
    };
    const report = await runTests(
      [planned([['slow', 1], ['fast', 1], ['later', 1], ['last', 1]])],
      { gateway, cache, concurrency: 2, countTokens: () => 1, signal: ac.signal, onCaseDone: (e) => e.case === 'fast' && ac.abort() },
      { target: 'test' },
    );
    expect(asked.sort()).toEqual(['fast#1', 'slow#1']);
    expect(report.tests[0]!.runs.map((r) => [r.case, r.cached])).toEqual([
      ['fast', false],
      ['later', true],
    ]);
    expect(report.interrupted).toEqual({ casesFinished: 2, casesNotRun: 2, callsCutOff: 1 });
    expect(report.cached).toBe(1);
  });

  it('an interrupt after every case has finished changes nothing', async () => {
    const ac = new AbortController();
    const report = await runTests(
      [planned([['a', 1], ['b', 1]])],
      { gateway: { invoke: async () => answer('ok') }, cache: memoryCache(), countTokens: () => 1, signal: ac.signal, onCaseDone: (e) => e.done === e.of && ac.abort() },
      { target: 'test' },
    );
    expect(report.interrupted).toBeUndefined();
    expect([report.ok, report.tests[0]!.met, report.tests[0]!.runs.length]).toEqual([true, true, 2]);
  });
});

describe('runTests, interrupted while a guide is looked up', () => {
  it('does not wait for the lookup: the guide cases waiting on it are cut off', async () => {
    const ac = new AbortController();
    const test = { kind: 'PromptTest', name: 'guide-smoke', labels: {}, target: { guide: 'Returns helper' }, repeat: 1, threshold: 1, cases: [testCase('a'), testCase('b')], responses: [], source: here, locations: {} } as unknown as PromptTest;
    const calls: PlannedCall[] = test.cases.map((c, caseIndex) => ({
      caseIndex,
      case: c,
      repetition: 1,
      call: { kind: 'guide' as const, guide: 'Returns helper', inputVariables: [], turns: ['hello'], encoding: 'o200k_base' as const },
      key: String(caseIndex).padEnd(64, '0'),
      inputs: [],
    }));
    let turns = 0;
    // The lookup answers only after 10 s (a slow org); the interrupt comes as it starts.
    const guides = {
      listGuides: () => {
        queueMicrotask(() => ac.abort());
        return new Promise<never[]>((resolve) => setTimeout(() => resolve([]), 10_000).unref());
      },
      sessionTurn: async () => {
        turns++;
        throw new Error('no turn is taken');
      },
    };
    const started = Date.now();
    const report = await runTests(
      [{ test, kind: 'guide', target: 'guide Returns helper', threshold: 1, repeat: 1, calls, notes: [] }],
      { gateway: { invoke: async () => answer('ok') }, guides: guides as never, cache: memoryCache(), countTokens: () => 1, signal: ac.signal },
      { target: 'test' },
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    // No turn was sent (they waited on the lookup): none was in flight to cut off.
    expect(report.interrupted).toEqual({ casesFinished: 0, casesNotRun: 2, callsCutOff: 0 });
    expect([report.invocations, turns]).toEqual([0, 0]);
  });
});

describe('runTests, interrupted with cases that need no call', () => {
  it('still reports a case not on the target yet as such (it makes no call), not as cut short by the interrupt', async () => {
    const ac = new AbortController();
    const live = planned([['first', 1], ['second', 1]]);
    const next = planned([['new', 1]]);
    next.test = { ...next.test, name: 'next' } as PromptTest;
    next.calls = next.calls.map((c) => ({ ...c, requested: '1.2.0', notLive: 'bot@1.2.0 is not on this target yet (apply it, then test)' }));
    const report = await runTests(
      [live, next],
      {
        gateway: { invoke: async () => answer('ok') },
        cache: memoryCache(),
        concurrency: 1,
        countTokens: () => 1,
        signal: ac.signal,
        // Interrupted once the first case has finished: "second" does not start.
        onCaseDone: () => ac.abort(),
      },
      { target: 'test' },
    );
    expect(report.interrupted).toEqual({ casesFinished: 2, casesNotRun: 1, callsCutOff: 0 });
    const [smoke, waiting] = report.tests;
    expect(smoke!.casesNotRun).toBe(1);
    expect(waiting!.casesNotRun).toBeUndefined();
    expect(waiting!.notLive).toBe(1);
    expect(waiting!.runs.map((r) => r.notLive)).toEqual(['bot@1.2.0 is not on this target yet (apply it, then test)']);
    expect(report.notLive).toBe(1);
  });
});
