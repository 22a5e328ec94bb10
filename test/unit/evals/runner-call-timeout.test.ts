// One call that times out is that call's error, not the end of the run (a reviewer's case,
// reproduced through a proxy that held one invocation past the client's 30 s: the run printed
// only "error: POST …/invocations failed: timed out …" after two minutes, and the case that had
// passed was thrown away with the whole report). A refused sign-in or a refused connection still
// stops the run: every other call would fail the same way.
import { describe, expect, it } from 'vitest';
import type { PlannedCall, PlannedTest } from '../../../src/evals/render.js';
import { runTests } from '../../../src/evals/runner.js';
import { noCache } from '../../../src/evals/cache.js';
import { ApiError } from '../../../src/genesys/errors.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';
import type { InvocationRequest, InvocationResult } from '../../../src/targets/llmgateway/wire.js';

const here = { file: 'tests.yaml', line: 1, column: 1 };

function planned(questions: string[]): PlannedTest {
  const list = questions.map((q) => ({ name: q, vars: { question: q }, messages: [], expect: [{ type: 'contains', value: 'ok', not: false }] }) as unknown as TestCase);
  const test = { kind: 'PromptTest', name: 'smoke', labels: {}, target: { template: 'bot', version: '1.0.0' }, repeat: 1, threshold: 1, cases: list, responses: [], source: here, locations: {} } as unknown as PromptTest;
  const calls: PlannedCall[] = list.map((c, caseIndex) => ({
    caseIndex,
    case: c,
    requested: '1.0.0',
    repetition: 1,
    call: { kind: 'template' as const, request: { template: 'bot', version: '1.0.0', variables: { question: questions[caseIndex]! } } },
    key: `k${caseIndex}`.padEnd(64, '0'),
    inputs: [questions[caseIndex]!],
  }));
  return { test, kind: 'template', target: 'bot@1.0.0', threshold: 1, repeat: 1, calls, notes: [] };
}

function answer(text: string): InvocationResult {
  return { id: 'x', template: 'bot', version: '1.0.0', model: 'gpt-4o-mini', output: { text }, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, costUsd: 0, latencyMs: 1, filters: [] } as unknown as InvocationResult;
}

/** A gateway that fails the call whose question is `failing` with `err`, and answers the others. */
function gateway(failing: string, err: Error) {
  return {
    async invoke(req: InvocationRequest): Promise<InvocationResult> {
      if (req.variables['question'] === failing) throw err;
      return answer('ok');
    },
  };
}

const timedOut = () =>
  new ApiError('POST /api/v2/llmgateway/invocations failed: timed out (socket); gave up after 4 attempts in 121.0 s', 0, 'ETIMEDOUT', 'cid-1', 'POST', '/api/v2/llmgateway/invocations');

describe('a call that times out', () => {
  it('is reported as that case\'s error, and the other cases keep their results', async () => {
    const report = await runTests([planned(['fast', 'slow'])], { gateway: gateway('slow', timedOut()), cache: noCache(), countTokens: () => 1 }, { target: 'test' });
    const [fast, slow] = report.tests[0]!.runs;
    expect(fast!.passed).toBe(true);
    expect(slow!.passed).toBe(false);
    expect(slow!.observation.outcome).toBe('error');
    expect(slow!.observation.error?.code).toBe('ETIMEDOUT');
    expect(slow!.observation.error?.message).toContain('timed out');
    expect(report.tests[0]!.rate).toMatchObject({ passed: 1, total: 2 });
    expect(report.ok).toBe(false);
    expect(report.invocations).toBe(2);
  });

  it('a refused connection or sign-in still stops the run', async () => {
    const refused = new ApiError('connection refused', 0, 'ECONNREFUSED', 'cid-2', 'POST', '/api/v2/llmgateway/invocations');
    await expect(runTests([planned(['fast', 'down'])], { gateway: gateway('down', refused), cache: noCache(), countTokens: () => 1, concurrency: 1 }, { target: 'test' })).rejects.toThrow('connection refused');
    const unauthorized = new ApiError('bad credentials', 401, 'bad.credentials', 'cid-3', 'POST', '/api/v2/llmgateway/invocations');
    await expect(runTests([planned(['fast', 'down'])], { gateway: gateway('down', unauthorized), cache: noCache(), countTokens: () => 1, concurrency: 1 }, { target: 'test' })).rejects.toThrow('bad credentials');
  });
});
