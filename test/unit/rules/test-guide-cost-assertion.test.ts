// maxCostUsd on a guide test can never pass: a guide turn reports no cost, and the runner fails
// the assertion ("the target reported no cost") with or without `not`. validate says so at the
// assertion, as it does for the gateway's assertions.
import { describe, expect, it } from 'vitest';
import { checkTests } from '../../../src/rules/tests.js';
import { guide, promptTest, state, testCase } from './build.js';

describe('a guide test asserting a cost', () => {
  it('is an error at the assertion', () => {
    const user = { messages: [{ role: 'user' as const, content: 'I want to return this.' }] };
    const t = promptTest('a', { guide: 'Returns' }, [
      testCase('c', {}, [
        { type: 'maxCostUsd', value: 0.01, not: false },
        { type: 'maxOutputTokens', value: 100, not: false },
        { type: 'maxLatencyMs', value: 5000, not: false },
      ], user),
    ]);
    const ds = checkTests(state({ guides: [guide('Returns')], tests: [t] }));
    expect(ds.map((d) => [d.rule, d.severity])).toEqual([['tests/assertion-target', 'error']]);
    expect(ds[0]!.message).toContain('maxCostUsd');
    expect(ds[0]!.message).toContain('reports no cost');
  });
});
