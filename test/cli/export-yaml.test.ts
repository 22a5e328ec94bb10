// Export's YAML writer: prompt text as literal blocks that parse back byte for byte.
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compareVersionLabels } from '../../src/util/semver.js';
import { documentToYaml, documentsToYaml } from '../../src/export/yaml.js';

const AWKWARD = [
  'a\nb\n',
  'a\nb',
  'a\nb\n\n\n',
  '  leading spaces\nx\n',
  '\nstarts with a newline\n',
  'trailing spaces   \nx  \n',
  'tab\there\n\tand a tabbed line\n',
  'key: value\n- item\n# not a comment\n',
  '"double" and \'single\'\n',
  'crlf\r\nline',
  '\n',
  '\n\n',
  ' \n',
  'a\n  \n b\n',
  '{{name}}: hi\n',
  'line\u2028separator\n',
  '---\n...\n',
  'emoji 🙂\nünïcödé\n',
  'Customer {{customer}} asks: {{question}}   \nAnswer.\n',
  'a tab at the end\t\nand two spaces at the end of a line long enough to be folded  \nlast',
  ' \n \n',
  '\t\n',
  'ends in spaces  ',
  'no-break space\u00a0\nnext\n',
];

describe('export YAML', () => {
  it.each(AWKWARD.map((t) => [JSON.stringify(t), t]))('round-trips %s exactly', (_label, text) => {
    const out = documentToYaml({ spec: { systemInstruction: text, version: '1.10', n: 3 } });
    const back = parse(out);
    expect(back.spec.systemInstruction).toBe(text);
    expect(back.spec.version).toBe('1.10');
  });

  // A trailing-whitespace hook (pre-commit's, EditorConfig's) run on the export changes nothing.
  it.each(AWKWARD.map((t) => [JSON.stringify(t), t]))('has no line ending in whitespace, and reads back the same trimmed: %s', (_label, text) => {
    const out = documentToYaml({ spec: { systemInstruction: text, fewShotExamples: [{ input: text, output: text }] } });
    expect(out).not.toMatch(/[ \t]$/m);
    expect(parse(out.replace(/[ \t]+$/gm, ''))).toEqual({ spec: { systemInstruction: text, fewShotExamples: [{ input: text, output: text }] } });
  });

  it('writes text whose lines end in whitespace double-quoted on one line, and line breaks alone so', () => {
    const long = 'Customer {{customer}} asks: {{question}}   \nAnswer briefly, and in the customer\'s language.\n';
    expect(documentToYaml({ spec: { userTemplate: long } })).toBe(`spec:\n  userTemplate: ${JSON.stringify(long).replace('   \\n', '  \\ \\n')}\n`);
    expect(documentToYaml({ spec: { output: '\n' } })).toBe('spec:\n  output: "\\n"\n');
  });

  it('writes multi-line text as a literal block scalar', () => {
    const out = documentToYaml({ spec: { systemInstruction: 'First line.\nSecond line.\n' } });
    expect(out).toBe('spec:\n  systemInstruction: |\n    First line.\n    Second line.\n');
  });

  it('never folds long lines and keeps short word lists on one line', () => {
    const long = 'word '.repeat(60).trim();
    const out = documentToYaml({ spec: { description: long, categories: ['pii', 'phishing'] } });
    expect(out).toContain(`description: ${long}\n`);
    expect(out).toContain('categories: [pii, phishing]\n');
  });

  it('joins documents with ---', () => {
    const out = documentsToYaml([{ kind: 'A' }, { kind: 'B' }]);
    expect(out).toBe('kind: A\n---\nkind: B\n');
    expect(parseAllDocuments(out).map((d) => d.toJS())).toEqual([{ kind: 'A' }, { kind: 'B' }]);
  });

  it('orders versions by semver', () => {
    const labels = ['1.10.0', '1.2.0', '1.2.0-rc.1', '1.2.0-beta.2', '1.2.0-beta.10', '0.9.9', 'weird'];
    expect([...labels].sort(compareVersionLabels)).toEqual(['0.9.9', '1.2.0-beta.2', '1.2.0-beta.10', '1.2.0-rc.1', '1.2.0', '1.10.0', 'weird']);
  });
});
