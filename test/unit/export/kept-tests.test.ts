// A file's tests (PromptTest documents) parted from its other documents, as written, for a re-export to keep them.
import { describe, expect, it } from 'vitest';
import { NO_TESTS, partTests, withTests } from '../../../src/export/kept-tests.js';

const TEMPLATE = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: a\nspec:\n  model: gpt-4o\n';
const TEST = '---\n# smoke test, kept by hand\napiVersion: promptctl/v1\nkind: PromptTest # ours\nmetadata: {name: a-smoke}\nspec:\n  target: {template: a}\n  cases: [{name: hi, expect: [{contains: a}]}]  # one for now\n';

describe('partTests', () => {
  it('parts the tests, each as written from its ---, from the other documents', () => {
    expect(partTests(`${TEMPLATE}${TEST}`)).toEqual({ header: '', tests: TEST, rest: TEMPLATE });
  });

  it('keeps a test written first, giving it a --- when it had none, and the rest reads as export writes it', () => {
    const first = TEST.slice('---\n'.length);
    expect(partTests(`${first}---\n${TEMPLATE}`)).toEqual({ header: '', tests: TEST, rest: TEMPLATE });
  });

  it('keeps the tests among several in their order, with LF line ends as export writes a file, and leaves a file without tests whole', () => {
    const crlf = TEST.replace(/\n/g, '\r\n');
    const other = '---\nkind: PromptTest\nmetadata: {name: b}\n';
    expect(partTests(`${TEMPLATE}${crlf}---\nkind: PromptVersion\n${other}`)).toEqual({ header: '', tests: `${TEST}${other}`, rest: `${TEMPLATE}---\nkind: PromptVersion\n` });
    expect(partTests(TEMPLATE)).toEqual({ header: '', tests: '', rest: TEMPLATE });
  });

  // A review of the day's diff: the comment above a test's `---` went with the template before it
  // (and was lost with it); a comment heading a file whose first document is a test went to its
  // end; a test's %YAML directive, kept, was no YAML after the export's documents; a test whose
  // kind is an alias was not kept at all.
  it('keeps the comments just above a test\'s ---, a file\'s header at its top, drops a directive, reads an aliased kind', () => {
    const above = '# --- tests of a (keep) ---\n\n# second line\n';
    expect(partTests(`${TEMPLATE}\n${above}${TEST}`)).toEqual({ header: '', tests: `${above}${TEST}`, rest: `${TEMPLATE}\n` });
    const modeline = '# yaml-language-server: $schema=./schema.json\n';
    const first = TEST.slice('---\n'.length);
    expect(partTests(`${modeline}${first}---\n${TEMPLATE}`)).toEqual({ header: modeline, tests: TEST, rest: TEMPLATE });
    // Comments a blank line sets apart head the file; the one right above the test is its own.
    expect(partTests(`# Billing prompts.\n# Owned by the billing team.\n\n${first}---\n${TEMPLATE}`)).toEqual({ header: '# Billing prompts.\n# Owned by the billing team.\n', tests: TEST, rest: TEMPLATE });
    expect(partTests(`%YAML 1.2\n${TEST}...\n%YAML 1.2\n---\n${TEMPLATE}`).tests).toBe(`${TEST}...\n`);
    const aliased = '---\nmetadata: {name: b, labels: {k: &k PromptTest}}\nkind: *k\n';
    expect(partTests(`${TEMPLATE}${aliased}`)).toEqual({ header: '', tests: aliased, rest: TEMPLATE });
    // An indented # line that may be a block scalar's text stays where it is.
    const scalar = `${TEMPLATE}  systemInstruction: |\n    Be nice.\n    # part of the text\n`;
    expect(partTests(`${scalar}${TEST}`)).toEqual({ header: '', tests: TEST, rest: scalar });
  });

  it('writes them back after the documents export writes, the header above them', () => {
    const kept = partTests(`${TEMPLATE}${TEST}`);
    expect(withTests(TEMPLATE.replace('gpt-4o', 'gpt-4o-mini'), kept)).toBe(`${TEMPLATE.replace('gpt-4o', 'gpt-4o-mini')}${TEST}`);
    expect(withTests(TEMPLATE, NO_TESTS)).toBe(TEMPLATE);
    expect(withTests(TEMPLATE, { header: '# head\n', tests: TEST })).toBe(`# head\n${TEMPLATE}${TEST}`);
  });
});
