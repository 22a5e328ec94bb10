// A block list item written without the space after its "-" ("-pii" under "- email"), a column or
// more to the right of the items' "-", is read by YAML as more of the item above ("email -pii"),
// silently. validate warns at the "-", naming what YAML made of it; text that only looks alike
// (a "-" line inside a | text, a wrapped line indented past the item's text, a mapping's value, a
// quoted text) is not touched. Found in review: a free-text list took "email -pii" without a word.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

/** A version whose enum variable's values (free text) are `values`, written from column 9. */
const version = (values: string) => `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing
  version: "1.0.0"
  systemInstruction: Be brief.
  userTemplate: "{{channel}}"
  variables:
    - name: channel
      type: enum
      description: the channel
      values:
${values}`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

async function validate(values: string): Promise<{ code: number; stdout: string; stderr: string }> {
  dir = await tempDir('promptctl-continued-item-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 't.yaml'), version(values));
  return runCliInProcess(['validate'], { cwd: dir.path });
}

const WARNING = (line: number, column: number, written: string, item: string) =>
  `prompts/t.yaml:${line}:${column}: warning: "${written}" has no space after its "-", so YAML reads this line as more of the list item above ("${item}"), not as an item of its own: write "- ${written.slice(1)}" for an item, or quote the item's text if the line belongs to it [yaml/continued-item]`;

describe('a list item without the space after its "-", right under the item above', () => {
  it('is a warning at the "-", one column right of the items\' "-" and under the item\'s text', async () => {
    for (const [pad, column] of [['         ', 10], ['          ', 11]] as const) {
      const r = await validate(`        - email\n        - sms\n${pad}-pii\n`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n').filter((l) => l.includes('[yaml/')), pad.length.toString()).toEqual([WARNING(22, column, '-pii', 'sms -pii')]);
      await dir?.remove();
      dir = undefined;
    }
  });

  it('each such line of an item, after a line the item wraps onto', async () => {
    const r = await validate('        - email\n          or text\n         -pii\n          -voice\n');
    expect(r.stdout.split('\n').filter((l) => l.includes('[yaml/'))).toEqual([
      WARNING(22, 10, '-pii', 'email or text -pii -voice'),
      WARNING(23, 11, '-voice', 'email or text -pii -voice'),
    ]);
  });

  it('at the items\' own column it stays the error it was', async () => {
    const r = await validate('        - email\n        -pii\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('prompts/t.yaml:21:9: error: a list item needs a space after its "-"');
    expect(r.stdout).not.toContain('continued-item');
  });

  // From review: in a list at its key's column yaml's 'Implicit map keys need to be followed by map
  // values', and after an item wrapped onto a second line 'not at the column of the keys or items'.
  it('at the items\' own column, in a list at its key\'s column or after a wrapped item, the same error at the "-"', async () => {
    const NO_SPACE = 'error: a list item needs a space after its "-": YAML reads "-pii" as a key, not an item; write "- pii" for an item [yaml/syntax]';
    const cases = [
      ['      - email\n      -pii\n', '21:7'],
      ['      - email\n        or text\n      -pii\n', '22:7'],
      ['        - email\n          or text\n        -pii\n', '22:9'],
      // A key after the list: yaml's 'Implicit keys need to be on a single line'.
      ['      - email\n      -pii\n      description: more\n', '21:7'],
    ] as const;
    for (const [values, at] of cases) {
      const r = await validate(values);
      expect(r.code, values).toBe(1);
      expect(r.stdout.split('\n').filter((l) => l.includes('[yaml/')), values).toEqual([`prompts/t.yaml:${at}: ${NO_SPACE}`]);
      await dir?.remove();
      dir = undefined;
    }
  });

  // From review: "-3" got 'write "- 3"', a suggestion that drops the number's sign.
  it('a number after the "-" keeps its sign in the suggestion ("- -3"), in the warning and in the error', async () => {
    const r = await validate('        - 1\n         -3\n');
    expect(r.stdout.split('\n').filter((l) => l.includes('[yaml/'))).toEqual([
      'prompts/t.yaml:21:10: warning: "-3" has no space after its "-", so YAML reads this line as more of the list item above ("1 -3"), not as an item of its own: write "- -3" for an item, or quote the item\'s text if the line belongs to it [yaml/continued-item]',
    ]);
    await dir?.remove();
    const cases = [
      ['-2.5', '- -2.5'],
      ['-.5', '- -.5'],
      ['-1e3', '- -1e3'],
      ['-.inf', '- -.inf'],
      // Not a number: the "-" was the item's.
      ['-3rd', '- 3rd'],
      ['-x2', '- x2'],
    ] as const;
    for (const [written, item] of cases) {
      const e = await validate(`        - 1\n        ${written}\n`);
      expect(e.code, written).toBe(1);
      expect(e.stdout.split('\n').filter((l) => l.includes('[yaml/')), written).toEqual([
        `prompts/t.yaml:21:9: error: a list item needs a space after its "-": YAML reads "${written}" as a key, not an item; write "${item}" for an item [yaml/syntax]`,
      ]);
      await dir?.remove();
      dir = undefined;
    }
  });

  it('says nothing of text that only looks alike', async () => {
    const quiet = [
      // A | or > text holds its lines as written.
      '        - |\n          a list:\n          -x\n',
      '        - >\n          a list:\n          -x\n',
      // A quoted text, a flow list.
      '        - "a list:\n          -x"\n',
      '        [a list,\n          -x]\n',
      // Wrapped deeper than the item's text: the text's own line.
      '        - temperatures may drop to\n            -5 degrees\n',
      // "- " in a | or > text, a quoted text: prose as written.
      '        - |\n          steps:\n          - one\n',
      '        - >\n          steps:\n          - one\n',
      "        - 'steps:\n          - one'\n",
    ];
    for (const values of quiet) {
      const r = await validate(values);
      expect(r.stdout, values).not.toContain('continued-item');
      await dir?.remove();
      dir = undefined;
    }
  });

  // From review: "- sms" under "- email", at the item's text (an editor's indent), was read silently as "email - sms".
  it('"- sms" with its space, right of the items\' "-", is a warning at the "-" too, at any column right of it', async () => {
    const SPACED = (line: number, column: number, written: string, item: string) =>
      `prompts/t.yaml:${line}:${column}: warning: "${written}" is indented past the "-" of the list item above, so YAML reads this line as more of that item's text ("${item}"), not as an item of its own: write it at the column of the items' "-" for an item, or quote the item's text if the line belongs to it [yaml/continued-item]`;
    const cases = [
      ['        - email\n          - sms\n', [SPACED(21, 11, '- sms', 'email - sms')]],
      ['        - email\n         - sms\n', [SPACED(21, 10, '- sms', 'email - sms')]],
      ['        - email\n            - sms\n', [SPACED(21, 13, '- sms', 'email - sms')]],
      ['        - email\n          or text\n          - sms\n          -pii\n', [SPACED(22, 11, '- sms', 'email or text - sms -pii'), WARNING(23, 11, '-pii', 'email or text - sms -pii')]],
      // A list at its key's column.
      ['      - email\n        - sms\n', [SPACED(21, 9, '- sms', 'email - sms')]],
    ] as const;
    for (const [values, expected] of cases) {
      const r = await validate(values);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout.split('\n').filter((l) => l.includes('[yaml/')), values).toEqual(expected);
      await dir?.remove();
      dir = undefined;
    }
  });

  it('a mapping\'s value running on is not a list item: not said', async () => {
    dir = await tempDir('promptctl-continued-item-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 't.yaml'), version('        - email\n').replace('      description: the channel\n', '      description: the channel\n        -and more\n        - and more still\n'));
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toContain('continued-item');
  });
});
