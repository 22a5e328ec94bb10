// `promptctl test --format markdown` with many tests (a reviewer's case): the summary table listed
// every test with no cap, so 400 long-named tests made 72K characters (past the section's 20K and
// GitHub's 65,536) and the one failed test was named nowhere once the workflow cut the section.
// Within the cap now: the verdict, every failed test's name and failing cases, then the passing
// ones while they fit, the rest counted. JSON and JUnit stay complete.
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TestReport, TestRun } from '../../../src/evals/types.js';
import { TEST_MARKDOWN_CAP, renderTestMarkdown } from '../../../src/views/test-markdown.js';
import { renderTestReport } from '../../../src/views/test-report.js';
import { answered } from '../../helpers/observations.js';

function run(c: string, passed: boolean): TestRun {
  return {
    case: c,
    caseIndex: 0,
    requested: '1.1.0',
    version: '1.1.0',
    repetition: 1,
    cached: false,
    observation: answered('ok'),
    assertions: [{ type: 'maxOutputTokens', not: false, value: 1, passed, detail: passed ? 'within' : '10 output tokens, more than 1' }],
    passed,
  };
}

function outcome(name: string, passed: boolean): TestOutcome {
  const runs = [run('a short answer', passed)];
  const rate = { passed: Number(passed), total: 1, rate: Number(passed), met: passed };
  return { name, address: `PromptTest/${name}`, target: 'bot@1.1.0', kind: 'template', threshold: 1, repeat: 1, runs, rate, byVersion: [], met: passed, notes: [], source: 'prompts/tests/t.yaml:3' };
}

/** A 120-character name, distinct for each test. */
const longName = (i: number): string => `billing-assistant-answers-a-question-about-refunds-${String(i).padStart(3, '0')}-`.padEnd(120, 'x');

function manyTests(n: number, failing: readonly number[]): TestReport {
  const tests = Array.from({ length: n }, (_, i) => outcome(longName(i), !failing.includes(i)));
  return { target: 'emulator', tests, invocations: n, cached: 0, ok: failing.length === 0, durationMs: 10 };
}

/** The count the summary table's last row gives of the tests it does not list. */
function leftOutOfTable(md: string): number | undefined {
  const m = /^\| \| _… and ([\d,]+) more tests? passed; `promptctl test --format json` lists every test\._ \| \| \| \|$/m.exec(md);
  return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
}

describe('markdown with 400 long-named tests, one failed in the middle', () => {
  const report = manyTests(400, [349]);
  const md = renderTestMarkdown(report);

  it('stays within its cap', () => {
    expect(md.length).toBeLessThanOrEqual(TEST_MARKDOWN_CAP);
  });

  it('keeps the verdict, names the failed test in the table and shows its failing case', () => {
    expect(md.split('\n')[0]).toBe('### ❌ promptctl test: 399 of 400 tests met their threshold');
    expect(md).toContain(`| ❌ | \`${longName(349)}\` | bot@1.1.0 |`);
    expect(md).toContain(`<details open><summary>❌ <code>${longName(349)}</code>`);
    expect(md).toContain('- ❌ **a short answer** @1.1.0: maxOutputTokens 1: 10 output tokens, more than 1');
  });

  it('says how many passing tests the table leaves out, and they add up to 400', () => {
    const rows = md.split('\n').filter((l) => /^\| (✅|❌) \| `/.test(l)).length;
    const left = leftOutOfTable(md);
    expect(left).toBeGreaterThan(0);
    expect(rows + left!).toBe(400);
    // The table stays one table: every line from its heading to its end is a row of five cells.
    const start = md.indexOf('| | Test |');
    const table = md.slice(start, md.indexOf('\n\n', start)).split('\n');
    expect(table.length).toBe(2 + rows + 1);
    // Cut, the table names the failed test first: a cut from the end (the PR workflow's, sharing
    // the comment between environments) keeps it.
    expect(table[2]).toMatch(/^\| ❌ \| `billing-assistant-answers-a-question-about-refunds-349-/);
    expect(table.at(-1)).toMatch(/^\| \| _… and/);
    for (const line of table) expect(line.match(/\|/g), line).toHaveLength(6);
  });

  it('with many failed tests too: within the cap, the ones not named counted', () => {
    const failing = Array.from({ length: 400 }, (_, i) => i).filter((i) => i % 2 === 1);
    const many = renderTestMarkdown(manyTests(400, failing));
    expect(many.length).toBeLessThanOrEqual(TEST_MARKDOWN_CAP);
    expect(many).toContain(`| ❌ | \`${longName(1)}\``);
    expect(many).toMatch(/^\| \| _… and [\d,]+ more tests: [\d,]+ failed, [\d,]+ passed; `promptctl test --format json` lists every test\._ \| \| \| \|$/m);
  });

  it('json and junit stay complete', () => {
    expect(JSON.parse(renderTestReport(report, 'json')).tests).toHaveLength(400);
    const xml = renderTestReport(report, 'junit');
    expect(xml.match(/<testsuite /g)).toHaveLength(400);
    expect(xml).toContain(`<testsuite name="PromptTest/${longName(349)}"`);
  });
});
