// A pass rate as the reports print it never reads as meeting a threshold it missed (199 of 200
// runs is not "100 %" against a threshold of 100 %), and a threshold reads as it was written
// (0.955 is "95.5 %"): text, markdown and JUnit XML say the same.
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TestReport, TestRun } from '../../../src/evals/types.js';
import { renderJunit } from '../../../src/views/test-junit.js';
import { renderTestMarkdown } from '../../../src/views/test-markdown.js';
import { renderTestText } from '../../../src/views/test-results.js';
import { answered } from '../../helpers/observations.js';

function run(i: number, passed: boolean): TestRun {
  return { case: 'c', caseIndex: 0, requested: '1.1.0', version: '1.1.0', repetition: i + 1, cached: false, observation: answered('x'), assertions: [], passed };
}

function report(passed: number, total: number, threshold: number): TestReport {
  const runs = Array.from({ length: total }, (_, i) => run(i, i < passed));
  const rate = passed / total;
  const met = rate >= threshold - 1e-9;
  const t: TestOutcome = { name: 'strict', address: 'PromptTest/strict', target: 'bot@1.1.0', kind: 'template', threshold, repeat: total, runs, rate: { passed, total, rate, met }, byVersion: [], met, notes: [], source: 'prompts/tests/t.yaml:3' };
  return { target: 'emulator', tests: [t], invocations: total, cached: 0, ok: met, durationMs: 1 };
}

describe('pass rates against thresholds, as printed', () => {
  it('199/200 against 100 % reads below it', () => {
    const r = report(199, 200, 1);
    expect(renderTestText(r)).toContain('pass rate 99 % (199/200), threshold 100 %: NOT met');
    expect(renderTestMarkdown(r)).toContain('| 99 % (199/200) | 100 % |');
    expect(renderJunit(r)).toContain('<failure message="below the threshold: pass rate 99 % (199/200), threshold 100 %" type="threshold">');
  });

  it('a threshold with a decimal reads as written, and a rate just below it reads below it', () => {
    const below = report(191, 200, 0.96); // 95.5 %
    expect(renderTestText(below)).toContain('pass rate 95 % (191/200), threshold 96 %: NOT met');
    const exact = report(191, 200, 0.955);
    expect(renderTestText(exact)).toContain('pass rate 95.5 % (191/200), threshold 95.5 %: met');
    const under = report(1909, 2000, 0.955); // 95.45 %
    expect(renderTestText(under)).toContain('pass rate 95.4 % (1909/2000), threshold 95.5 %: NOT met');
    expect(renderJunit(under)).toContain('pass rate 95.4 % (1909/2000), threshold 95.5 %"');
  });

  it('a threshold finer than two decimals reads as written, never as the rate that misses it', () => {
    expect(renderTestText(report(9, 10, 0.9000001))).toContain('pass rate 90.00000 % (9/10), threshold 90.00001 %: NOT met');
    // Finer than six decimals: rounded up, still above the rate that misses it.
    expect(renderTestText(report(9, 10, 0.900000005))).toContain('pass rate 90.000000 % (9/10), threshold 90.000001 %: NOT met');
    expect(renderTestText(report(9, 10, 0.9))).toContain('pass rate 90 % (9/10), threshold 90 %: met');
  });

  it('rates that need no care read as before', () => {
    expect(renderTestText(report(1, 2, 1))).toContain('pass rate 50 % (1/2), threshold 100 %: NOT met');
    expect(renderTestText(report(2, 3, 0.66))).toContain('pass rate 67 % (2/3), threshold 66 %: met');
    expect(renderTestText(report(3, 3, 1))).toContain('pass rate 100 % (3/3), threshold 100 %: met');
    expect(renderTestText(report(1, 20, 0.05))).toContain('pass rate 5.0 % (1/20), threshold 5.0 %: met');
  });
});
