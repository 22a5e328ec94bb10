// A guide case waiting to start over in a new session (its turn's outcome unknown) when the user
// interrupts is cut off like any case in flight: it is not a result (an error the report counts as
// a finished, failed case), and the report says the run was interrupted.
import { describe, expect, it } from 'vitest';
import type { PlannedCall } from '../../../src/evals/render.js';
import type { ResultCache } from '../../../src/evals/cache.js';
import { runTests } from '../../../src/evals/runner.js';
import type { Observation } from '../../../src/evals/types.js';
import type { PromptTest, TestCase } from '../../../src/model/types.js';

const here = { file: 'tests.yaml', line: 1, column: 1 };

function memoryCache(): ResultCache {
  const m = new Map<string, Observation>();
  return { get: async (k) => m.get(k), set: async (k, o) => void m.set(k, o) };
}

describe('a guide case interrupted while it waits to start over in a new session', () => {
  it('is cut off, not reported as the 503 that made it start over', async () => {
    const ac = new AbortController();
    const c = { name: 'returns', vars: {}, messages: [], expect: [{ type: 'contains', value: 'ok', not: false }] } as unknown as TestCase;
    const test = { kind: 'PromptTest', name: 'guide', labels: {}, target: { guide: 'Returns helper' }, repeat: 1, threshold: 1, cases: [c], responses: [], source: here, locations: {} } as unknown as PromptTest;
    const call: PlannedCall = {
      caseIndex: 0,
      case: c,
      repetition: 1,
      call: { kind: 'guide', guide: 'Returns helper', inputVariables: [], turns: ['hello'] },
      key: '0'.repeat(64),
      inputs: [],
    };
    const guides = {
      listGuides: async () => [{ id: 'g1', name: 'Returns helper', latestSavedVersion: { version: '1.0' } }],
      sessionTurn: async () => {
        // The user interrupts during the backoff before the next session.
        setTimeout(() => ac.abort(), 50);
        throw Object.assign(new Error('POST …/turns: 503; the server may or may not have applied it; not retried'), { status: 503, code: 'service.unavailable', outcomeUnknown: true });
      },
    };
    const report = await runTests(
      [{ test, kind: 'guide', target: 'guide Returns helper', threshold: 1, repeat: 1, calls: [call], notes: [] }],
      { gateway: { invoke: async () => Promise.reject(new Error('no template calls here')) }, guides: guides as never, cache: memoryCache(), countTokens: () => 1, signal: ac.signal },
      { target: 'test' },
    );
    expect(report.tests[0]!.runs).toEqual([]);
    expect(report.interrupted).toEqual({ casesFinished: 0, casesNotRun: 1, callsCutOff: 1 });
    expect(report.invocations).toBe(0);
  });
});
