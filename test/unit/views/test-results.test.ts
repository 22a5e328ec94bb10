// The test-result views on a hand-made report: JUnit counts and escaping, the markdown cap, text.
import { describe, expect, it } from 'vitest';
import type { TestOutcome, TestReport, TestRun } from '../../../src/evals/types.js';
import { renderJunit, xmlEscape } from '../../../src/views/test-junit.js';
import { renderTestMarkdown } from '../../../src/views/test-markdown.js';
import { renderTestJson, renderTestText, testProgressLine } from '../../../src/views/test-results.js';
import { answered } from '../../helpers/observations.js';


function runOf(c: string, i: number, repetition: number, passed: boolean, extra: Partial<TestRun> = {}): TestRun {
  return {
    case: c,
    caseIndex: i,
    requested: '1.1.0',
    version: '1.1.0',
    repetition,
    cached: false,
    observation: answered('Say "hi" & <bye>\u0001'),
    assertions: [{ type: 'contains', not: false, value: 'a<b & "c"', passed, detail: passed ? 'found in the output' : 'not found in "Say…"' }],
    passed,
    ...extra,
  };
}

function outcome(name: string, runs: TestRun[], threshold: number): TestOutcome {
  const passed = runs.filter((r) => r.passed).length;
  const rate = { passed, total: runs.length, rate: passed / runs.length, met: passed / runs.length >= threshold };
  return { name, address: `PromptTest/${name}`, target: 'bot@1.1.0', kind: 'template', threshold, repeat: 2, runs, rate, byVersion: [], met: rate.met, notes: [], source: 'prompts/tests/t.yaml:3' };
}

const notRun = runOf('needs plan', 1, 1, false, {
  notRun: 'var "plan" is not a variable of version 1.1.0',
  observation: { outcome: 'error', output: '', wallMs: 0, filters: [], error: { status: 0, code: 'not.run', message: 'x' } },
  assertions: [],
});

const report: TestReport = {
  target: 'http://127.0.0.1:1 (client local-client)',
  tests: [
    outcome('quotes & co', [runOf('a "case"', 0, 1, true), runOf('a "case"', 0, 2, false), notRun], 0.3),
    outcome('strict', [runOf('only', 0, 1, false), runOf('only', 0, 2, false)], 1),
  ],
  invocations: 4,
  cached: 1,
  ok: false,
  durationMs: 10,
};

describe('JUnit XML', () => {
  const xml = renderJunit(report);

  it('counts tests, failures and errors per suite and in total (each call a testcase, plus the threshold verdict)', () => {
    // The failed run of `quotes & co`, within the threshold its test met, is a flaky pass (test-junit-within-threshold.test.ts).
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="promptctl test" tests="7" failures="3" errors="1" skipped="0" time="0\.600">/);
    expect(xml).toContain('<testsuite name="PromptTest/quotes &amp; co" tests="4" failures="0" errors="1" skipped="0"');
    expect(xml).toContain('<testsuite name="PromptTest/strict" tests="3" failures="3" errors="0" skipped="0"');
    expect(xml.match(/<testcase /g)).toHaveLength(7);
    expect(xml.match(/<failure /g)).toHaveLength(3);
    expect(xml.match(/<flakyFailure /g)).toHaveLength(1);
    expect(xml.match(/<error /g)).toHaveLength(1);
    expect(xml).toContain('name="pass rate vs threshold" time="0.000">\n      <system-out>pass rate 33 % (1/3), threshold 30 %</system-out>');
    expect(xml).toContain('<error message="not run: var &quot;plan&quot; is not a variable of version 1.1.0" type="not.run">');
    expect(xml).toContain('name="a &quot;case&quot; @1.1.0 #2" time="0.150" file="prompts/tests/t.yaml">');
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(xml).toContain('<failure message="contains &quot;a&lt;b &amp; \\&quot;c\\&quot;&quot;" type="assertion">');
    expect(xml).toContain('<system-out>Say &quot;hi&quot; &amp; &lt;bye&gt;\uFFFD</system-out>');
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
    expect(xmlEscape("a'b\u0000\uD800")).toBe('a&apos;b\uFFFD\uFFFD');
    // Well-formed enough for a strict reader: every tag closes.
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<\/testsuite>/g)).toHaveLength(2);
    expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  });
});

