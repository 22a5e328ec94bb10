// A prompt text that holds half a UTF-16 surrogate pair on one side and U+FFFD on the other (what
// a file written as UTF-8 made of it): the diff printed both as U+FFFD, so the update's two lines
// looked the same. The half pair is shown as its escape, and U+FFFD in a changed line as its own.
import { describe, expect, it } from 'vitest';
import { textDiff } from '../../../src/views/textdiff.js';

describe('half a surrogate pair in a diff of prompt text', () => {
  it('is shown as its escape, and U+FFFD in a changed line as its own, so the two lines differ', () => {
    const d = textDiff('Greet the caller \ud83d\nBe brief.\ud83d\n', 'Greet the caller \ufffd\nBe brief.\ud83d\n');
    expect(d.lines.filter((l) => l.kind !== 'hunk')).toEqual([
      { kind: 'del', text: 'Greet the caller \\ud83d' },
      { kind: 'add', text: 'Greet the caller \\ufffd' },
      { kind: 'ctx', text: 'Be brief.\\ud83d' },
    ]);
  });

  it('leaves a whole emoji and an unchanged U+FFFD as they are', () => {
    const d = textDiff('Hi \ud83d\ude00 \ufffd\nA\n', 'Hi \ud83d\ude00 \ufffd\nB\n');
    expect(d.lines.find((l) => l.kind === 'ctx')?.text).toBe('Hi \ud83d\ude00 \ufffd');
  });
});
