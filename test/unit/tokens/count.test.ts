import { beforeEach, describe, expect, it } from 'vitest';
import { getEncoding } from 'js-tiktoken';
import { countTokensUncached, ENCODINGS } from '../../../src/tokens/encoder.js';
import { createTokenMemo, memoKey, MEMO_LIMIT, type TokenMemo } from '../../../src/tokens/count.js';

// Reference counts from OpenAI's tiktoken (token ids as published in OpenAI's cookbook where noted).
const REFERENCE: [string, 'o200k_base' | 'cl100k_base', number][] = [
  ['hello world', 'o200k_base', 2],
  ['hello world', 'cl100k_base', 2],
  ['Hello, world!', 'o200k_base', 4],
  ['Hello, world!', 'cl100k_base', 4],
  ['tiktoken is great!', 'cl100k_base', 6], // cookbook: [83, 1609, 5963, 374, 2294, 0]
  ['tiktoken is great!', 'o200k_base', 6],
  ['antidisestablishmentarianism', 'cl100k_base', 6], // cookbook
  ['antidisestablishmentarianism', 'o200k_base', 6], // cookbook
  ['お誕生日おめでとう', 'cl100k_base', 9], // cookbook
  ['お誕生日おめでとう', 'o200k_base', 8], // cookbook
  ['true', 'o200k_base', 1],
  ['false', 'cl100k_base', 1],
  ['', 'o200k_base', 0],
  ['  \n\n  indented\n', 'o200k_base', 5],
  ['a'.repeat(100), 'o200k_base', 13],
  ['a'.repeat(2000), 'cl100k_base', 250],
];