describe('markdown and text', () => {
  it('markdown: a summary table first, a block per test, cut with a note past the cap', () => {
    const md = renderTestMarkdown(report);
    expect(md.split('\n')[0]).toBe('### ❌ promptctl test: 1 of 2 tests met their threshold');
    expect(md).toContain('| ✅ | `quotes & co` | bot@1.1.0 | 33 % (1/3) | 30 % |');
    expect(md).toContain('<details open><summary>❌ <code>strict</code>');
    expect(md).toContain('- ⚠️ **needs plan** @1.1.0: not run: var "plan" is not a variable of version 1.1.0');
    const small = renderTestMarkdown(report, { cap: 1200 });
    expect(small.length).toBeLessThanOrEqual(1200);
    expect(small).toMatch(/_1 more test did not fit \(`[^`]+`\): run `promptctl test --format json` for all of them\._/);
  });

  it('markdown past the cap: the failed tests first (a long one without its passing cases), then what still fits', () => {
    const many = (n: number, failAt?: number): TestRun[] => Array.from({ length: n }, (_, i) => runOf(`passing case number ${i} with a descriptive name`, i, 1, i !== failAt));
    // A long passing test first (listed first), a small failing one, a long one with one failure.
    const big: TestReport = {
      ...report,
      tests: [outcome('aaa-pass', many(300), 1), outcome('full', [runOf('fails', 0, 1, false)], 1), outcome('long-fail', many(300, 7), 1)],
    };
    const md = renderTestMarkdown(big);
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain('<details open><summary>❌ <code>full</code>');
    expect(md).toContain('<details open><summary>❌ <code>long-fail</code>');
    expect(md).toContain('| passing case number 7 with a descriptive name | 1.1.0 | ❌ 0/1 |');
    expect(md).not.toContain('| passing case number 8 with a descriptive name | 1.1.0 | ✅');
    expect(md).toContain('_299 passing cases left out to fit: `promptctl test --format json` has them._');
    expect(md).not.toContain('<code>aaa-pass</code>');
    expect(md).toMatch(/_1 more test did not fit \(`aaa-pass`\): run `promptctl test --format json` for all of them\._\n$/);
    // In the report's order: the summary table lists all three, the blocks keep their order.
    expect(md).toContain('| ✅ | `aaa-pass` |');
    expect(md.indexOf('<code>full</code>')).toBeLessThan(md.indexOf('<code>long-fail</code>'));
    // Everything that fits is whole.
    expect(renderTestMarkdown({ ...big, tests: big.tests.slice(1, 2) })).not.toContain('left out to fit');
  });

  it('markdown past the cap: a failed test too long even without its passing cases keeps a block with its first failing cases', () => {
    // 300 failing cases: their rows alone outgrow the cap; small passing tests must not take its place.
    const failing = Array.from({ length: 300 }, (_, i) => runOf(`failing case number ${i} with a descriptive name`, i, 1, false));
    const passing = (name: string) => outcome(name, [runOf('fine', 0, 1, true)], 1);
    const md = renderTestMarkdown({ ...report, tests: [passing('p1'), outcome('big', failing, 1), passing('p2')] });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain('<details open><summary>❌ <code>big</code>');
    expect(md).toContain('| failing case number 0 with a descriptive name | 1.1.0 | ❌ 0/1 |');
    expect(md).toMatch(/_(\d+) more failing cases left out to fit: `promptctl test --format json` has them\._/);
    expect(md).toContain('- ❌ **failing case number 0 with a descriptive name** @1.1.0: contains');
    // Room was kept for the block of every failed test: only passing ones are left out, by name.
    expect(md).not.toMatch(/did not fit \([^)]*big/);
  });

  it('markdown past the cap: the note naming the tests left out fits too, when those have the longest names', () => {
    // Short-named tests fit first; the long-named ones are left out, and the note names them.
    const long = (i: number) => `a-test-whose-name-runs-on-and-on-to-be-long-${'x'.repeat(60)}-${i}`;
    const rows = (n: number) => Array.from({ length: n }, (_, i) => runOf(`case ${i} with a name`, i, 1, true));
    const tests = [...['a', 'b', 'c', 'd', 'e'].map((n) => outcome(n, rows(1), 1)), ...Array.from({ length: 6 }, (_, i) => outcome(long(i), rows(40), 1))];
    for (const cap of [3000, 6000, 9000]) {
      const md = renderTestMarkdown({ ...report, tests }, { cap });
      expect(md.length, `cap ${cap}`).toBeLessThanOrEqual(cap);
      expect(md, `cap ${cap}`).toMatch(/more tests? did not fit \([^)]*`a-test-whose-name/);
    }
  });

  it('text and progress lines: a control character in a test or case name is shown escaped, never sent to the terminal', () => {
    const esc = { ...report, tests: [outcome('esc\u001b[31mred', [runOf('case\u001b[2Jwiped\nforged', 0, 1, false)], 1)] };
    const text = renderTestText(esc);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain('PromptTest/esc\\u001b[31mred → bot@1.1.0');
    expect(text).toContain('case\\u001b[2Jwiped\\u000aforged');
    const line = testProgressLine({ test: 'esc\u001b[31mred', case: 'a\u0007b', version: '1.1.0', runs: [runOf('a\u0007b', 0, 1, false)], done: 1, of: 1 });
    expect(line).toBe('✗ esc\\u001b[31mred · a\\u0007b @1.1.0: 0/1 passed [case 1/1]');
  });

  it('text: repeated failures are said once with the runs they hit', () => {
    const text = renderTestText(report);
    expect(text).toContain('  ✗ only @1.1.0 (all 2 runs): contains "a<b & \\"c\\"": not found in "Say…"');
    expect(text).toContain('  ✗ a "case" @1.1.0 (run 2 of 2): contains');
    expect(text).toContain('  ! needs plan @1.1.0: not run: var "plan" is not a variable of version 1.1.0');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 of 2 tests met their threshold; 4 calls made, 1 answered from the cache.');
  });
});

