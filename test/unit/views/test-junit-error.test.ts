// The JUnit file of a run refused before its report: with invalid files, a testcase per error
// diagnostic beside the summary error, escaped as the other testcases are.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { formatText } from '../../../src/views/diagnostics.js';
import { renderJunitError } from '../../../src/views/test-junit.js';

const unxml = (s: string): string => s.replace(/&(quot|apos|lt|gt|amp);|&#(\d+);/g, (_, e: string | undefined, n: string | undefined) => (n ? String.fromCharCode(Number(n)) : ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' })[e!]!));

const diagnostics: Diagnostic[] = [
  { file: 'prompts/bot/v1.yaml', line: 10, column: 10, severity: 'error', rule: 'tokens/unknown-model', message: 'unknown model "gpt 4o"; did you mean "gpt-4o"?' },
  { file: 'prompts/tests/t.yaml', line: 3, column: 5, severity: 'warning', rule: 'tests/routed-pinned', message: 'a warning stops nothing' },
  { file: 'prompts/odd\u001b[2J\nname.yaml', line: 2, column: 1, severity: 'error', rule: 'schema/type', message: 'a <b> & "c"\nsecond line\u0007' },
];

describe('renderJunitError', () => {
  it('without diagnostics: the one summary error, as before', () => {
    const xml = renderJunitError('the target is unreachable');
    expect(xml.match(/<testcase /g)).toHaveLength(1);
    expect(xml).toContain('<testsuites name="promptctl test" tests="1" failures="0" errors="1" skipped="0" time="0.000">');
    expect(xml).toContain('<error message="the target is unreachable" type="error">the target is unreachable</error>');
  });

  it('a testcase per error diagnostic after the summary: file:line:column, file and line attributes, the rule, the line stderr says', () => {
    const xml = renderJunitError('2 errors in prompts: nothing was tested', diagnostics);
    expect(xml).toContain('<testsuites name="promptctl test" tests="3" failures="0" errors="3" skipped="0" time="0.000">');
    expect(xml).toContain('<testsuite name="promptctl test" tests="3" failures="0" errors="3" skipped="0" time="0.000">');
    expect(xml).not.toContain('a warning stops nothing');
    const cases = [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)" time="0\.000"(?: file="([^"]*)" line="(\d+)")?>\n {6}<error message="([^"]*)" type="([^"]*)">([^<]*)<\/error>\n {4}<\/testcase>/g)];
    expect(cases.map((c) => c[2])).toEqual(['promptctl test', 'prompts/bot/v1.yaml:10:10', 'prompts/odd\\u001b[2J\\u000aname.yaml:2:1']);
    const [, bot, odd] = cases;
    expect(bot!.slice(1).map((s) => (s === undefined ? s : unxml(s)))).toEqual([
      'promptctl.validate',
      'prompts/bot/v1.yaml:10:10',
      'prompts/bot/v1.yaml',
      '10',
      formatText(diagnostics[0]!),
      'tokens/unknown-model',
      formatText(diagnostics[0]!),
    ]);
    // A control character or line break in a path or message: shown escaped on one line, as on stderr.
    expect(unxml(odd![5]!)).toBe('prompts/odd\\u001b[2J\\u000aname.yaml:2:1: error: a <b> & "c"\\nsecond line\\u0007 [schema/type]');
    expect(unxml(odd![7]!)).toBe(formatText(diagnostics[2]!));
    // The file attribute is the path itself (what XML can hold of it: the ESC is replaced, the line break a reference).
    expect(odd![3]).toBe('prompts/odd\uFFFD[2J&#10;name.yaml');
    expect(xml).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});
