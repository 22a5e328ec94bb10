// A value a diagnostic quotes may hold a line break (`model: "gpt\n4o"`). Text output showed it
// as a space (`unknown model "gpt 4o"`, `"{{a b}}"`), so the message quoted a value the file does
// not hold; and a schema message quoted it with its whitespace collapsed, so even the GitHub
// annotation said `bad name`. Now a quoted value keeps its line break: one visible `\n` in text
// (the diagnostic stays on its line), the workflow command's own `%0A` in `--format github`.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const DOCS = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: "bad\\nname"
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: good-bot
spec:
  model: "gpt\\n4o"
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: good-bot
  version: "1.0.0"
  systemInstruction: "x {{ a\\nb }}"
  userTemplate: "hi"
`;

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir('promptctl-validate-quoted-nl-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts/docs.yaml'), DOCS);
});
afterEach(async () => {
  await dir.remove();
});

describe('validate: a line break inside a quoted value', () => {
  it('text: shown as one visible \\n, each diagnostic on its own line', async () => {
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: metadata.name "bad\\nname" is not valid');
    expect(r.stdout).toContain('error: unknown model "gpt\\n4o"');
    expect(r.stdout).toContain('warning: "{{ a\\nb }}" in systemInstruction is not a placeholder');
    for (const line of r.stdout.trimEnd().split('\n')) expect(line).toMatch(/^prompts\/docs\.yaml:\d+:\d+: (error|warning): /);
  });

  it('github: the workflow command escape, %0A', async () => {
    const r = await runCliInProcess(['validate', '--format', 'github'], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::metadata.name "bad%0Aname" is not valid');
    expect(r.stdout).toContain('::unknown model "gpt%0A4o"');
    expect(r.stdout).toContain('::"{{ a%0Ab }}" in systemInstruction is not a placeholder');
  });
});

// A line or paragraph separator (U+2028, U+2029: YAML's "\L", "\P") ends a line for many
// readers and editors as a line break does: in text it is shown as its escape, \u2028, as a name
// in an address is, never raw.
describe('validate: a line or paragraph separator inside a quoted value', () => {
  it('text: shown as \\u2028 and \\u2029, each diagnostic on its own line', async () => {
    await writeFile(
      join(dir.path, 'prompts/docs.yaml'),
      'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: sep-bot\nspec:\n  model: "gpt\\L4o\\Pmini"\n',
    );
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: unknown model "gpt\\u20284o\\u2029mini"');
    expect(r.stdout).not.toMatch(/[\u2028\u2029]/);
    for (const line of r.stdout.trimEnd().split(/\r\n|[\n\r\u2028\u2029]/)) expect(line).toMatch(/^prompts\/docs\.yaml:\d+:\d+: (error|warning): /);
  });
});