describe('an interrupted report', () => {
  // One test cut short (1 case of 3 finished), one that never ran.
  const partial: TestOutcome = { ...outcome('smoke', [runOf('refund', 0, 1, true)], 1), met: false, casesNotRun: 2 };
  const none: TestOutcome = { ...outcome('later', [], 1), rate: { passed: 0, total: 0, rate: 0, met: true }, met: false, casesNotRun: 4 };
  const report: TestReport = { target: 'emulator', tests: [partial, none], invocations: 1, cached: 0, ok: false, durationMs: 10, interrupted: { casesFinished: 1, casesNotRun: 6, callsCutOff: 2 } };

  it('text: the finished cases, no verdict for a test cut short, and the interruption in the last line', () => {
    const text = renderTestText(report);
    expect(text).toContain('  pass rate 100 % (1/1) of the cases that finished, threshold 100 %: not checked (2 cases did not run)');
    expect(text).toContain('PromptTest/later → bot@1.1.0\n  not run: interrupted before any of its 4 cases finished\n');
    expect(text.split('\n').at(-1)).toBe('Interrupted: 1 of 7 cases finished, 6 did not run; 1 call made, 2 cut off.');
  });

  it('junit: well-formed, the verdict of each test cut short an error', () => {
    const xml = renderJunit(report);
    expect(xml).toContain('<testsuites name="promptctl test" tests="3" failures="0" errors="2" skipped="0"');
    expect(xml).toContain('<error message="interrupted: 2 of 3 cases did not run; the threshold was not checked" type="interrupted">');
    expect(xml).toContain('<error message="interrupted: 4 of 4 cases did not run; the threshold was not checked" type="interrupted">');
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<\/testsuite>/g)).toHaveLength(2);
  });

  it('markdown: interrupted in the heading, ⏹️ for each test cut short', () => {
    const md = renderTestMarkdown(report);
    expect(md.split('\n')[0]).toBe('### ⏹️ promptctl test: interrupted, 1 of 7 cases finished, 6 did not run');
    expect(md).toContain('<details open><summary>⏹️ <code>smoke</code>: pass rate 100 % (1/1) of the cases that finished, threshold 100 %: not checked (2 cases did not run)</summary>');
    expect(md).toContain('<details><summary>⏹️ <code>later</code>: not run: interrupted before any of its 4 cases finished</summary>\n\n</details>');
  });
});

