// A test call on something the target lacks (a template not found, a version not published: the
// live read before the calls failed, or the org changed since) is the case's error with a hint
// to apply. The hint is the caller's command (cli/test.ts passes the apply of the run's --env and
// --dir): "run `promptctl apply`" alone, copied as written, applied to the default target instead.
import { describe, expect, it } from 'vitest';
import type { PlannedCall, PlannedTest } from '../../../src/evals/render.js';
import { runTests } from '../../../src/evals/runner.js';
import { noCache } from '../../../src/evals/cache.js';
import { ApiError } from '../../../src/genesys/errors.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';

const here = { file: 'tests.yaml', line: 1, column: 1 };

function planned(call: PlannedCall['call']): PlannedTest {
  const c = { name: 'one', vars: { question: 'hi' }, messages: [], expect: [{ type: 'contains', value: 'ok', not: false }] } as unknown as TestCase;
  const target = call.kind === 'template' ? { template: 'bot', version: '1.0.0' } : { guide: 'helper' };
  const test = { kind: 'PromptTest', name: 'smoke', labels: {}, target, repeat: 1, threshold: 1, cases: [c], responses: [], source: here, locations: {} } as unknown as PromptTest;
  const calls: PlannedCall[] = [{ caseIndex: 0, case: c, repetition: 1, call, key: 'k'.padEnd(64, '0'), inputs: ['hi'] }];
  return { test, kind: call.kind, target: call.kind === 'template' ? 'bot@1.0.0' : 'helper', threshold: 1, repeat: 1, calls, notes: [] };
}

const notFound = () => new ApiError('template not found', 404, 'not.found', 'cid-1', 'POST', '/api/v2/llmgateway/invocations');
const gateway = {
  invoke(): Promise<never> {
    return Promise.reject(notFound());
  },
};
const guides = {
  listGuides: () => Promise.resolve([]),
  sessionTurn: () => Promise.reject(new Error('no turn expected')),
};
const HINT = 'run `promptctl apply --env staging --dir team` first';

describe('a test call on what the target lacks', () => {
  it('names the apply the caller gives (its --env and --dir) for a template not found', async () => {
    const report = await runTests([planned({ kind: 'template', request: { template: 'bot', version: '1.0.0', variables: { question: 'hi' } } })], { gateway, cache: noCache(), countTokens: () => 1, applyFirst: HINT }, { target: 'test' });
    expect(report.tests[0]!.runs[0]!.observation.error?.message).toBe(`template not found (is it applied to this target? ${HINT})`);
  });

  it('names it for a guide the target does not have', async () => {
    const call = { kind: 'guide' as const, guide: 'helper', inputVariables: [], turns: ['hi'], encoding: 'o200k_base' as const };
    const deps = { gateway, guides: guides as never, cache: noCache(), countTokens: () => 1, applyFirst: HINT };
    const report = await runTests([planned(call)], deps, { target: 'test' });
    expect(report.tests[0]!.runs[0]!.observation.error?.message).toBe(`guide "helper" does not exist on the target (is it applied? ${HINT})`);
  });

  it('keeps the plain apply when the caller names none', async () => {
    const report = await runTests([planned({ kind: 'template', request: { template: 'bot', version: '1.0.0', variables: { question: 'hi' } } })], { gateway, cache: noCache(), countTokens: () => 1 }, { target: 'test' });
    expect(report.tests[0]!.runs[0]!.observation.error?.message).toBe('template not found (is it applied to this target? run `promptctl apply`)');
  });
});
