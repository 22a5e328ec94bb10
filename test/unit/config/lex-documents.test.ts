// The document limit counts documents, not `---` markers: a file that starts with `---` holds as
// many documents as its markers, one without it one more (100,000 documents starting with `---`
// were refused as "over 100,000").
import { describe, expect, it } from 'vitest';
import { LineCounter } from 'yaml';
import { lexAndParse } from '../../../src/config/lex.js';

function tooMany(src: string) {
  const lexed = lexAndParse(src, new LineCounter());
  if (!lexed.ok) throw new Error(lexed.message);
  return lexed.tooMany;
}

describe('the document limit', () => {
  it('reads 100,000 documents whether or not the first starts with ---', () => {
    expect(tooMany('---\na: 1\n'.repeat(100_000))).toBeUndefined();
    expect(tooMany(`a: 1\n${'---\na: 1\n'.repeat(99_999)}`)).toBeUndefined();
    expect(tooMany(`# a comment first\n%YAML 1.2\n${'---\na: 1\n'.repeat(100_000)}`)).toBeUndefined();
  });

  it('refuses the 100,001st document at its start', () => {
    const marked = '---\na: 1\n'.repeat(100_001);
    expect(tooMany(marked)?.at).toBe(marked.length - '---\na: 1\n'.length);
    const unmarked = `a: 1\n${'---\na: 1\n'.repeat(100_000)}`;
    expect(tooMany(unmarked)?.at).toBe(unmarked.length - '---\na: 1\n'.length);
  });

  it('counts a document begun after an end marker without ---', () => {
    const ended = 'a: 1\n...\n'.repeat(100_001);
    expect(tooMany(ended)?.at).toBe(ended.length - 'a: 1\n...\n'.length);
    expect(tooMany('a: 1\n...\n'.repeat(100_000))).toBeUndefined();
  });
});
