// Diagnostics as printed: a message quoting a file's control characters shows them as escapes,
// in text and in GitHub annotations, so a prompts file cannot drive the reader's terminal.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { formatGithub, formatText } from '../../../src/views/diagnostics.js';

const d: Diagnostic = { file: 'p.yaml', line: 2, column: 7, severity: 'error', rule: 'schema/kind', message: 'unknown kind "Prompt\u001b[31mX\u0000"\r\nsee\rDESIGN' };

describe('printing diagnostics', () => {
  it('writes control characters as escapes, keeping the message one line (a line break as \\n, a CR as \\r)', () => {
    expect(formatText(d)).toBe('p.yaml:2:7: error: unknown kind "Prompt\\u001b[31mX\\u0000"\\r\\nsee\\rDESIGN [schema/kind]');
    expect(formatGithub(d)).toBe('::error file=p.yaml,line=2,col=7,title=schema/kind::unknown kind "Prompt\\u001b[31mX\\u0000"%0D%0Asee%0DDESIGN');
  });
});

describe('a line or paragraph separator in an annotation', () => {
  // GitHub shows an annotation's message in its web UI, where U+2028/U+2029 may break the line as
  // %0A does; a separator can only come from a value the message quotes, so it is shown as the
  // escape the text format writes, and the annotation reads the same as the text line.
  const sep: Diagnostic = { file: 'p.yaml', line: 3, column: 10, severity: 'error', rule: 'tokens/unknown-model', message: 'unknown model "gpt\u20284o\u2029mini"' };
  it('is written as \\u2028 and \\u2029, as in text', () => {
    expect(formatGithub(sep)).toBe('::error file=p.yaml,line=3,col=10,title=tokens/unknown-model::unknown model "gpt\\u20284o\\u2029mini"');
    expect(formatText(sep)).toContain('unknown model "gpt\\u20284o\\u2029mini"');
  });
});

describe('a bidi control or an invisible character in an annotation', () => {
  // GitHub draws an annotation's message in the pull request's files view, where a right-to-left
  // override would draw the rest of it backwards: written as the escape the text format writes.
  const bidi: Diagnostic = { file: 'p.yaml', line: 7, column: 3, severity: 'error', rule: 'schema/unknown-field', message: 'unknown field "descr\u202eiption\u200b" in spec' };
  it('is written as \\u202e, \\u200b, as in text', () => {
    expect(formatGithub(bidi)).toBe('::error file=p.yaml,line=7,col=3,title=schema/unknown-field::unknown field "descr\\u202eiption\\u200b" in spec');
    expect(formatText(bidi)).toContain('unknown field "descr\\u202eiption\\u200b" in spec');
  });
});
