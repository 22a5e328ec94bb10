// What a YAML text's documents define (config/document-addresses.ts), as --changed-since reads a
// changed file's text at REF: every resource kind's address, and nothing from what is not promptctl's.
import { describe, expect, it } from 'vitest';
import { documentAddresses } from '../../../src/config/document-addresses.js';

const doc = (kind: string, body: string): string => `apiVersion: promptctl/v1\nkind: ${kind}\n${body}`;

describe('documentAddresses', () => {
  it('names each document of a multi-document file by its address', () => {
    const text = [
      doc('PromptTemplate', 'metadata:\n  name: billing\nspec:\n  model: gpt-4o\n'),
      doc('PromptVersion', 'metadata:\n  name: billing-1\nspec:\n  template: billing\n  version: "1.1.0"\n'),
      doc('TrafficSplit', 'spec:\n  template: billing\n  routes: []\n'),
      doc('SafetyFilter', 'metadata:\n  name: pii\n'),
      doc('Guide', 'metadata:\n  name: "Returns / exchanges"\n'),
      doc('SummarySetting', 'metadata:\n  name: Voice wrap-up\n'),
      doc('PromptTest', 'metadata:\n  name: smoke\n'),
      doc('Config', 'spec: {}\n'),
    ].join('---\n');
    expect(documentAddresses(text)).toEqual([
      'PromptTemplate/billing',
      'PromptVersion/billing@1.1.0',
      'TrafficSplit/billing',
      'SafetyFilter/pii',
      'Guide/Returns / exchanges',
      'SummarySetting/Voice wrap-up',
    ]);
  });

  it('reads a text whose flow collections nest past the loader limit as defining nothing, at once (a 1 MB run of "[" took 14 s and 0.9 GB)', () => {
    const started = performance.now();
    expect(documentAddresses(`${doc('PromptTemplate', 'metadata:\n  name: billing\n')}x: ${'['.repeat(1_000_000)}\n`)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
    // Nesting within the limit, and many brackets side by side, still read.
    const wide = `${doc('PromptTemplate', 'metadata:\n  name: billing\n')}x: ${'[1], '.repeat(500)}\ny: ${'['.repeat(60)}${']'.repeat(60)}\n`;
    expect(documentAddresses(wide)).toEqual(['PromptTemplate/billing']);
  });

  it('defines nothing from text that is not promptctl YAML or no longer parses, and skips only the broken document', () => {
    expect(documentAddresses('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n')).toEqual([]);
    expect(documentAddresses('kind: SafetyFilter\nmetadata:\n  name: no-api-version\n')).toEqual([]);
    expect(documentAddresses('{ unclosed')).toEqual([]);
    expect(documentAddresses(doc('PromptVersion', 'spec:\n  template: t\n  version: 1.10\n'))).toEqual([]);
    expect(documentAddresses(`${doc('SafetyFilter', 'metadata:\n  name: a\n')}---\n*undefined-alias\n---\n${doc('SafetyFilter', 'metadata:\n  name: b\n')}`)).toEqual(['SafetyFilter/a', 'SafetyFilter/b']);
  });
});
