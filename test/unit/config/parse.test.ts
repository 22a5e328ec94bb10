import { describe, expect, it, vi } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import { findDepthProblem, findTooDeep, MAX_DEPTH } from '../../../src/config/lex.js';
import { findDuplicateKeys } from '../../../src/config/key-problems.js';
import { Parser, parseDocument } from 'yaml';

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

  it('reads lone CR line ends (old Mac files) as YAML does, as line breaks: no document is lost', () => {
    const lf = '# a comment first\na: 1\n---\nb:\n  - x\n';
    const cr = parseYaml(lf.replace(/\n/g, '\r'), 'f.yaml');
    expect(cr.diagnostics).toEqual([]);
    expect(cr.documents.map((d) => d.data)).toEqual([{ a: 1 }, { b: ['x'] }]);
    expect(parseYaml(lf.replace(/\n/g, '\r\n'), 'f.yaml').documents.map((d) => d.data)).toEqual([{ a: 1 }, { b: ['x'] }]);
  });

  it('uses YAML 1.2 core: yes/on stay strings, 1.10 is a number, << is a plain key', () => {
    const r = parseYaml('a: yes\nb: on\nc: 1.10\nd: 0o17\ne: 017\nbase: &b {x: 1}\nm:\n  <<: *b\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]!.data).toEqual({ a: 'yes', b: 'on', c: 1.1, d: 15, e: 17, base: { x: 1 }, m: { '<<': { x: 1 } } });
  });

  it('refuses a document that declares %YAML 1.1, which it would read as 1.2 (010 as 10, not 8) without a word', () => {
    const r = parseYaml('a: 1\n...\n# old style\n%YAML 1.1\n---\nmaxTokens: 010\n...\n%YAML 1.2\n---\nb: 010\n', 'f.yaml');
    expect(r.documents.map((d) => d.data)).toEqual([{ a: 1 }, { b: 10 }]);
    expect(r.diagnostics).toEqual([
      {
        file: 'f.yaml',
        line: 4,
        column: 1,
        severity: 'error',
        rule: 'yaml/version',
        message: "%YAML 1.1: promptctl reads YAML 1.2 (core schema), where 010 is 10 and yes, on are text, not 1.1's 8 and true; remove the directive and write such values as 1.2 reads them (the rest of this document is checked once this is fixed)",
      },
    ]);
  });

  it('reports a duplicate key at the second occurrence, naming the first', () => {
    const r = parseYaml('x: 0\nspec:\n  a: 1\n  b: 2\n  a: 3\n', 'f.yaml');
    // Still read, with the first value of the key, to be checked further but never applied.
    expect(r.documents.map((d) => [d.yamlProblems, d.data])).toEqual([[true, { x: 0, spec: { a: 1, b: 2 } }]]);
    expect(r.diagnostics).toEqual([
      { file: 'f.yaml', line: 5, column: 3, severity: 'error', rule: 'yaml/duplicate-key', message: 'duplicate key "a"; first defined on line 3' },
    ]);
  });

  it('says a duplicate key and a quote its value never closes, on one line, in one run (the second was dropped as an echo)', () => {
    const r = parseYaml('spec:\n  model: gpt-4o\n  model: "gpt-4o-mini\n', 'f.yaml');
    expect(r.diagnostics.map((d) => [d.line, d.column, d.rule])).toEqual([
      [3, 3, 'yaml/duplicate-key'],
      [3, 10, 'yaml/syntax'],
    ]);
  });

  it('takes keys for the property names they become: 1 and "1", true and "true" are one key (small and large maps)', () => {
    // (1.10 and 1.1 are one key too, and 1.10 is first refused as written otherwise: yaml/key-rewritten.)
    for (const [first, second] of [['1', '"1"'], ['true', "'true'"], ['1.5', "'1.5'"]]) {
      const r = parseYaml(`labels:\n  ${first}: a\n  ${second}: b\n`, 'f.yaml');
      expect(r.diagnostics.map((d) => [d.line, d.rule]), `${first} / ${second}`).toEqual([[3, 'yaml/duplicate-key']]);
    }
    const many = Array.from({ length: 20 }, (_, i) => `  k${i}: ${i}`).join('\n');
    const big = parseYaml(`labels:\n  7: a\n${many}\n  "7": b\n`, 'f.yaml');
    expect(big.diagnostics.map((d) => [d.line, d.rule])).toEqual([[23, 'yaml/duplicate-key']]);
  });

  it('refuses a null key (~, null, an empty key) and a collection key at each, never merged with the key "" or "null"', () => {
    // Plain data made `~` and `""` one property, "" (the later value won unsaid), and null and "null" a duplicate.
    const r = parseYaml('labels:\n  ~: a\n  "": b\n  null: c\n  "null": d\n  ? \n  : e\n  team: h\n', 'f.yaml');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`)).toEqual([
      `2:3 yaml/null-key the key ~ is YAML's null, not a name: quote it ("~") if that is the name`,
      `4:3 yaml/null-key the key null is YAML's null, not a name: quote it ("null") if that is the name`,
      "6:3 yaml/null-key this key is empty, and YAML reads an empty key as null, not a name: write the key's name",
    ]);
    // Checked further (never applied) with the keys that are names.
    expect(r.documents.map((d) => [d.yamlProblems, d.data])).toEqual([[true, { labels: { '': 'b', null: 'd', team: 'h' } }]]);
    // A mapping as a key became its flow text, the property a key written so names.
    const c = parseYaml('labels:\n  {x: 1}: f\n  "{ x: 1 }": g\n', 'f.yaml');
    expect(c.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`)).toEqual([
      '2:3 yaml/collection-key this key is a mapping, not a name: every key of a promptctl document is a name (quote it if the brackets are part of it)',
    ]);
    expect(c.documents.map((d) => d.data)).toEqual([{ labels: { '{ x: 1 }': 'g' } }]);
    // In a flow mapping, and an empty key written without `?`: at its colon.
    expect(parseYaml('a: {x: 1, : 2}\nb:\n  : 3\n', 'f.yaml').diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`)).toEqual(['1:11 yaml/null-key', '3:3 yaml/null-key']);
  });

  it('reports a key written as an alias of an earlier key as a duplicate: the later value would win silently', () => {
    const r = parseYaml('spec:\n  &k model: gpt-4o\n  *k : gpt-4\n', 'f.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toEqual([
      { file: 'f.yaml', line: 3, column: 3, severity: 'error', rule: 'yaml/duplicate-key', message: 'duplicate key "model" (the alias *k); first defined on line 2' },
    ]);
    // Two aliases of one key, in a map large enough for the hash set.
    const many = Array.from({ length: 20 }, (_, i) => `  k${i}: ${i}`).join('\n');
    const big = parseYaml(`keys: [&a model]\nspec:\n${many}\n  *a : x\n  *a : y\n`, 'f.yaml');
    expect(big.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual(['24:3 duplicate key "model" (the alias *a); first defined on line 23']);
  });

  it('refuses a plain key YAML reads as another name than written (010: is "10"), and leaves a key written as its name alone', () => {
    const r = parseYaml('labels:\n  010: a\n  1.10: b\n  True: c\n  11: d\n  "007": e\n  false: f\n', 'f.yaml');
    // The labels were "10", "1.1" and "true", without a word.
    expect(r.documents).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`)).toEqual([
      '2:3 yaml/key-rewritten YAML reads the key 010 as the number 10, so it names "10": quote it ("010") to keep it as written',
      '3:3 yaml/key-rewritten YAML reads the key 1.10 as the number 1.1, so it names "1.1": quote it ("1.10") to keep it as written',
      '4:3 yaml/key-rewritten YAML reads the key True as the boolean true, so it names "true": quote it ("True") to keep it as written',
    ]);
    expect(parseYaml('labels: {10: a, "007": b, false: c, 1.5: d}\n', 'f.yaml').diagnostics).toEqual([]);
  });

  it('reports a syntax error with its line and column, and keeps the other documents', () => {
    const r = parseYaml('ok: 1\n---\na: [1, 2\nb: 3\n', 'f.yaml');
    expect(r.documents.map((d) => d.data)).toEqual([{ ok: 1 }]);
    expect(r.diagnostics).toHaveLength(1);
    // At the bracket left open, not where yaml noticed it.
    expect(r.diagnostics[0]).toMatchObject({ file: 'f.yaml', line: 3, column: 4, rule: 'yaml/syntax' });
    expect(r.diagnostics[0]!.message).toContain('the [ opened here is not closed');
  });

  it('refuses tabs as indentation', () => {
    const r = parseYaml('a:\n\tb: 1\n', 'f.yaml');
    expect(r.diagnostics[0]).toMatchObject({ line: 2, rule: 'yaml/syntax' });
  });

  it('refuses custom tags', () => {
    const r = parseYaml('a: !secret x\n', 'f.yaml');
    expect(r.diagnostics[0]).toMatchObject({ line: 1, column: 4, rule: 'yaml/tag' });
    expect(r.diagnostics[0]!.message).toContain('custom tags are not supported');
  });

  it('does not call a standard tag on a value it does not fit a custom one', () => {
    const r = parseYaml('a: !!float 1\n', 'f.yaml');
    expect(r.diagnostics[0]).toMatchObject({ line: 1, column: 4, rule: 'yaml/tag' });
    expect(r.diagnostics[0]!.message).toBe('!!float does not apply to this value as written; drop the tag (the field\'s type is known), or write the value in that type\'s own form (1.0 for !!float)');
    expect(parseYaml('a: !!float 1.5\n', 'f.yaml').diagnostics).toEqual([]);
  });

  it('says every refused tag of a document at once, and reads it on with each tagged value as its plain scalar', () => {
    const r = parseYaml('a: !custom gpt-4o\nb: !!timestamp 2020-01-01\nc: !!float 100\nd: !!set {x, y}\ne: !custom {q: 1}\nf: !custom 5\ng: !!binary |\n  aGVs\n', 'f.yaml');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`)).toEqual(['1:4 yaml/tag', '3:4 yaml/tag', '5:4 yaml/tag', '6:4 yaml/tag', '2:4 yaml/tag', '4:4 yaml/tag', '7:4 yaml/tag']);
    expect(r.documents.map((d) => [d.yamlProblems, d.data])).toEqual([[true, { a: 'gpt-4o', b: '2020-01-01', c: 100, d: { x: null, y: null }, e: { q: 1 }, f: 5, g: 'aGVs\n' }]]);
    // A tag that refuses its value is said once, by its own words.
    const hello = parseYaml('a: !!timestamp hello\n', 'f.yaml');
    expect(hello.diagnostics.map((d) => d.message)).toEqual(['!!timestamp expects a date, starting with yyyy-mm-dd: drop the tag (quote the value if it is text)']);
    expect(hello.documents.map((d) => d.data)).toEqual([{ a: 'hello' }]);
  });

  it('says a half surrogate beside a tag, and that the rest of the document waits for them; above a syntax error only', () => {
    const r = parseYaml('a: "\\ud800"\nb: !custom x\n', 'f.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics.map((d) => [`${d.line}:${d.column} ${d.rule}`, d.message.endsWith('the rest of this document is checked once this is fixed)')])).toEqual([
      ['2:4 yaml/tag', true],
      ['1:5 yaml/escape', true],
    ]);
    // Below a bracket left open, the lines wait for it (its own message); above it, a tag is said.
    const open = (src: string) => parseYaml(src, 'f.yaml').diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`);
    expect(open('a: !!timestamp 2020-01-01\nb: [1\n')).toEqual(['2:4 yaml/syntax', '1:4 yaml/tag']);
    expect(open('b: [1\na: !!timestamp 2020-01-01\n')).toEqual(['1:4 yaml/syntax']);
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

  it('reads a long document that reuses one anchor in every entry (yaml counts 100 uses at most)', () => {
    let src = 'defaults: &d {model: gpt-4o, temperature: 0, tags: [a, b, c]}\ncases:\n';
    for (let i = 0; i < 500; i++) src += `  - {name: case-${i}, with: *d}\n`;
    const r = parseYaml(src, 'long.yaml');
    expect(r.diagnostics).toEqual([]);
    const data = r.documents[0]!.data as { cases: { name: string; with: unknown }[] };
    expect(data.cases).toHaveLength(500);
    expect(data.cases[499]).toEqual({ name: 'case-499', with: { model: 'gpt-4o', temperature: 0, tags: ['a', 'b', 'c'] } });
  });

  it('refuses a document its aliases expand past the limit even without nesting, at its first alias', () => {
    // 1,001 values named 150 times: about 150,000 values once expanded.
    const src = `big: &b [${Array.from({ length: 1000 }, (_, i) => i).join(', ')}]\nuses:\n${'  - *b\n'.repeat(150)}`;
    const r = parseYaml(src, 'wide.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ line: 3, column: 5, rule: 'yaml/aliases', message: expect.stringContaining('more than 100,000 values') }),
    ]);
  });

  it('refuses one long text named in many entries, by the text it expands to', () => {
    // 1 MiB named 10 times: 10 MiB of text once expanded, more than a file promptctl reads may hold.
    const src = `long: &s "${'x'.repeat(1024 * 1024)}"\ncases:\n${'  - *s\n'.repeat(10)}`;
    const r = parseYaml(src, 'long-text.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ line: 3, column: 5, rule: 'yaml/aliases', message: expect.stringContaining('more than 8 MiB of text') }),
    ]);
    // Named 5 times (6 MiB in all): read.
    expect(parseYaml(`long: &s "${'x'.repeat(1024 * 1024)}"\ncases:\n${'  - *s\n'.repeat(5)}`, 'ok.yaml').diagnostics).toEqual([]);
  });

  it('reads a document of many aliases, each to the nearest anchor of its name before it', () => {
    // 16,000 aliases: they are checked in one walk of the document (yaml's resolve() walks it for each: about 25 s here).
    const src = `a: &a 1\nlist: [${Array(16_000).fill('*a').join(', ')}]\nb: &a 2\nlast: *a\n`;
    const r = parseYaml(src, 'many.yaml');
    expect(r.diagnostics).toEqual([]);
    const data = r.documents[0]!.data as { list: number[]; last: number };
    expect(data.list).toHaveLength(16_000);
    expect(new Set(data.list)).toEqual(new Set([1]));
    expect(data.last).toBe(2);
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

  it('refuses a file of more YAML tokens than it reads at the token past the limit, without parsing the rest (a 3.9-million-item list took 43 s and 3.8 GB)', () => {
    const list = parseYaml(`a: [${Array(1_200_000).fill(1).join(',')}]\n`, 'list.yaml');
    expect(list.documents).toEqual([]);
    expect(list.diagnostics).toEqual([expect.objectContaining({ line: 1, rule: 'yaml/too-large', message: expect.stringMatching(/over 3,000,000 tokens .*split it into smaller files/) })]);
    // Three tokens an item (a scalar's mark, its text, the comma), after four for `a: [`: near the millionth item.
    expect(list.diagnostics[0]!.column).toBe(2_000_001);
    // 100,000 documents, then one more.
    const docs = parseYaml('a: 1\n---\n'.repeat(120_000), 'docs.yaml');
    expect(docs.diagnostics).toEqual([expect.objectContaining({ rule: 'yaml/too-large', line: 200_000, message: expect.stringMatching(/more documents than promptctl reads in one file: over 100,000/) })]);
  });

  it('parses a multi-megabyte block scalar', () => {
    const body = '  The quick brown fox jumps over the lazy dog.\n'.repeat(50_000);
    const r = parseYaml(`text: |\n${body}`, 'big.yaml');
    expect(r.diagnostics).toEqual([]);
    expect((r.documents[0]!.data as { text: string }).text.length).toBe(body.length - 2 * 50_000);
  });
});

describe('parseYaml: comments', () => {
  const comments = (src: string) => parseYaml(src, 'f.yaml').comments.list.map((c) => [c.offset, c.text]);

  it('keeps each comment as yaml reads it, with its offset: after a value, on its own line, in a flow list, after a directive', () => {
    expect(comments('# top\na: 1 # after\nb: [x, # in flow\n  y]\n')).toEqual([
      [0, '# top'],
      [11, '# after'],
      [26, '# in flow'],
    ]);
    expect(comments('%YAML 1.2 # why\n---\na: 1\n')).toEqual([[10, '# why']]);
    expect(comments('a: 1 # crlf\r\nb: 2\r\n')).toEqual([[5, '# crlf']]);
  });

  it('takes no `#` inside a scalar for one: quoted, block (a line starting with `#` too), or plain without a space before it', () => {
    expect(comments('a: "x # no"\nb: \'y # no\'\nc: d#no\ne: |\n  # no\n  # nor this\n')).toEqual([]);
    expect(comments('--- |\n# a block text at the top: no comment\n')).toEqual([]);
    expect(comments('a: "x # no" # yes\n')).toEqual([[12, '# yes']]);
  });

  it('keeps the comments of a file it refuses too, up to where lexing stopped', () => {
    const r = parseYaml(`# kept\na: ${'['.repeat(100)}\n`, 'f.yaml');
    expect(r.diagnostics.map((d) => d.rule)).toEqual(['yaml/too-deep']);
    expect(r.comments.list.map((c) => c.text)).toEqual(['# kept']);
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

describe('parseYaml: mistakes reported where a person would point', () => {
  const one = (src: string) => {
    const r = parseYaml(src, 'f.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    return `${d.line}:${d.column} ${d.rule} ${d.message}`;
  };

  it('an unclosed quote at the quote that opened it, not at the end of the file', () => {
    expect(one('a: 1\nb: "open\nc: 2\nd: 3\n')).toBe('2:4 yaml/syntax the double-quoted string that starts here is never closed: add the closing "');
    expect(one("a: 1\nb: 'open\nc: 2\n")).toMatch(/^2:4 yaml\/syntax the single-quoted string .* closing '$/);
  });

  // From review: a quoted text wrapped onto a line at its key's column was 'never closed: add the
  // closing "' (it is closed, on that line), with 'this line is not "key: value"' there too.
  it('a quoted string closed on a line not indented deeper than its key, at the quote, naming that line, once', () => {
    expect(one('spec:\n  description: "Answers about\n  billing"\n  model: x\n')).toBe(
      '2:16 yaml/syntax the double-quoted string that starts here goes on to line 3, which is not indented deeper than its key, so YAML ends the string before that line, unclosed: indent line 3 deeper than the key',
    );
    expect(one("spec:\n  - d: 'it''s\n      fine\n    here'\n")).toMatch(/^2:8 yaml\/syntax the single-quoted string that starts here goes on to line 4, which is not indented deeper than its key/);
    // Indented deeper, it reads; a line without the quote is a quote left open.
    expect(parseYaml('spec:\n  description: "Answers about\n    billing"\n', 'f.yaml').documents[0]!.data).toEqual({ spec: { description: 'Answers about billing' } });
    expect(one('spec:\n  d: "a \\" b\n  c: 1\n')).toBe('2:6 yaml/syntax the double-quoted string that starts here is never closed: add the closing "');
  });

  it('an unclosed flow collection at its bracket', () => {
    expect(one('a:\n  b: {x: 1\n  c: 2\n')).toBe('2:6 yaml/syntax the { opened here is not closed: end it with } (lines inside it must be indented more than its key)');
  });

  it('an over-indented line at that line, once', () => {
    expect(one('spec:\n  model: gpt-4o\n   description: x\n')).toMatch(/^3:4 yaml\/syntax this line is indented deeper than the key above/);
  });

  it('an over-indented line: the message quotes the key the line holds, not a placeholder', () => {
    expect(one('metadata:\n  name: x\n    bad: indent\n')).toBe(
      '3:5 yaml/syntax this line is indented deeper than the key above, so it continues that value, but it holds "bad:": align it with its sibling keys, or quote the value',
    );
    expect(one('spec:\n  model: gpt-4o\n   description: x\n')).toContain('but it holds "description:"');
    expect(one('spec:\r\n  model: gpt-4o\r\n     "odd key": x\r\n')).toContain('but it holds ""odd key":"');
  });

  it('a line without its colon, and a plain value holding ": "', () => {
    expect(one('spec:\n  model gpt-4o\n  description: x\n')).toBe('2:3 yaml/syntax this line is not "key: value": add the ":" after the key');
    expect(one('spec:\n  model: gpt: 4o\n')).toMatch(/^2:10 yaml\/syntax .*a plain value cannot contain ": " \(quote it\)$/);
  });

  it('a value starting with {{ or [ followed by more text, at the value, saying to quote it', () => {
    expect(one('spec:\n  userTemplate: {{q}} please\n')).toBe(
      '2:17 yaml/syntax a value that starts with "{{" is read by YAML as a mapping, so the text after it is an error: put the whole value in quotes or in a | block',
    );
    expect(one('items:\n  - [a] b\n')).toMatch(/^2:5 yaml\/syntax a value that starts with "\[" is read by YAML as a list/);
  });

  it('a mistake inside a flow mapping or list is shown where it is, and a closing bracket too many is named, not taken for text to quote', () => {
    expect(one('spec:\n  budget: {maxPromptTokens: 5,, warnAt: 1}\n')).toBe('2:31 yaml/syntax in the mapping that starts at column 11: Unexpected , in flow map');
    expect(one('spec:\n  budget: {maxPromptTokens: 5, warnAt: 1}}\n')).toBe('2:42 yaml/syntax one "}" too many: the mapping that starts at column 11 ends before it');
    // Brackets inside quotes are text; a quote inside a plain word opens nothing.
    expect(one("x: {a: 'q}}', b: [1, \"]\"]}}\n")).toBe('1:27 yaml/syntax one "}" too many: the mapping that starts at column 4 ends before it');
    expect(one("labels: {note: don't}}\n")).toBe('1:22 yaml/syntax one "}" too many: the mapping that starts at column 9 ends before it');
    expect(one("description: {{customer's name}} is shown\n")).toMatch(/^1:14 yaml\/syntax a value that starts with "\{\{" is read by YAML as a mapping/);
  });

  // From review: a list item written at the level of the keys above it (a variable added without
  // its "variables:", an item at the top level) got yaml's 'A block sequence may not be used as an
  // implicit map key' at column 1, or 'Implicit keys need to be on a single line'.
  it('a list item at the level of a mapping\'s keys, at its "-"', () => {
    const ITEM = 'a list item ("- ") at the level of a mapping\'s keys: a list\'s items and a mapping\'s keys cannot share a level; indent the item under the key whose list it is (or write it as "key: value")';
    expect(one('spec:\n  model: x\n  - name: a\n')).toBe(`3:3 yaml/syntax ${ITEM}`);
    expect(one('spec:\n  model: x\n  - a\n')).toBe(`3:3 yaml/syntax ${ITEM}`);
    expect(one('apiVersion: promptctl/v1\n- kind: PromptTemplate\n')).toBe(`2:1 yaml/syntax ${ITEM}`);
    // A list at its key's own column is YAML's compact form: no problem.
    expect(parseYaml('spec:\n  variables:\n  - name: a\n  model: x\n', 'f.yaml').diagnostics).toEqual([]);
  });

  // From review: yaml's 'Unexpected block-seq-ind on same line with key', for a text that starts with "- ".
  it('a value that starts with "- " on its key\'s line, at the "-", saying to quote it', () => {
    expect(one('spec:\n  description: - refunds only\n')).toBe(
      '2:16 yaml/syntax a value that starts with "- " is read by YAML as a list item, and a list cannot start on its key\'s line: quote the value if it is text, or put the items on the lines below, indented',
    );
    expect(one('l:\n  - k: - x\n')).toMatch(/^2:8 yaml\/syntax a value that starts with "- "/);
  });

  // From review: '-violence' under '- pii' was 'this line is not at the column of the keys or items
  // before it at its level: indent it to match them', of a line at that very column.
  it('a list item without the space after its "-", at the "-"', () => {
    const NO_SPACE = 'a list item needs a space after its "-": YAML reads "-violence" as a key, not an item; write "- violence" for an item';
    expect(one('spec:\n  categories:\n    - pii\n    -violence\n')).toBe(`4:5 yaml/syntax ${NO_SPACE}`);
    expect(one('spec:\n  categories:\n    - pii\n    # more\n\n    -violence\n')).toBe(`6:5 yaml/syntax ${NO_SPACE}`);
    // At another column it is out of line, as before.
    expect(one('c:\n  - pii\n -violence\n')).toMatch(/^3:2 yaml\/syntax this line is not at the column of the keys or items before it/);
  });

  it('a key out of line with its level, at the key, and text after a quoted value, at the text', () => {
    expect(one('spec:\n  - model: x\n  description: y\n')).toBe(
      '3:3 yaml/syntax "description:" is not at the column of the keys or items before it at its level: indent it to match them (a list\'s "- " items and a mapping\'s keys cannot share a level)',
    );
    expect(one("description: 'it''s' extra'\n")).toBe(
      "1:22 yaml/syntax text after the value quoted at column 14: a quoted value ends at its closing '; quote the whole value (write '' for a ' inside it)",
    );
    expect(one('a: "x" y\n')).toMatch(/^1:8 yaml\/syntax text after the value quoted at column 4: .*closing "; quote the whole value/);
    // A quoted value followed by another key: yaml calls it a nested mapping; the quote is not the advice.
    expect(one('spec:\n  model: "gpt-4o", description: abc\n')).toBe('2:18 yaml/syntax a comma does not separate keys on a line: put "description:" on a line of its own, at column 3 like the key before it');
    expect(one('spec:\n  description: "say \\"hi\\"", budget: {warnAt: 2}\n')).toMatch(/^2:28 yaml\/syntax a comma does not separate keys on a line: put "budget:"/);
    expect(one("spec:\n  description: 'it''s', model: x\n")).toMatch(/^2:23 yaml\/syntax a comma does not separate keys on a line: put "model:"/);
    expect(one('spec:\n  - description: "x", model: y\n')).toMatch(/^2:21 yaml\/syntax a comma does not separate keys on a line: put "model:" on a line of its own, at column 5/);
    // Words with a colon after the quote are text, not a key: the value is to be quoted whole.
    expect(one('spec:\n  description: "Billing", for the team: x\n')).toMatch(/^2:25 yaml\/syntax text after the value quoted at column 16/);
    // Unquoted, the advice stands.
    expect(one('spec:\n  description: a: b\n')).toMatch(/^2:16 yaml\/syntax .*a plain value cannot contain ": " \(quote it\)$/);
  });

  it('a tab that indents a line of a | block is that one mistake, not a wrong indent below it', () => {
    const TAB = 'a tab indents this line, and YAML indents with spaces only: replace the tab with spaces (the lines below are checked once it is)';
    const src = 'spec:\n  systemInstruction: |\n    hi\n\tthere\n  userTemplate: x\n  variables: []\n';
    expect(one(src)).toBe(`4:1 yaml/syntax ${TAB}`);
    // On the block's first line, alone or after spaces.
    expect(one('spec:\n  systemInstruction: |\n\tYou help.\n    more\n  userTemplate: x\n')).toBe(`3:1 yaml/syntax ${TAB}`);
    expect(one('spec:\n  systemInstruction: |\n  \tYou help.\n  userTemplate: x\n')).toMatch(new RegExp(`^3:\\d yaml/syntax ${TAB.replace(/[()]/g, '\\$&')}$`));
  });

  it('a line indented with a non-breaking space or another Unicode space, at that space, named: YAML read it as text', () => {
    const NBSP = 'this line is indented with a non-breaking space (U+00A0), which YAML reads as text, not as indentation: indent with ASCII spaces (the lines below are checked once it is)';
    // Was read as the top-level key "\u00a0 model" with spec empty, and no YAML problem at all.
    expect(one('kind: PromptTemplate\nspec:\n\u00a0 model: gpt-4o\n')).toBe(`3:1 yaml/syntax ${NBSP}`);
    // After ASCII spaces, at the character; another space named as itself.
    expect(one('metadata:\n  labels:\n    team: a\n  \u2003 owner: b\n')).toMatch(/^4:3 yaml\/syntax this line is indented with an em space \(U\+2003\), which YAML reads as text/);
    // A plain value's next line: was read into the value.
    expect(one('spec:\n  description: hello\n  \u00a0 world\n')).toBe(`3:3 yaml/syntax ${NBSP}`);
    // One that ends a > block: that one mistake, not yaml's words about the key it makes.
    expect(one('spec:\n  description: >\n    hello\n\u00a0   world\n  model: m\n')).toBe(`4:1 yaml/syntax ${NBSP}`);
    // After a key's ":" or a list item's "-", where YAML needs an ASCII space: was "spec must be a
    // mapping, not "model: gpt-4o"", or yaml's "Implicit map keys need to be followed by map values".
    expect(one('spec:\n  model:\u00a0gpt-4o\n')).toBe(
      '2:9 yaml/syntax a non-breaking space (U+00A0) follows this ":", and YAML reads "model" as a key only with an ASCII space after it, so it reads the line as text: put an ASCII space there (the lines below are checked once it is)',
    );
    expect(one('spec:\n  model: m\n  description:\u00a0hello\n')).toMatch(/^3:15 yaml\/syntax a non-breaking space \(U\+00A0\) follows this ":", and YAML reads "description" as a key/);
    expect(one('routes:\n  -\u00a0version: "1.0.0"\n    weight: 100\n')).toMatch(/^2:4 yaml\/syntax a non-breaking space \(U\+00A0\) follows this "-", and YAML reads a list item only with an ASCII space after it/);
    // Inside a quoted or block text it is the text's own character.
    const r = parseYaml('spec:\n  description: "a\n    \u00a0b"\n  systemInstruction: |\n    x\n    \u00a0y\n    Note:\u00a0z\n  note: it costs 5:\u00a0dollars\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]!.data).toEqual({ spec: { description: 'a \u00a0b', systemInstruction: 'x\n\u00a0y\nNote:\u00a0z\n', note: 'it costs 5:\u00a0dollars' } });
  });

  // From review: only a plain one-word key was caught; a quoted key, one with an anchor or a tag, or
  // one holding spaces gave yaml's or the schema's confusing words, and a `Word:<NBSP>` on a plain
  // value's next line (text to YAML) was reported as a key.
  it('a non-breaking space after any key\'s ":", quoted, with an anchor or holding spaces, and none on a plain value\'s next line', () => {
    const at = (key: string) => `a non-breaking space (U+00A0) follows this ":", and YAML reads "${key}" as a key only with an ASCII space after it, so it reads the line as text: put an ASCII space there (the lines below are checked once it is)`;
    // Was 'text after the value quoted at column 3: a quoted value ends at its closing "'.
    expect(one('spec:\n  "model":\u00a0gpt-4o\n  description: x\n')).toBe(`2:11 yaml/syntax ${at('model')}`);
    expect(one("spec:\n  'model':\u00a0gpt-4o\n")).toBe(`2:11 yaml/syntax ${at('model')}`);
    expect(one('spec:\n  model: m\n  "description":\u00a0x\n')).toBe(`3:17 yaml/syntax ${at('description')}`);
    expect(one('l:\n  - "a b":\u00a0c\n')).toBe(`2:11 yaml/syntax ${at('a b')}`);
    // Was 'spec must be a mapping, not "model: gpt-4o"' (no YAML problem at all).
    expect(one('spec:\n  &m model:\u00a0gpt-4o\n')).toBe(`2:12 yaml/syntax ${at('model')}`);
    expect(one('spec:\n  !!str model:\u00a0gpt-4o\n')).toBe(`2:15 yaml/syntax ${at('model')}`);
    expect(one('spec:\n  budget:\n    max prompt tokens:\u00a0100\n')).toBe(`3:23 yaml/syntax ${at('max prompt tokens')}`);
    expect(one('cases:\n  - &c case name:\u00a0x\n')).toBe(`2:18 yaml/syntax ${at('case name')}`);
    expect(one('spec:\n  model: m\n  -\u00a0x: 1\n')).toMatch(/^3:4 yaml\/syntax a non-breaking space \(U\+00A0\) follows this "-"/);
    // A plain value's next line is text to YAML, ":" and "-" and all; so is a colon within a value.
    const texts = [
      'spec:\n  description: This is\n    Note:\u00a0text here\n',
      'spec:\n  description: This is\n    a note:\u00a0text here\n',
      'spec:\n  description: Items are\n    -\u00a0one\n',
      'spec:\n  description: see https:\u00a0x\n',
      'l:\n  - see the docs\n    Note:\u00a0y\n',
      'l:\n  - k: see https:\u00a0x\n',
      'spec: {description: "k":\u00a0x}\n',
    ];
    for (const src of texts) {
      const r = parseYaml(src, 'f.yaml');
      expect(r.diagnostics.filter((d) => /follows this/.test(d.message))).toEqual([]);
    }
    expect(parseYaml(texts[0]!, 'f.yaml').documents[0]!.data).toEqual({ spec: { description: 'This is Note:\u00a0text here' } });
  });

  // From review: in a flow collection, `{model:<NBSP>gpt-4o}` was read silently as the key
  // "model:<NBSP>gpt-4o" (a label's key, a threshold's category), and `{"model":<NBSP>x}` as a
  // value starting with the space; the block form was already reported.
  it('a non-breaking space after a key\'s ":" in a flow mapping or sequence, at that space; none in a value or a quoted text', () => {
    const text = (key: string) =>
      `a non-breaking space (U+00A0) follows this ":", and YAML reads "${key}" as a key only with an ASCII space after it, so it reads "${key}" and what follows it as one text: put an ASCII space there (the lines below are checked once it is)`;
    expect(one('spec: {model:\u00a0gpt-4o}\n')).toBe(`1:14 yaml/syntax ${text('model')}`);
    expect(one('metadata:\n  name: a\n  labels: {team: x, owner:\u00a0bob}\n')).toBe(`3:27 yaml/syntax ${text('owner')}`);
    expect(one('spec:\n  thresholds: {\n    pii:\u00a00.5\n  }\n')).toBe(`3:9 yaml/syntax ${text('pii')}`);
    expect(one('spec: [model:\u00a0gpt-4o]\n')).toBe(`1:14 yaml/syntax ${text('model')}`);
    expect(one('spec: [a, {&k b:\u00a0c}]\n')).toBe(`1:17 yaml/syntax ${text('b')}`);
    expect(one('spec: {max tokens:\u00a0100}\n')).toBe(`1:19 yaml/syntax ${text('max tokens')}`);
    expect(one('spec: {"model":\u00a0gpt-4o}\n')).toBe(
      '1:16 yaml/syntax a non-breaking space (U+00A0) follows this ":", and YAML reads it as the first character of "model"\'s value: put an ASCII space there (the lines below are checked once it is)',
    );
    expect(one("spec: ['a b':\u2003c]\n")).toMatch(/^1:14 yaml\/syntax an em space \(U\+2003\) follows this ":", and YAML reads it as the first character of "a b"'s value/);
    // A colon within a value, a quoted text, a | text and a `-` in a flow collection are text as they are.
    const texts = [
      'spec: {description: Note:\u00a0x}\n',
      'spec: {a: "b:\u00a0c", d: \'e:\u00a0f\'}\n',
      'spec: ["b:\u00a0c", -\u00a0x]\n',
      'spec: [{input: a, output: "Total:\u00a05"}]\n',
      'spec:\n  systemInstruction: |\n    {model:\u00a0x}\n',
    ];
    for (const src of texts) {
      const r = parseYaml(src, 'f.yaml');
      expect(r.diagnostics, src).toEqual([]);
    }
    expect(parseYaml(texts[0]!, 'f.yaml').documents[0]!.data).toEqual({ spec: { description: 'Note:\u00a0x' } });
  });

  // From review: after a flow collection's "," (which needs no space) a non-breaking space was read
  // silently as the next key's or item's first character (`[a,<NBSP>b]` the item " b"), reported
  // if at all by the schema; so was one at any other edge of a plain text, before a comment's "#"
  // ("100<NBSP># cap" the text "100 # cap"), in an anchor's name (`&a<NBSP>v` anchoring null),
  // and a byte order mark starting a line inside a file (a file joined from others).
  it('a non-breaking space or another Unicode space at an edge of a plain text, before a "#" or in a name, at that space', () => {
    const fix = 'not as a space: put an ASCII space there, or quote the text if the character belongs in it (the lines below are checked once it is)';
    expect(one('spec:\n  tags: [a,\u00a0b]\n')).toBe(`2:12 yaml/syntax a non-breaking space (U+00A0) follows this ",", and YAML reads it as the first character of the item "b", ${fix}`);
    expect(one('spec: {a: 1,\u00a0b: 2}\n')).toBe(`1:13 yaml/syntax a non-breaking space (U+00A0) follows this ",", and YAML reads it as the first character of the key "b", ${fix}`);
    expect(one('metadata:\n  labels: {team: x,\u202fowner: bob}\n')).toMatch(/^2:20 yaml\/syntax a narrow non-breaking space \(U\+202F\) follows this ",", .* the key "owner"/);
    expect(one('spec: [a, b,\u2007c]\n')).toMatch(/^1:13 yaml\/syntax a figure space \(U\+2007\) follows this ","/);
    expect(one('spec: [\u3000a]\n')).toMatch(/^1:8 yaml\/syntax an ideographic space \(U\+3000\) follows this "\[", .* the item "a"/);
    expect(one('spec: [a,\ufeffb]\n')).toMatch(/^1:10 yaml\/syntax an invisible byte order mark \(U\+FEFF\) follows this ","/);
    // After the separator's ASCII space, at a text's end, before a "#".
    expect(one('spec:\n  maxTokens: \u00a0100\n')).toBe(`2:14 yaml/syntax a non-breaking space (U+00A0) starts the value "100", and YAML reads it as its first character, ${fix}`);
    expect(one('spec:\n  - \u00a0x\n')).toMatch(/^2:5 yaml\/syntax a non-breaking space \(U\+00A0\) starts the item "x"/);
    expect(one('spec:\n  model: gpt-4o\u00a0\n')).toBe(`2:16 yaml/syntax a non-breaking space (U+00A0) ends the value "gpt-4o", and YAML reads it as its last character, ${fix}`);
    expect(one('spec:\n  model\u00a0: gpt-4o\n')).toMatch(/^2:8 yaml\/syntax a non-breaking space \(U\+00A0\) ends the key "model"/);
    expect(one('spec: {a: b\u00a0}\n')).toMatch(/^1:12 yaml\/syntax a non-breaking space \(U\+00A0\) ends the value "b"/);
    expect(one('spec:\n  maxTokens: 100\u00a0# cap\n')).toBe(
      '2:17 yaml/syntax a non-breaking space (U+00A0) stands before this "#", and YAML starts a comment only after an ASCII space, so it reads the "#" and what follows as part of the value "100 # cap": put an ASCII space there, or quote the text if the character belongs in it (the lines below are checked once it is)'.replace('100 # cap', '100\u00a0# cap'),
    );
    expect(one('a: &x\u00a0v\n')).toBe(`1:6 yaml/syntax a non-breaking space (U+00A0) follows "&x", and YAML reads it, and what follows up to an ASCII space, as part of the anchor's name: put an ASCII space there (the lines below are checked once it is)`);
    expect(one('a: &x v\nb: *x\u00a0\n')).toMatch(/^2:6 yaml\/syntax a non-breaking space \(U\+00A0\) follows "\*x", .* as part of the alias's name/);
    // A byte order mark that starts a line inside a document (not a file's first, nor one between documents, which YAML allows).
    expect(one('# joined from two files\n---\n\ufeffb: 2\n')).toBe(
      "3:1 yaml/syntax an invisible byte order mark (U+FEFF) starts this line's text, and YAML reads it as text inside a document (a file joined from others keeps theirs): remove it (the lines below are checked once it is)",
    );
    expect(one('spec:\n  model: x\n\ufeff  description: y\n')).toMatch(/^3:1 yaml\/syntax an invisible byte order mark \(U\+FEFF\) starts this line's text/);
    // Inside a word, a quoted or a | text, and a multi-line text's inner line end, it is text as it is.
    const texts = ['\ufeffa: 1\n', 'a: 1\n...\n\ufeff---\nb: 2\n', 'spec: {description: Prix\u00a0!, a: "[x,\u00a0y]"}\n', 'spec:\n  d: |\n    a,\u00a0b #\u00a0\n', 'spec:\n  d: Merci\u00a0\n    beaucoup\n', "spec: ['\u00a0a', 'b\u00a0']\n"];
    for (const src of texts) expect(parseYaml(src, 'f.yaml').diagnostics, src).toEqual([]);
    expect(parseYaml(texts[4]!, 'f.yaml').documents[0]!.data).toEqual({ spec: { d: 'Merci\u00a0 beaucoup' } });
  });

  // From review: a Japanese or Chinese paragraph indented with ideographic spaces (U+3000, as
  // those languages indent one) in a plain text, on the key's line, a list item's or a later line
  // of a multi-line text, was a yaml/syntax error, though YAML reads it as the text it shows.
  it('ideographic spaces indenting Japanese or Chinese text in a plain value are its text; before ASCII alone they are not', () => {
    const texts: [string, unknown][] = [
      ['text: \u3000日本語のお客様対応です。\n', { text: '\u3000日本語のお客様対応です。' }],
      ['text: \u3000\u3000第一段。2024年\n', { text: '\u3000\u3000第一段。2024年' }],
      ['text: あなたはサポート担当です。\n  \u3000丁寧に答えてください。\n', { text: 'あなたはサポート担当です。 \u3000丁寧に答えてください。' }],
      ['spec:\n  text: 最初です。\n\n    \u3000次の段落です。\n', { spec: { text: '最初です。\n\u3000次の段落です。' } }],
      ['text:\n  \u3000最初。\n  \u3000次。\n', { text: '\u3000最初。 \u3000次。' }],
      // A paragraph of one character, in a CRLF file.
      ['text: 一\r\n  \u3000二\r\n', { text: '一 \u3000二' }],
      ['l:\n  - \u3000項目\n    \u3000続き\n  - {input: \u3000料金は？}\n', { l: ['\u3000項目 \u3000続き', { input: '\u3000料金は？' }] }],
    ];
    for (const [src, data] of texts) {
      const r = parseYaml(src, 'f.yaml');
      expect(r.diagnostics, src).toEqual([]);
      expect(r.documents[0]!.data, src).toEqual(data);
    }
    // Before ASCII text alone (a slip of the input method), as a key's first character, or after a flow ",": still said.
    expect(one('spec:\n  maxTokens: \u3000100\n')).toMatch(/^2:14 yaml\/syntax an ideographic space \(U\+3000\) starts the value "100"/);
    expect(one('spec:\n  maxTokens: \u3000100 # 上限\n')).toMatch(/^2:14 yaml\/syntax an ideographic space \(U\+3000\) starts the value "100"/);
    expect(one('spec:\n  model: x\n  maxTokens:\n    \u3000100 # 上限\n')).toMatch(/^4:5 yaml\/syntax this line is indented with an ideographic space/);
    expect(one('spec:\n  model: gpt-4o\n  \u3000model2: x\n')).toMatch(/^3:3 yaml\/syntax this line is indented with an ideographic space/);
    expect(one('spec:\n  model: gpt-4o\n  \u3000見出し: x\n')).toMatch(/^3:3 yaml\/syntax this line is indented with an ideographic space/);
    expect(one('l: [項目,\u3000続き]\n')).toMatch(/^1:8 yaml\/syntax an ideographic space \(U\+3000\) follows this ","/);
  });

  // From review: a number written after a no-break space ("ticket<NBSP>#1234", "commande<NBSP>#42",
  // pasted from a web page) was reported as a comment YAML does not start, though YAML reads the
  // text as it shows and no comment starts with a digit right after its "#".
  it('a non-breaking space before "#" and a number is text; before a "#" starting a comment it is still said', () => {
    for (const src of ['text: Voir le ticket\u00a0#1234 avant\n', 'l: [commande\u00a0#42, b]\n']) {
      const r = parseYaml(src, 'f.yaml');
      expect(r.diagnostics, src).toEqual([]);
    }
    expect(parseYaml('text: Voir le ticket\u00a0#1234 avant\n', 'f.yaml').documents[0]!.data).toEqual({ text: 'Voir le ticket\u00a0#1234 avant' });
    expect(one('spec:\n  maxTokens: 100\u00a0#cap\n')).toMatch(/^2:17 yaml\/syntax a non-breaking space \(U\+00A0\) stands before this "#"/);
  });

  // From review: after a number (or true, false, null) the "#" and a digit start what would be a
  // comment ("maxTokens: 100<NBSP>#2 teams share it"), not a ticket's number: the value then reads
  // "100 #2 teams share it" and only the schema's "must be a whole number" was said, with the space unseen.
  it('a non-breaking space before "#" and a digit after a number or a boolean is still said at the space', () => {
    expect(one('spec:\n  maxTokens: 100\u00a0#2 teams share it\n')).toMatch(/^2:17 yaml\/syntax a non-breaking space \(U\+00A0\) stands before this "#"/);
    expect(one('spec:\n  enabled: true\u00a0#1 of 3\n')).toMatch(/^2:16 yaml\/syntax a non-breaking space \(U\+00A0\) stands before this "#"/);
    expect(one('l: [0.5\u00a0#2, b]\n')).toMatch(/^1:8 yaml\/syntax a non-breaking space \(U\+00A0\) stands before this "#"/);
    // Text ending in a digit is still text: "Article 5<NBSP>#3".
    expect(parseYaml('text: Article 5\u00a0#3\n', 'f.yaml').diagnostics).toEqual([]);
  });

  // From review: a space at the end of a multi-line plain text, on its last line, was said to end
  // the text of its first line ('ends the value "Answer"' at the space after "briefly"), so the
  // message quoted a text the space is not on. The text is now quoted as YAML reads it, one line.
  it('a non-breaking space ending a multi-line plain text names that text as YAML reads it', () => {
    expect(one('spec:\n  description: Answer\n    briefly\u00a0\n')).toMatch(/^3:12 yaml\/syntax a non-breaking space \(U\+00A0\) ends the value "Answer briefly", and YAML reads it as its last character/);
    expect(one('spec:\r\n  description: Answer\r\n\r\n    briefly\u00a0# why\r\n')).toMatch(/^4:12 yaml\/syntax .* as part of the value "Answer briefly\u00a0# why"/);
  });

  it('an alias without an anchor is named as such, not as an alias bomb', () => {
    expect(one('a: 1\nb: *nope\n')).toBe('2:4 yaml/alias alias *nope names no anchor: define &nope before using it (YAML aliases refer back, never forward)');
  });

  it('an alias to an anchor of an earlier document says that anchors stop at ---', () => {
    const r = parseYaml('a: &lab {team: x}\n---\nb: 1\n---\nc: *lab\n', 'f.yaml');
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '5:4 alias *lab names no anchor: &lab is defined in document 1 of this file, and an anchor does not reach past `---`: define it again in this document, or repeat the value',
    ]);
  });

  it('prints no process warning for a collection used as a key', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      const r = parseYaml('? [a, b]\n: 1\n', 'f.yaml');
      expect(r.diagnostics.map((d) => d.rule)).toEqual(['yaml/collection-key']);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses 2 MB of "[" at the 65th level without parsing the rest', () => {
    const r = parseYaml(`a: ${'['.repeat(2_000_000)}\n`, 'f.yaml');
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 1, column: 67, rule: 'yaml/too-deep' })]);
  });

  it('finds the depth problem in the cut-off start of a file', () => {
    let src = '';
    for (let i = 0; i < 200; i++) src += `${'  '.repeat(i)}a:\n`;
    expect(findDepthProblem(src.slice(0, src.length - 7), 'h.yaml')).toMatchObject({ file: 'h.yaml', line: 65, column: 129, rule: 'yaml/too-deep' });
    expect(findDepthProblem('a:\n  b: [1, 2\n', 'h.yaml')).toBeUndefined();
  });
});

describe('findDuplicateKeys', () => {
  const dups = (src: string) => {
    const doc = parseDocument(src, { uniqueKeys: false });
    return findDuplicateKeys(doc, 10).map((p) => [p.pos[0], p.firstAt]);
  };

  it('finds each later key with its first occurrence, in nested and flow maps', () => {
    expect(dups('a: 1\nb: {x: 1, x: 2}\na: 3\n')).toEqual(expect.arrayContaining([[21, 0], [15, 9]]));
  });

  it('compares keys as the property names they become (YAML would keep 1 and "1" apart; the document would not)', () => {
    expect(dups('1: a\n"1": b\n')).toEqual([[5, 0]]);
  });

  it('is linear: 200,000 distinct keys and 100,000 repeats of one key', () => {
    const distinct = Array.from({ length: 200_000 }, (_, i) => `k${i}: v\n`).join('');
    expect(parseYaml(distinct, 'f.yaml').diagnostics).toEqual([]);
    const same = 'k: v\n'.repeat(100_000);
    const r = parseYaml(same, 'f.yaml');
    expect(r.diagnostics.slice(0, 2).map((d) => `${d.line} ${d.message}`)).toEqual([
      '2 duplicate key "k"; first defined on line 1',
      '3 duplicate key "k"; first defined on line 1',
    ]);
    expect(r.diagnostics).toHaveLength(11); // ten, then "more YAML problems"
  });
});
