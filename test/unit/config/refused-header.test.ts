// What a document refused whole still says of itself (config/refused-header.ts), as parseYaml hands
// it on: the header of each document of a file nested too deep, read from its syntax tree; of one
// refused for its aliases, read from its nodes without following an alias; and `unread` (the rule
// of the error that refused it) when a document does not say its kind or name, or the lexing
// stopped before the file's end.
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';

const deep = `  deep:\n${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i + 2)}k${i}:\n`).join('')}${'  '.repeat(72)}v: 1\n`;

describe('refused documents', () => {
  it('a file nested too deep: each document by its header, as the core schema reads it (flow or block, quoted or plain)', () => {
    const src = `kind: PromptVersion\nspec:\n  template: 'billing'\n  version: 1.10\n${deep}---\nkind: "PromptTemplate"\nmetadata: {name: billing, name: other}\n`;
    const r = parseYaml(src, 'f.yaml');
    expect(r.diagnostics.map((d) => d.rule)).toEqual(['yaml/too-deep']);
    expect(r.broken).toEqual([{ kind: 'PromptVersion', spec: { template: 'billing', version: 1.1 } }, { kind: 'PromptTemplate', metadata: { name: 'billing' } }]);
    expect(r.unread).toBeUndefined();
    expect(parseYaml('kind: PromptTemplate\nmetadata: {name: a}\n', 'f.yaml')).not.toHaveProperty('unread');
  });

  it('a template without a readable name, or lexing stopped by a bracket, leaves the file unread', () => {
    expect(parseYaml(`kind: PromptTemplate\nmetadata: {}\nspec:\n${deep}`, 'f.yaml').unread).toBe('yaml/too-deep');
    expect(parseYaml(`kind: PromptTemplate\nmetadata: {name: a}\nspec: ${'['.repeat(70)}${']'.repeat(70)}\n`, 'f.yaml')).toMatchObject({ documents: [], unread: 'yaml/too-deep' });
  });

  it('an alias bomb: its header read without expanding it; an alias in the header is not followed', () => {
    const bomb = ['x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...Array.from({ length: 6 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n');
    const named = parseYaml(`kind: SafetyFilter\nmetadata: {name: pii}\n${bomb}\n`, 'f.yaml');
    expect(named.diagnostics.map((d) => d.rule)).toEqual(['yaml/aliases']);
    expect(named).toMatchObject({ broken: [{ kind: 'SafetyFilter', metadata: { name: 'pii' } }] });
    expect(named.unread).toBeUndefined();
    const aliased = parseYaml(`n: &n pii\nkind: SafetyFilter\nmetadata: {name: *n}\n${bomb}\n`, 'f.yaml');
    expect(aliased.broken).toBeUndefined();
    expect(aliased.unread).toBe('yaml/aliases');
  });
});
