// The once-a-file check before continued items are looked for (config/continued-items.ts): it must
// hold for every shape the walk can find, and not for a file whose lists are a mapping item's fields
// (variables and their values, labels), which is nearly every file: matched, each document was
// walked for nothing, 5 % of validate at 1,000 templates.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { continuedItems, MAY_HOLD_CONTINUED_ITEM } from '../../../src/config/continued-items.js';
import { execBounded } from '../../../src/util/regex.js';

const found = (src: string): number => continuedItems(parseDocument(src), src).length;

describe('MAY_HOLD_CONTINUED_ITEM', () => {
  it('holds for each shape a continued item takes', () => {
    for (const src of [
      'labels:\n  - email\n    -pii\n',
      'values:\n- email\n  -pii\n',
      'x:\n  - a long\n    text\n\n    - sms\n',
      'x:\r\n  - email\r\n\r\n    -pii\r\n',
      'x:\n  - see http://example.com\n    -pii\n',
      'a:\n  b:\n    - email\n      - sms\n',
    ]) {
      expect(found(src), src).toBeGreaterThan(0);
      expect(MAY_HOLD_CONTINUED_ITEM.test(src), src).toBe(true);
    }
  });

  // Lines a text line and a blank one could both take (blank, indented deeper than the `-`) made the
  // regex try every way to split them: 14 took 68 s, each one more twice as long. It now answers at
  // once; bounded here (util/regex.ts execBounded), so that without the fix the test fails, not hangs.
  it('answers at once after an item followed by many blank lines indented deeper, or a long block text', () => {
    const holds = (src: string): boolean => execBounded(MAY_HOLD_CONTINUED_ITEM, src, 5_000) !== null;
    const blanks = `items:\n  - a\n${'      \n'.repeat(60)}x: 1\n`;
    expect(holds(blanks)).toBe(false);
    expect(holds(`${blanks.slice(0, -5)}    - sms\n`)).toBe(true);
    const block = `items:\n  - |\n${'    line of text\n'.repeat(60)}x: 1\n`;
    expect(holds(block)).toBe(false);
    expect(holds(`${block.slice(0, -5)}    - sms\n`)).toBe(true);
  });

  it('does not hold for lists of a mapping item\'s fields, one-line items, or a list at its items\' column', () => {
    const version = [
      'apiVersion: promptctl/v1',
      'kind: PromptVersion',
      'spec:',
      '  variables:',
      '    - name: tone',
      '      type: enum',
      '      values:',
      '        - formal',
      '        - casual',
      '    - name: question',
      '      type: string',
      '  fewShotExamples:',
      '    - input: hi',
      '      output: hello',
      '  labels:',
      '    - a',
      '    - b',
      '',
    ].join('\n');
    expect(found(version)).toBe(0);
    expect(MAY_HOLD_CONTINUED_ITEM.test(version)).toBe(false);
  });
});