describe('--compare with one version not on the target yet', () => {
  // 1.1.0 ran and passed; 1.2.0 is not live: its pass rate has no case, not 0 %.
  const waitingRun = (): TestRun => ({
    ...runOf('refund', 0, 1, false),
    requested: '1.2.0',
    version: '1.2.0',
    notLive: 'bot@1.2.0 is not on this target yet (apply it, then test)',
    observation: { outcome: 'error', output: '', wallMs: 0, filters: [], error: { status: 0, code: 'not.live', message: 'x' } },
    assertions: [],
  });
  const t: TestOutcome = {
    ...outcome('cmp', [runOf('refund', 0, 1, true), waitingRun()], 1),
    target: 'bot@1.1.0 vs 1.2.0',
    repeat: 1,
    rate: { passed: 1, total: 1, rate: 1, met: true },
    byVersion: [
      { version: '1.1.0', passed: 1, total: 1, rate: 1, met: true },
      { version: '1.2.0', passed: 0, total: 0, rate: 0, met: true },
    ],
    met: true,
    notLive: 1,
  };
  const report: TestReport = { target: 'emulator', tests: [t], compare: ['1.1.0', '1.2.0'], invocations: 1, cached: 0, notLive: 1, ok: true, durationMs: 1 };

  it('says the version with no case run has no pass rate (text, markdown, junit), never "0 % (0/0)"', () => {
    const text = renderTestText(report);
    expect(text).toContain('  pass rate 1.1.0: 100 % (1/1), 1.2.0: — (no case ran), threshold 100 %: met (1 case not run: not on this target yet)');
    const md = renderTestMarkdown(report);
    expect(md).toMatch(/^\| ✅ \| `cmp` \| bot@1\.1\.0 vs 1\.2\.0 \| 1\.1\.0: 100 % \(1\/1\)<br>1\.2\.0: — \(no case ran\) · 1 case not run \| 100 % \|$/m);
    const xml = renderJunit(report);
    expect(xml).toContain('<system-out>pass rate 1.1.0: 100 % (1/1), 1.2.0: — (no case ran), threshold 100 %</system-out>');
    expect(xml).toContain('<property name="passRate@1.1.0" value="1"/>');
    expect(xml).not.toContain('passRate@1.2.0');
    for (const out of [text, md, xml]) expect(out).not.toContain('(0/0)');
  });
});

describe('a routed test none of whose cases ran yet (each not on the target)', () => {
  const waitingRun = (repetition: number): TestRun => {
    const { requested: _r, version: _v, ...rest } = runOf('card number', 0, repetition, false, {
      notLive: 'bot@1.0.0 and bot@1.1.0 are not on this target yet (apply them, then test)',
      observation: { outcome: 'error', output: '', wallMs: 0, filters: [], error: { status: 0, code: 'not.live', message: 'x' } },
      assertions: [],
    });
    return rest;
  };
  const runs = [waitingRun(1), waitingRun(2)];
  const t: TestOutcome = {
    ...outcome('routed', runs, 1),
    target: 'bot (traffic split: 1.0.0 80 %, 1.1.0 20 %)',
    rate: { passed: 0, total: 0, rate: 0, met: true },
    met: true,
    notLive: 1,
  };
  const waiting: TestReport = { target: 'x', tests: [t], invocations: 0, cached: 0, ok: true, durationMs: 1, notLive: 1 };

  it('names its cases without a version they never got: no "@?"', () => {
    const xml = renderJunit(waiting);
    expect(xml).toContain('name="card number #1"');
    expect(xml).not.toContain('@?');
    const text = renderTestText(waiting);
    expect(text).toMatch(/^ {2}– card number \(all 2 runs\): not run: /m);
    expect(text).toMatch(/^ {2}card number +— +– not run/m);
    expect(text).not.toContain('?');
    const md = renderTestMarkdown(waiting);
    expect(md).toContain('- ⏳ **card number** (all 2 runs): not run:');
    expect(md).toContain('| card number | — | ⏳ not run');
  });

  it('gives no pass rate where none was measured: no JUnit passRate property, rate null in JSON', () => {
    expect(renderJunit(waiting)).not.toContain('name="passRate"');
    expect(renderJunit(report)).toContain('<property name="passRate" value="0"/>');
    const json = JSON.parse(renderTestJson(waiting));
    expect(json.tests[0].rate).toEqual({ passed: 0, total: 0, rate: null, met: true });
    expect(json.tests[0].verdict).toBe('not run');
    expect(JSON.parse(renderTestJson(report)).tests[1].rate.rate).toBe(0);
  });
});

