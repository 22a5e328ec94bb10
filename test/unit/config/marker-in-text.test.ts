// A `---` at column 0 inside an indented block of text ends the YAML document there: validate
// says so at the marker, not only in the confusing errors of what follows (config/marker-in-text.ts).
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import { markersInText } from '../../../src/config/marker-in-text.js';
import { bounded } from '../../helpers/bounded.js';

const VERSION = (middle: string) => `apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: dash
  version: "1.0.0"
  systemInstruction: |
    You answer questions.
${middle}
    Be brief.
  userTemplate: "{{q}}"
`;

describe('a document marker inside indented text', () => {
  it('is reported at the marker, with the cause, before what follows it', () => {
    const r = parseYaml(VERSION('---'), 'p/t.yaml');
    const at = r.diagnostics.find((d) => d.rule === 'yaml/marker-in-text');
    expect(at).toMatchObject({ file: 'p/t.yaml', line: 8, column: 1, severity: 'error' });
    expect(at!.message).toContain('indent it as they are');
  });

  it('is not a marker between documents, indented or not, nor one kept in the text', () => {
    expect(markersInText(VERSION('    ---'))).toEqual([]);
    expect(markersInText('a: 1\nb:\n  - x\n---\napiVersion: promptctl/v1\n')).toEqual([]);
    // An indented document (valid YAML): its first line is a key.
    expect(markersInText('a:\n  b: 1\n---\n  apiVersion: promptctl/v1\n')).toEqual([]);
    expect(parseYaml(VERSION('    ---'), 'p/t.yaml').diagnostics).toEqual([]);
  });

  it('finds it past blank lines, with CRLF line ends too', () => {
    expect(markersInText('x: |\n  one\n---\n\n  two\n')).toEqual([11]);
    // A blank line before it too, as a Markdown rule is written (a review: missed, and only the echoes said).
    expect(markersInText('x: |\n  one\n\n---\n\n  two\n')).toEqual([12]);
    expect(markersInText('x: |\r\n  one\r\n\r\n---\r\n\r\n  two\r\n')).toEqual([15]);
    expect(markersInText('x: |\r\n  one\r\n---\r\n  two\r\n')).toEqual([13]);
  });

  it('stays linear: 2 MB of markers and blank lines within the bound', () => {
    const hostile = `x: |\n  a\n${'---\n\n\n  t\n'.repeat(150_000)}`;
    expect(bounded(() => markersInText(hostile), 10_000)).toHaveLength(150_000);
  });
});
