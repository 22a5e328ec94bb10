// A failed call in a test's report names its HTTP status with its code: "internal.server.error:
// The server encountered an internal error." did not tell a 500 (not retried) from a 503 (retried,
// then given up), which `run` says (a review). A transport failure has no status: its code alone.
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TestRun } from '../../../src/evals/types.js';
import { failures } from '../../../src/views/test-cells.js';

function failed(repetition: number, error: { status: number; code: string; message: string }): TestRun {
  return {
    case: 'refund',
    caseIndex: 0,
    requested: '1.1.0',
    version: '1.1.0',
    repetition,
    cached: false,
    observation: { outcome: 'error', output: '', wallMs: 5, filters: [], error },
    assertions: [],
    passed: false,
  };
}

const outcome = (runs: TestRun[]): TestOutcome => ({
  name: 'faq', address: 'PromptTest/faq', target: 'bot@1.1.0', kind: 'template', threshold: 1, repeat: runs.length, runs,
  rate: { passed: 0, total: runs.length, rate: 0, met: false }, byVersion: [], met: false, notes: [], source: 'prompts/tests/t.yaml:3',
});

describe('a failed call in the report', () => {
  it('says its status, code and words; a transport failure its code', () => {
    const messages = failures(outcome([failed(1, { status: 500, code: 'internal.server.error', message: 'The server encountered an internal error.' }), failed(2, { status: 0, code: 'ECONNRESET', message: 'connection dropped (ECONNRESET)' })])).map((f) => f.message);
    expect(messages).toEqual(['500 internal.server.error: The server encountered an internal error.', 'ECONNRESET: connection dropped (ECONNRESET)']);
  });
});