describe('JUnit names that stay the same from run to run', () => {
  // A routed test: the split sent run 1 to 1.0.0 (it failed) and run 2 to 1.1.0.
  const routed = (repetition: number, version: string, passed: boolean): TestRun => {
    const { requested: _r, ...rest } = runOf('refund', 0, repetition, passed, { version });
    return rest;
  };
  const t: TestOutcome = { ...outcome('routed', [routed(1, '1.0.0', false), routed(2, '1.1.0', true)], 1), target: 'bot (traffic split: 1.0.0 50 %, 1.1.0 50 %)' };
  const xml = renderJunit({ target: 'x', tests: [t], invocations: 2, cached: 0, ok: false, durationMs: 1 });

  it('a routed call: its case and run number; the version it went to is a property and starts its failure', () => {
    expect([...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1])).toEqual(['refund #1', 'refund #2', 'pass rate vs threshold']);
    expect(xml).toContain('name="refund #2" time="0.150" file="prompts/tests/t.yaml">\n      <properties>\n        <property name="version" value="1.1.0"/>\n      </properties>\n    </testcase>');
    expect(xml).toMatch(/<property name="version" value="1\.0\.0"\/>\n {6}<\/properties>\n {6}<failure [^>]*>version 1\.0\.0 answered\ncontains /);
    expect(xml).toContain('<failure message="below the threshold: pass rate 50 % (1/2), threshold 100 %" type="threshold">');
  });

  it('a pinned version stays in the name (the test chose it)', () => {
    expect(renderJunit(report)).toContain('name="only @1.1.0 #1"');
    expect(renderJunit(report)).not.toContain('<property name="version"');
  });
});