/** Deterministic PRNG (mulberry32) so a failing fuzz case reproduces. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Fragments that exercise every branch of both split patterns and the byte-level merges.
const FRAGMENTS = [
  'the', ' quick', ' Brown', 'FOX', "'s", "'LL", "'Re", "we'd", ' ', '  ', '\t', '\n', '\r\n', '\n\n  ', ' \n',
  '0', '42', '123456', '3.14', ',', '!', '?!', '...', '/', '//', ' //\n', '{{question}}', '{"a": [1, 2]}', '<|endoftext|>',
  '<|endofprompt|>', '<|im_start|>', 'é', 'e\u0301', 'Straße', 'ǅ', 'Ⅻ', '日本語', 'お誕生日', '한국어', 'مرحبا', 'Привет',
  '😀', '👩‍👩‍👧', '🇫🇷', '\u00a0', '\u3000', '\u200b', '\ufeff', '$', '€100', '#', '```ts\n', '\\n',
];

function fuzzText(next: () => number): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(next() * 60);
  for (let i = 0; i < n; i++) {
    const f = FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]!;
    // Now and then a run, the case where merge order matters most.
    parts.push(next() < 0.05 ? f.repeat(1 + Math.floor(next() * 120)) : f);
  }
  return parts.join('');
}

describe('countTokensUncached (exact tiktoken counts)', () => {
  it('matches reference counts', () => {
    for (const [text, enc, expected] of REFERENCE) {
      expect(countTokensUncached(text, enc), `${enc} ${JSON.stringify(text.slice(0, 40))}`).toBe(expected);
    }
  });

  it('equals js-tiktoken encode(text, [], []) on 250 random mixed-script texts per encoding', () => {
    for (const enc of ENCODINGS) {
      const reference = getEncoding(enc);
      const next = rng(enc === 'o200k_base' ? 1 : 2);
      for (let i = 0; i < 250; i++) {
        const text = fuzzText(next);
        expect(countTokensUncached(text, enc), `${enc} ${JSON.stringify(text)}`).toBe(reference.encode(text, [], []).length);
      }
    }
  });

  it('equals js-tiktoken on runs of one character up to 1,000 long (merge order on ties)', () => {
    for (const enc of ENCODINGS) {
      const reference = getEncoding(enc);
      for (const run of ['a', 'A', ' ', '\n', '!', '7', 'ab', 'é', '日', '😀', ' a']) {
        for (const times of [2, 3, 7, 64, 333, 1000]) {
          const text = run.repeat(times);
          expect(countTokensUncached(text, enc), `${enc} ${JSON.stringify(run)}×${times}`).toBe(reference.encode(text, [], []).length);
        }
      }
    }
  });

  it('counts special-token text as ordinary text instead of throwing', () => {
    const text = 'before <|endoftext|> middle <|endofprompt|> after <|im_start|>system';
    for (const enc of ENCODINGS) {
      const n = countTokensUncached(text, enc);
      expect(n).toBe(getEncoding(enc).encode(text, [], []).length);
      // As one special token it would be 1; as text it is its pieces.
      expect(countTokensUncached('<|endoftext|>', enc)).toBe(7);
    }
  });

  it('finishes on hostile inputs that make the naive merge hang', () => {
    // 50,000 identical characters: js-tiktoken never finishes this; tiktoken gives 50,000 / 8.
    expect(countTokensUncached('a'.repeat(50_000), 'o200k_base')).toBe(6250);
    expect(countTokensUncached('a'.repeat(50_000), 'cl100k_base')).toBe(6250);
    const huge = [
      'x'.repeat(900_000),
      ' '.repeat(300_000),
      '😀'.repeat(100_000),
      'AB'.repeat(150_000),
      '9'.repeat(100_000),
      '\n'.repeat(100_000),
      '日本'.repeat(100_000),
    ].join('');
    expect(huge.length).toBeGreaterThan(2_000_000);
    for (const enc of ENCODINGS) {
      const n = countTokensUncached(huge, enc);
      expect(Number.isSafeInteger(n)).toBe(true);
      expect(n).toBeGreaterThan(100_000);
    }
  });
});

describe('TokenMemo', () => {
  let memo: TokenMemo;
  beforeEach(() => {
    memo = createTokenMemo();
  });
  const long = 'You are a careful assistant. '.repeat(10);

  it('counts a text once and answers repeats from the memo', () => {
    const first = memo.count(long, 'o200k_base');
    expect(first).toBe(countTokensUncached(long, 'o200k_base'));
    expect(memo.count(long, 'o200k_base')).toBe(first);
    expect(memo.stats()).toMatchObject({ size: 1, hits: 1, misses: 1 });
    // The encoding is part of the key.
    memo.count(long, 'cl100k_base');
    expect(memo.stats()).toMatchObject({ size: 2, misses: 2 });
  });

  it('uses a seeded count (that is what the disk cache relies on)', () => {
    memo.seed([[memoKey(long, 'o200k_base'), 12345]]);
    expect(memo.count(long, 'o200k_base')).toBe(12345);
    expect(memo.stats().hits).toBe(1);
  });

  it('keeps seeded entries behind ones counted in this process', () => {
    memo.count(long, 'o200k_base');
    memo.seed([['A'.repeat(22), 1]]);
    expect(memo.entries().map(([k]) => k)).toEqual(['A'.repeat(22), memoKey(long, 'o200k_base')]);
  });

  it('memoises short texts too (a warm cache then never loads the rank tables), but not the empty text', () => {
    expect(memo.count('hello world', 'o200k_base')).toBe(2);
    expect(memo.stats().size).toBe(1);
    expect(memo.count('', 'o200k_base')).toBe(0);
    expect(memo.stats().size).toBe(1);
  });

  it('is bounded: beyond MEMO_LIMIT the least recently used entries go', () => {
    const key = (i: number): string => i.toString(36).padStart(22, '0');
    memo.seed(Array.from({ length: MEMO_LIMIT + 5 }, (_, i): [string, number] => [key(i), i]));
    const entries = memo.entries();
    expect(entries).toHaveLength(MEMO_LIMIT);
    expect(entries[0]).toEqual([key(5), 5]);
    expect(entries.at(-1)).toEqual([key(MEMO_LIMIT + 4), MEMO_LIMIT + 4]);
  });

  it('is per memo: two memos share nothing, and markSaved resets only its own change flag', () => {
    const other = createTokenMemo();
    memo.count(long, 'o200k_base');
    expect(memo.changed()).toBe(true);
    expect(other.stats()).toEqual({ size: 0, hits: 0, misses: 0 });
    expect(other.changed()).toBe(false);
    other.count(long, 'o200k_base');
    expect(other.stats()).toMatchObject({ hits: 0, misses: 1 });
    memo.markSaved();
    expect(memo.changed()).toBe(false);
    expect(other.changed()).toBe(true);
  });
});
