// A case name holding an ESC and a line break, through every test view called directly: validate
// now refuses such a name (tests/control-character), so no CLI test reaches the views' escaping of
// case names any more, and the views must still never pass a raw control character on (a name from
// a file validate did not see, a report built by other code). Text and the progress line show it
// `\u001b` and `\u000a` on one line; markdown as text (the backslash itself escaped), the line
// break a space; JUnit as XML can hold it (an ESC is no XML character: U+FFFD; the line break a
// character reference).
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TestReport, TestRun } from '../../../src/evals/types.js';
import { renderJunit } from '../../../src/views/test-junit.js';
import { renderTestMarkdown } from '../../../src/views/test-markdown.js';
import { notComparedLine, renderTestText, testProgressLine } from '../../../src/views/test-results.js';
import { answered } from '../../helpers/observations.js';

const NAME = 'refund\u001b[31m\ntiming';
/** A raw C0 control character other than the line breaks a document's own layout writes. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

function run(version: string, repetition: number, passed: boolean): TestRun {
  return {
    case: NAME,
    caseIndex: 0,
    requested: version,
    version,
    repetition,
    cached: false,
    observation: answered('ok'),
    assertions: [{ type: 'contains', not: false, value: 'x', passed, detail: passed ? 'found' : 'not found' }],
    passed,
  };
}

const runs = [run('1.0.0', 1, true), run('1.0.0', 2, false), run('1.1.0', 1, false), run('1.1.0', 2, true)];
const compared: TestOutcome = {
  name: 'smoke',
  address: 'PromptTest/smoke',
  target: 'bot@1.0.0 vs 1.1.0',
  kind: 'template',
  threshold: 1,
  repeat: 2,
  runs,
  rate: { passed: 2, total: 4, rate: 0.5, met: false },
  byVersion: [
    { version: '1.0.0', passed: 1, total: 2, rate: 0.5, met: false },
    { version: '1.1.0', passed: 1, total: 2, rate: 0.5, met: false },
  ],
  met: false,
  notes: [],
  source: 'prompts/tests/t.yaml:3',
};
const compareReport: TestReport = { target: 'x', tests: [compared], compare: ['1.0.0', '1.1.0'], invocations: 4, cached: 0, ok: false, durationMs: 1 };
/** The same runs as pinned versions (one table row per case and version). */
const plainReport: TestReport = { target: 'x', tests: [{ ...compared, target: 'bot@1.1.0', byVersion: [] }], invocations: 4, cached: 0, ok: false, durationMs: 1 };

const SHOWN = 'refund\\u001b[31m\\u000atiming';

describe('a case name with an ESC and a line break', () => {
  it('text: escaped on its line in the table (both layouts) and in the failures', () => {
    for (const report of [compareReport, plainReport]) {
      const text = renderTestText(report);
      expect(text).not.toMatch(CONTROL);
      expect(text).not.toContain(NAME);
      // The row starts with the name, whole, on one line: no line begins with the name's second half.
      expect(text).toMatch(new RegExp(`^ {2}${SHOWN.replace(/[\\[\]]/g, '\\$&')} +`, 'm'));
      expect(text).not.toMatch(/^timing/m);
      expect(text).toContain(`  ✗ ${SHOWN} @1.0.0 (run 2 of 2): contains "x": not found`);
      expect(text).toContain(`  ✗ ${SHOWN} @1.1.0 (run 1 of 2): contains "x": not found`);
    }
  });

  it('markdown: the escape shown as text, the line break a space, in the table rows and the failures', () => {
    for (const report of [compareReport, plainReport]) {
      const md = renderTestMarkdown(report);
      expect(md).not.toMatch(CONTROL);
      if (report === compareReport) {
        // Side by side: the case's row holds both versions.
        expect(md).toContain('| refund\\\\u001b\\[31m timing | ❌ 1/2 · ');
      } else {
        expect(md).toContain('| refund\\\\u001b\\[31m timing | 1.0.0 | ❌ 1/2 |');
        expect(md).toContain('| refund\\\\u001b\\[31m timing | 1.1.0 | ❌ 1/2 |');
      }
      expect(md).toContain('- ❌ **refund\\\\u001b\\[31m timing** @1.0.0 (run 2 of 2): contains "x": not found');
    }
  });

  it('junit: each testcase named in what XML can hold, with no raw control character', () => {
    for (const report of [compareReport, plainReport]) {
      const xml = renderJunit(report);
      expect(xml).not.toMatch(CONTROL);
      const names = [...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1]);
      // Each run asked for its version (compared, or pinned): in the name.
      const at = (v: string) => ` @${v}`;
      expect(names).toEqual([
        `refund\uFFFD[31m&#10;timing${at('1.0.0')} #1`,
        `refund\uFFFD[31m&#10;timing${at('1.0.0')} #2`,
        `refund\uFFFD[31m&#10;timing${at('1.1.0')} #1`,
        `refund\uFFFD[31m&#10;timing${at('1.1.0')} #2`,
        'pass rate vs threshold',
      ]);
    }
  });

  it('the progress line: escaped, on one line', () => {
    const line = testProgressLine({ test: 'smoke', case: NAME, version: '1.0.0', runs: runs.slice(0, 2), done: 1, of: 2 });
    expect(line).toBe(`✗ smoke · ${SHOWN} @1.0.0: 1/2 passed [case 1/2]`);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it("--compare's note on a test it leaves out: escaped, on one line", () => {
    const line = notComparedLine('smoke', `case "${NAME}": var "plan" is not a variable of version 1.0.0`);
    expect(line).toBe(`note: PromptTest/smoke is not compared: case "${SHOWN}": var "plan" is not a variable of version 1.0.0`);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});
