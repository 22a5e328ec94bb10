// The progress line of a finished case counts its runs as the report's cell does: under --compare
// a case whose only assertion is routedTo is not checked, so with one repetition erroring and two
// not checked the line said '✗ … 0/3' while the report said '0/1 (error, not checked)'.
import { describe, expect, it } from 'vitest';
import type { PlannedCall, PlannedTest } from '../../../src/evals/render.js';
import { runTests, type CaseDone } from '../../../src/evals/runner.js';
import type { ResultCache } from '../../../src/evals/cache.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';
import type { InvocationRequest, InvocationResult } from '../../../src/targets/llmgateway/wire.js';
import { renderTestText, testProgressLine } from '../../../src/views/test-results.js';
import { renderTestMarkdown } from '../../../src/views/test-markdown.js';

const VERSIONS = ['1.0.0', '1.1.0'] as const;

/** `where` on both versions, three times each, asserting only routedTo, as --compare plans it. */
function compared(): PlannedTest {
  const c = { name: 'where', vars: { question: 'q' }, messages: [], expect: [{ type: 'routedTo', value: '1.1.0', not: false }] } as unknown as TestCase;
  const test = { kind: 'PromptTest', name: 'smoke', labels: {}, target: { template: 'bot' }, repeat: 3, threshold: 1, cases: [c], responses: [], source: { file: 't.yaml', line: 1, column: 1 }, locations: {} } as unknown as PromptTest;
  const calls: PlannedCall[] = VERSIONS.flatMap((version) =>
    [1, 2, 3].map((repetition) => ({
      caseIndex: 0,
      case: c,
      requested: version,
      repetition,
      call: { kind: 'template' as const, request: { template: 'bot', version, variables: { question: `${version}#${repetition}` } } },
      key: `${version}#${repetition}`.padEnd(64, '0'),
      inputs: ['q'],
    })),
  );
  return { test, kind: 'template', target: 'bot@1.0.0 vs 1.1.0', versions: [...VERSIONS], threshold: 1, repeat: 3, calls, notes: [] };
}

const none: ResultCache = { get: async () => undefined, set: async () => undefined };

describe('the progress line under --compare, a routedTo-only case with one repetition erroring', () => {
  it('counts the checked runs only, as the report does: 0/1, and says the others were not checked', async () => {
    const gateway = {
      invoke(req: InvocationRequest): Promise<InvocationResult> {
        // 1.0.0's second call fails (a result: an error the report shows); every other answers.
        if (req.variables['question'] === '1.0.0#2') return Promise.reject(Object.assign(new Error('boom'), { status: 500, code: 'server.error' }));
        return Promise.resolve({ id: 'x', template: 'bot', version: req.version, model: 'm', output: { text: 'ok' }, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, costUsd: 0, latencyMs: 1, filters: [] } as unknown as InvocationResult);
      },
    };
    const done: CaseDone[] = [];
    const report = await runTests([compared()], { gateway, cache: none, concurrency: 1, countTokens: () => 1, onCaseDone: (e) => done.push(e) }, { target: 'test', compare: [...VERSIONS] });
    const lines = done.map((e) => testProgressLine(e));
    expect(lines).toEqual(['✗ smoke · where @1.0.0: 0/1 passed (2 not checked) [case 1/2]', '– smoke · where @1.1.0: not checked [case 2/2]']);
    // The report's cell for the same case and version: the same count.
    expect(renderTestText(report)).toMatch(/^ {2}where\s+✗ fail 0\/1 \(not checked, error\) · .*– not checked/m);
    // Side by side (one row a case): 1.0.0's cell, then 1.1.0's.
    expect(renderTestMarkdown(report)).toMatch(/^\| where \| ❌ 0\/1 [^|]* \| ➖ not checked[^|]* \|$/m);
  });
});
