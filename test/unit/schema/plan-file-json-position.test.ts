// A plan file that is not JSON is refused at the line and column of its first mistake. Node 20's
// JSON.parse names no position for an unexpected token ("Unexpected token 'x', …"), and such a
// mistake was reported at the end of the file: in a plan of a thousand lines, nowhere near it.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { checkPlanFile } from '../../../src/schema/plan-file.js';
import { renderJson } from '../../../src/views/plan-json.js';
import { liveAfterApply, opts, sampleDesired, split } from '../plan/fixtures.js';

function planText(): string {
  const d = sampleDesired();
  const live = liveAfterApply(d);
  d.splits[0] = split('billing-assistant', [['1.0.0', 50], ['1.1.0', 50]]);
  return renderJson(buildPlan(d, live, opts()));
}

/** Line and column (1-based) of the first occurrence of `needle` in `text`. */
function where(text: string, needle: string): { line: number; column: number } {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function firstProblem(text: string) {
  const checked = checkPlanFile(text, 'plan.json');
  if (checked.ok) throw new Error('expected the file to be refused');
  return checked.diagnostics[0]!;
}

describe('a plan file that is not JSON', () => {
  it('is refused where a misspelt literal stands, not at the end of the file', () => {
    const text = planText().replace('"dirty": false', '"dirty": flase');
    expect(text).toContain('flase');
    const d = firstProblem(text);
    expect(d.rule).toBe('plan/json');
    expect({ line: d.line, column: d.column }).toEqual(where(text, 'flase'));
  });

  it('is refused at an unquoted word and at a trailing comma in a list', () => {
    const word = planText().replace('"dirty": false', '"dirty": maybe');
    expect({ line: firstProblem(word).line, column: firstProblem(word).column }).toEqual(where(word, 'maybe'));

    const comma = '{\n  "formatVersion": 2,\n  "scope": ["a",\n  ]\n}\n';
    expect(() => JSON.parse(comma)).toThrow();
    expect({ line: firstProblem(comma).line, column: firstProblem(comma).column }).toEqual({ line: 4, column: 3 });
  });

  it('is refused at line 1, column 1 when it starts with a byte-order mark or is not JSON at all', () => {
    for (const text of ['\ufeff{"formatVersion": 2}\n', '# a YAML file\nkind: Config\n']) {
      const d = firstProblem(text);
      expect({ line: d.line, column: d.column }).toEqual({ line: 1, column: 1 });
    }
  });

  it('still places a file cut short at its end, and a bad string character where it is', () => {
    const text = planText();
    const cut = text.slice(0, 200);
    const end = cut.split('\n');
    expect({ line: firstProblem(cut).line, column: firstProblem(cut).column }).toEqual({ line: end.length, column: end[end.length - 1]!.length + 1 });

    const tab = '{\n  "id": "a\tb"\n}\n';
    expect({ line: firstProblem(tab).line, column: firstProblem(tab).column }).toEqual({ line: 2, column: 11 });
  });
});

describe('a plan file cut short, or empty', () => {
  // A copy or download that stopped early: JSON.parse's words ("Unterminated string in JSON at
  // position 498", "Unexpected end of JSON input") did not say the file was incomplete.
  it('says it was cut short, at its end, and how to save the plan again', () => {
    for (const n of [1, 200, 457]) {
      const d = firstProblem(planText().slice(0, n));
      expect(d.rule).toBe('plan/json');
      expect(d.message).toBe('not a promptctl plan: it ends before the plan does, so it was cut short (truncated); remove it and save the plan again (`promptctl plan --out plan.json`)');
    }
  });

  it('says an empty file is empty, and one of blanks alone cut short', () => {
    const d = firstProblem('');
    expect(d.message).toBe('not a promptctl plan: the file is empty (`promptctl plan --out plan.json` saves one)');
    expect({ line: d.line, column: d.column }).toEqual({ line: 1, column: 1 });
    expect(firstProblem('\n').message).toMatch(/so it was cut short \(truncated\)/);
  });

  it('still names a mistake inside a whole file as invalid JSON', () => {
    const d = firstProblem(planText().replace('"dirty": false', '"dirty": flase'));
    expect(d.message).toMatch(/^not a promptctl plan: invalid JSON \(/);
  });
});