describe('--compare, a test whose every case asserts only routedTo', () => {
  const blank = (version: string): TestRun => ({
    ...runOf('goes to 1.1.0', 0, 1, false, { requested: version, version }),
    notChecked: 'routedTo is its only assertion, and --compare does not check it (each call names its version)',
    assertions: [],
  });
  const t: TestOutcome = {
    ...outcome('where', [blank('1.0.0'), blank('1.1.0')], 1),
    target: 'bot@1.0.0 vs 1.1.0',
    repeat: 1,
    rate: { passed: 0, total: 0, rate: 0, met: true },
    byVersion: [
      { version: '1.0.0', passed: 0, total: 0, rate: 0, met: true },
      { version: '1.1.0', passed: 0, total: 0, rate: 0, met: true },
    ],
    met: true,
  };
  const report: TestReport = { target: 'x', tests: [t], compare: ['1.0.0', '1.1.0'], invocations: 2, cached: 0, ok: true, durationMs: 1 };

  it('is not checked, never met or passed, in every format', () => {
    const text = renderTestText(report);
    expect(text).toMatch(/^ {2}goes to 1\.1\.0 +– not checked · .* +– not checked · /m);
    expect(text).toContain('  pass rate 1.0.0: — (no case checked), 1.1.0: — (no case checked), threshold 100 %: not checked');
    expect(text.split('\n').at(-1)).toBe('No test was checked; 2 calls made.');
    expect(text).not.toMatch(/✓|✗/);
    const md = renderTestMarkdown(report);
    expect(md).toContain('| ➖ | `where` |');
    expect(md).toMatch(/^\| goes to 1\.1\.0 \| ➖ not checked · [^|]+ \| ➖ not checked · [^|]+ \|$/m);
    // Nothing checked, so nothing passed: the comment's heading has no green check either.
    expect(md.split('\n')[0]).toMatch(/^### ➖ promptctl test: /);
    expect(JSON.parse(renderTestJson(report)).tests[0].verdict).toBe('not checked');
    const xml = renderJunit(report);
    expect(xml.match(/<skipped message="not checked: routedTo is its only assertion/g)).toHaveLength(2);
    // The verdict too: nothing checked reached none, so it is no passing testcase.
    expect(xml).toContain('name="pass rate vs threshold" time="0.000">\n      <skipped message="not checked: pass rate 1.0.0: — (no case checked), 1.1.0: — (no case checked), threshold 100 %"/>');
    expect(xml).toMatch(/<testsuites [^>]*tests="3" failures="0" errors="0" skipped="3"/);
    expect(testProgressLine({ test: 'where', case: 'goes to 1.1.0', version: '1.0.0', runs: [blank('1.0.0')], done: 1, of: 2 })).toBe('– where · goes to 1.1.0 @1.0.0: not checked [case 1/2]');
  });

  it('beside a test that ran: counted apart', () => {
    const other = outcome('strict', [runOf('only', 0, 1, true)], 1);
    expect(renderTestText({ ...report, tests: [other, t] }).split('\n').at(-1)).toBe('1 of 1 test met its threshold; 1 not checked; 2 calls made.');
  });
});

describe('failure lines of a test the traffic split routes', () => {
  // Five repetitions of one case, routed by the split: 1, 2 and 4 to 1.0.0, 3 and 5 to 1.1.0. A
  // run's number counts the case's repetitions, so "of" must count them too, whichever version
  // answered (a review saw "runs 11, 12, 14, 15, 16 of 13").
  const routed = (repetition: number, version: string, passed: boolean): TestRun => runOf('any', 0, repetition, passed, { requested: undefined, version });
  const split: TestOutcome = {
    ...outcome('split', [routed(1, '1.0.0', true), routed(2, '1.0.0', true), routed(3, '1.1.0', true), routed(4, '1.0.0', false), routed(5, '1.1.0', false)], 0.5),
    target: 'bot (traffic split)',
    repeat: 5,
  };
  const text = renderTestText({ ...report, tests: [split] });
  const md = renderTestMarkdown({ ...report, tests: [split] });

  it('numbers each failed run among all of the case\'s runs, one routed run included', () => {
    expect(text).toContain('any @1.0.0 (run 4 of 5): contains');
    expect(text).toContain('any @1.1.0 (run 5 of 5): contains');
    expect(md).toContain('**any** @1.0.0 (run 4 of 5):');
  });

  it('says "all" only when every run of the case failed', () => {
    const all: TestOutcome = { ...split, runs: split.runs.map((r) => ({ ...r, passed: false, assertions: r.assertions.map((a) => ({ ...a, passed: false, detail: 'not found' })) })) };
    const t = renderTestText({ ...report, tests: [all] });
    expect(t).toContain('any @1.0.0 (runs 1, 2, 4 of 5)');
    expect(t).toContain('any @1.1.0 (runs 3, 5 of 5)');
  });
});

describe('a run with no PromptTest', () => {
  const none: TestReport = { target: 'x', tests: [], invocations: 0, cached: 0, ok: true, durationMs: 1 };

  it('says there was nothing to run: no green check for nothing, no empty table', () => {
    const md = renderTestMarkdown(none);
    expect(md.split('\n')[0]).toBe('### ➖ promptctl test: no PromptTest to run');
    expect(md).not.toContain('| | Test |');
    expect(renderTestText(none).split('\n').at(-1)).toMatch(/^No PromptTest to run; 0 calls made/);
  });
});
