// The filter a content.blocked answer names (DESIGN §3: "naming the filter"): ErrorBody's
// messageParams is optional, and a server that named it only in details made every blockedBy
// assertion fail ("blocked by a safety filter", a review through a proxy dropping messageParams).
import { describe, expect, it } from 'vitest';
import { blockingFilter } from '../../../src/evals/calls.js';
import type { PlannedCall, PlannedTest } from '../../../src/evals/render.js';
import { runTests } from '../../../src/evals/runner.js';
import type { ResultCache } from '../../../src/evals/cache.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';

const noCache: ResultCache = { get: async () => undefined, set: async () => undefined };

function planned(): PlannedTest {
  const c = { name: 'phishing', vars: { q: 'x' }, messages: [], expect: [{ type: 'blockedBy', value: 'phishing-block', not: false }] } as unknown as TestCase;
  const test = { kind: 'PromptTest', name: 'blocks', labels: {}, target: { template: 'bot', version: '1.0.0' }, repeat: 1, threshold: 1, cases: [c], responses: [], source: { file: 't.yaml', line: 1, column: 1 }, locations: {} } as unknown as PromptTest;
  const call: PlannedCall = { caseIndex: 0, case: c, requested: '1.0.0', repetition: 1, call: { kind: 'template', request: { template: 'bot', version: '1.0.0', variables: { q: 'x' } } }, key: 'k'.padEnd(64, '0'), inputs: ['x'] };
  return { test, kind: 'template', target: 'bot@1.0.0', threshold: 1, repeat: 1, calls: [call], notes: [] };
}

const blocked = (body: Record<string, unknown>) => ({
  invoke: async () => {
    throw Object.assign(new Error('blocked'), { status: 400, code: 'content.blocked', body: { message: 'The request was blocked by safety filter phishing-block', code: 'content.blocked', status: 400, ...body } });
  },
});

describe('the filter a block names', () => {
  it('is read from messageParams, else from details, else unknown', () => {
    expect(blockingFilter({ messageParams: { filter: 'a' }, details: [{ errorCode: 'content.blocked', entityName: 'b' }] })).toBe('a');
    expect(blockingFilter({ details: [{ errorCode: 'other', entityName: 'x' }, { errorCode: 'content.blocked', entityName: 'b' }] })).toBe('b');
    expect(blockingFilter({ message: 'blocked' })).toBeUndefined();
    expect(blockingFilter(undefined)).toBeUndefined();
  });

  it('passes blockedBy when only the details name the filter', async () => {
    const report = await runTests([planned()], { gateway: blocked({ details: [{ errorCode: 'content.blocked', entityName: 'phishing-block' }] }), cache: noCache, concurrency: 1, countTokens: () => 1 }, { target: 'test' });
    const run = report.tests[0]!.runs[0]!;
    expect(run.observation.blocked?.filter).toBe('phishing-block');
    expect(run.passed).toBe(true);
  });
});
