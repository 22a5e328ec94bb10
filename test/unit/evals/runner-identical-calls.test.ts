// Identical calls in one run (two cases with the same vars, the same case in two tests: the same
// key) were each made when they ran side by side, but the second was answered by the cache when
// it started after the first had finished: "2 calls made" or "1 made, 1 from the cache" hung on
// timing. Now the second waits for the first's answer and is counted as cached, however they
// interleave; an error (never cached) is not shared, and --no-cache makes every call.
import { describe, expect, it } from 'vitest';
import type { PlannedCall, PlannedTest } from '../../../src/evals/render.js';
import { runTests } from '../../../src/evals/runner.js';
import type { ResultCache } from '../../../src/evals/cache.js';
import type { Observation } from '../../../src/evals/types.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';
import type { InvocationRequest, InvocationResult } from '../../../src/targets/llmgateway/wire.js';
import { answeredWithoutCall } from '../../../src/cli/test.js';

const here = { file: 'tests.yaml', line: 1, column: 1 };

/** One test whose cases all ask the same question (one key), or each its own. */
function planned(cases: number, sameKey: boolean): PlannedTest {
  const list = Array.from({ length: cases }, (_, i) => ({ name: `case${i}`, vars: { question: 'q' }, messages: [], expect: [{ type: 'contains', value: 'ok', not: false }] }) as unknown as TestCase);
  const test = { kind: 'PromptTest', name: 'smoke', labels: {}, target: { template: 'bot', version: '1.0.0' }, repeat: 1, threshold: 1, cases: list, responses: [], source: here, locations: {} } as unknown as PromptTest;
  const calls: PlannedCall[] = list.map((c, caseIndex) => ({
    caseIndex,
    case: c,
    requested: '1.0.0',
    repetition: 1,
    call: { kind: 'template' as const, request: { template: 'bot', version: '1.0.0', variables: { question: 'q' } } },
    key: (sameKey ? 'same' : `k${caseIndex}`).padEnd(64, '0'),
    inputs: ['q'],
  }));
  return { test, kind: 'template', target: 'bot@1.0.0', threshold: 1, repeat: 1, calls, notes: [] };
}

function answer(text: string): InvocationResult {
  return { id: 'x', template: 'bot', version: '1.0.0', model: 'gpt-4o-mini', output: { text }, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, costUsd: 0, latencyMs: 1, filters: [] } as unknown as InvocationResult;
}

/** A cache that keeps what the runner sets (errors excepted, as the file cache does). */
function memoryCache(): ResultCache {
  const m = new Map<string, Observation>();
  return {
    get: async (k) => m.get(k),
    set: async (k, o) => {
      if (o.outcome !== 'error') m.set(k, o);
    },
  };
}

/** A gateway whose calls answer when `release` is called: all in flight at once, or one by one. */
function heldGateway(fail = 0) {
  const waiting: Array<() => void> = [];
  let made = 0;
  const gateway = {
    invoke(_req: InvocationRequest): Promise<InvocationResult> {
      made++;
      const n = made;
      return new Promise<InvocationResult>((resolve, reject) => {
        waiting.push(() => (n <= fail ? reject(Object.assign(new Error('busy'), { status: 503, code: 'unavailable' })) : resolve(answer('ok'))));
      });
    },
  };
  return { gateway, made: () => made, releaseAll: () => waiting.splice(0).forEach((f) => f()) };
}

/** Runs with every call held until the pool has started all it can, then answers them. */
async function run(cases: number, opts: { concurrency: number; shares?: boolean; fail?: number }) {
  const g = heldGateway(opts.fail);
  const running = runTests([planned(cases, true)], { gateway: g.gateway, cache: memoryCache(), concurrency: opts.concurrency, countTokens: () => 1, ...(opts.shares === false ? { sharesIdenticalCalls: false } : {}) }, { target: 'test' });
  // Answers whatever is waiting until the run ends (each call released once it is made).
  let done = false;
  void running.finally(() => (done = true));
  while (!done) {
    await new Promise<void>((r) => setImmediate(r));
    g.releaseAll();
  }
  return { report: await running, made: g.made() };
}

describe('identical calls in one run', () => {
  it('are made once and the rest answered as from the cache, whether they run side by side or one after another', async () => {
    for (const concurrency of [1, 3, 8]) {
      const { report, made } = await run(3, { concurrency });
      expect({ concurrency, made, invocations: report.invocations, cached: report.cached }).toEqual({ concurrency, made: 1, invocations: 1, cached: 2 });
      expect(report.tests[0]!.met).toBe(true);
    }
  });

  it('share no error: a call after one that failed is made again', async () => {
    const { report, made } = await run(2, { concurrency: 8, fail: 1 });
    expect(made).toBe(2);
    expect(report.invocations).toBe(2);
    expect(report.cached).toBe(0);
  });

  it('are each made under --no-cache', async () => {
    const { report, made } = await run(3, { concurrency: 8, shares: false });
    expect(made).toBe(3);
    expect(report.cached).toBe(0);
  });

  it('are counted before the run as the run counts them', () => {
    const calls = planned(3, true).calls;
    expect(answeredWithoutCall(calls, new Set(), true)).toBe(2);
    expect(answeredWithoutCall(calls, new Set(), false)).toBe(0);
    expect(answeredWithoutCall(calls, new Set([calls[0]!.key]), true)).toBe(3);
    expect(answeredWithoutCall(planned(3, false).calls, new Set(), true)).toBe(0);
  });
});
