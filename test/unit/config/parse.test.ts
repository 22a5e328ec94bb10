import { describe, expect, it } from 'vitest';
import { findTooDeep, MAX_DEPTH, parseYaml } from '../../../src/config/parse.js';
import { Parser } from 'yaml';

describe('parseYaml', () => {
  it('reads every document of a multi-document file with its index', () => {
    const r = parseYaml('a: 1\n---\nb: 2\n---\n# only a comment\n---\nc: [1, 2]\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents.map((d) => [d.index, d.data])).toEqual([
      [0, { a: 1 }],
      [1, { b: 2 }],
      [3, { c: [1, 2] }],
    ]);
  });

  it('uses YAML 1.2 core: yes/on stay strings, 1.10 is a number, << is a plain key', () => {
    const r = parseYaml('a: yes\nb: on\nc: 1.10\nd: 0o17\ne: 017\nbase: &b {x: 1}\nm:\n  <<: *b\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]!.data).toEqual({ a: 'yes', b: 'on', c: 1.1, d: 15, e: 17, base: { x: 1 }, m: { '<<': { x: 1 } } });
  });

  it('reports a duplicate key at the second occurrence, naming the first', () => {
    const r = parseYaml('x: 0\nspec:\n  a: 1\n  b: 2\n  a: 3\n', 'f.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toEqual([
      { file: 'f.yaml', line: 5, column: 3, severity: 'error', rule: 'yaml/duplicate-key', message: 'duplicate key "a"; first defined on line 3' },
    ]);
  });

  it('reports a syntax error with its line and column, and keeps the other documents', () => {
    const r = parseYaml('ok: 1\n---\na: [1, 2\nb: 3\n', 'f.yaml');
    expect(r.documents.map((d) => d.data)).toEqual([{ ok: 1 }]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ file: 'f.yaml', line: 4, column: 1, rule: 'yaml/syntax' });
  });

  it('refuses tabs as indentation', () => {
    const r = parseYaml('a:\n\tb: 1\n', 'f.yaml');
    expect(r.diagnostics[0]).toMatchObject({ line: 2, rule: 'yaml/syntax' });
  });

  it('refuses custom tags', () => {
    const r = parseYaml('a: !secret x\n', 'f.yaml');
    expect(r.diagnostics[0]).toMatchObject({ line: 1, column: 4, rule: 'yaml/tag' });
  });

  it('stops an alias bomb at its first alias, without expanding it', () => {
    let src = 'kind: PromptTemplate\nx0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 12; i++) src += `x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
    const r = parseYaml(src, 'bomb.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ line: 3, column: 10, rule: 'yaml/aliases' }),
    ]);
  });

  it('allows a few aliases', () => {
    const r = parseYaml('v: &v [1, 2]\na: *v\nb: *v\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]!.data).toEqual({ v: [1, 2], a: [1, 2], b: [1, 2] });
  });

  it('refuses 5,000-deep flow nesting at the collection that passes the limit', () => {
    const r = parseYaml(`a: 1\nb: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 'deep.yaml');
    expect(r.documents).toEqual([]);
    // The root mapping is level 1, so the 64th bracket is level 65: column 4 + 63.
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 2, column: 67, rule: 'yaml/too-deep' })]);
  });

  it('refuses 5,000-deep block nesting without exhausting the stack', () => {
    let src = '';
    for (let i = 0; i < 5000; i++) src += `${' '.repeat(i)}- \n`;
    const r = parseYaml(src, 'deep.yaml');
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: MAX_DEPTH + 1, rule: 'yaml/too-deep' })]);
  });

  it('accepts nesting up to the limit', () => {
    const src = `${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}\n`;
    expect(parseYaml(src, 'f.yaml').diagnostics).toEqual([]);
    expect(parseYaml(`[${src}]`, 'f.yaml').diagnostics[0]?.rule).toBe('yaml/too-deep');
  });

  it('parses a multi-megabyte block scalar', () => {
    const body = '  The quick brown fox jumps over the lazy dog.\n'.repeat(50_000);
    const r = parseYaml(`text: |\n${body}`, 'big.yaml');
    expect(r.diagnostics).toEqual([]);
    expect((r.documents[0]!.data as { text: string }).text.length).toBe(body.length - 2 * 50_000);
  });
});

describe('findTooDeep', () => {
  it('counts mappings, sequences and flow collections', () => {
    const tokens = Array.from(new Parser().parse('a: {b: [1, {c: [2]}]}\n'));
    expect(findTooDeep(tokens, 5)).toBeUndefined();
    expect(findTooDeep(tokens, 4)).toBe(15); // the innermost [2]
    expect(findTooDeep(tokens, 3)).toBe(11); // {c: ...}
  });
});
