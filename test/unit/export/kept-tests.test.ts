// A file's tests (PromptTest documents) parted from its other documents, as written, for a re-export to keep them.
import { describe, expect, it } from 'vitest';
import { partTests, withTests } from '../../../src/export/kept-tests.js';

const TEMPLATE = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: a\nspec:\n  model: gpt-4o\n';
const TEST = '---\n# smoke test, kept by hand\napiVersion: promptctl/v1\nkind: PromptTest # ours\nmetadata: {name: a-smoke}\nspec:\n  target: {template: a}\n  cases: [{name: hi, expect: [{contains: a}]}]  # one for now\n';

describe('partTests', () => {
  it('parts the tests, each as written from its ---, from the other documents', () => {
    expect(partTests(`${TEMPLATE}${TEST}`)).toEqual({ tests: TEST, rest: TEMPLATE });
  });

  it('keeps a test written first, giving it a --- when it had none, and the rest reads as export writes it', () => {
    const first = TEST.slice('---\n'.length);
    expect(partTests(`${first}---\n${TEMPLATE}`)).toEqual({ tests: TEST, rest: TEMPLATE });
  });

  it('keeps the CRLF line ends of a test and its place among several, and leaves a file without tests whole', () => {
    const crlf = TEST.replace(/\n/g, '\r\n');
    const other = '---\nkind: PromptTest\nmetadata: {name: b}\n';
    expect(partTests(`${TEMPLATE}${crlf}---\nkind: PromptVersion\n${other}`)).toEqual({ tests: `${crlf}${other}`, rest: `${TEMPLATE}---\nkind: PromptVersion\n` });
    expect(partTests(TEMPLATE)).toEqual({ tests: '', rest: TEMPLATE });
  });

  it('writes them back after the documents export writes', () => {
    const { tests } = partTests(`${TEMPLATE}${TEST}`);
    expect(withTests(TEMPLATE.replace('gpt-4o', 'gpt-4o-mini'), tests)).toBe(`${TEMPLATE.replace('gpt-4o', 'gpt-4o-mini')}${TEST}`);
    expect(withTests(TEMPLATE, '')).toBe(TEMPLATE);
  });
});
