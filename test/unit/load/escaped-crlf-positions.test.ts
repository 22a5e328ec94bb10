// A double-quoted prompt text with escaped Windows line ends ("…\r\n…", as prompts converted from
// JSON often are) loses each CR when normalised, and a leading "\ufeff" its byte-order mark. A
// finding located in the normalised text was placed as if they were still there: one column
// early for every "\r\n" before it on its source line, so 20 of them put it 20 columns off.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/load/index.js';

const TEMPLATE = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: billing\nspec:\n  model: gpt-4o\n';
const version = (system: string, user: string) =>
  `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: billing\n  version: "1.0.0"\n  systemInstruction: ${system}\n  userTemplate: ${user}\n  variables:\n    - {name: q, type: string, maxLength: 100}\n`;

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'promptctl-escaped-crlf-'));
  await mkdir(path.join(base, 'p'));
  await writeFile(path.join(base, 'p/t.yaml'), TEMPLATE);
});
afterEach(() => rm(base, { recursive: true, force: true }));

/** Each undeclared placeholder's name and the column where the source line has it. */
async function placed(system: string, user: string) {
  const text = version(system, user);
  await writeFile(path.join(base, 'p/v.yaml'), text);
  const r = await loadProject({ dir: 'p', cwd: base });
  const lines = text.split('\n');
  return r.diagnostics
    .filter((d) => d.rule === 'placeholders/undeclared')
    .map((d) => {
      const name = /\{\{(\w+)\}\}/.exec(d.message)![1]!;
      return { name, reported: `${d.line}:${d.column}`, inSource: `${d.line}:${lines[d.line - 1]!.indexOf(`{{${name}}}`) + 1}` };
    });
}

describe('findings in a double-quoted text with escaped line ends', () => {
  it('are at their own column after "\\r\\n" escapes', async () => {
    const found = await placed('"Hi\\r\\nUse {{a}} and\\r\\nthen\\r\\n{{b}}. {{q}}"', '"{{q}}"');
    expect(found.map((f) => f.name)).toEqual(['a', 'b']);
    for (const f of found) expect(f.reported, f.name).toBe(f.inSource);
  });

  it('are at their own column after a leading "\\ufeff" escape', async () => {
    const found = await placed('"{{q}}"', '"\\ufeff{{c}} {{q}}"');
    expect(found).toHaveLength(1);
    expect(found[0]!.reported).toBe(found[0]!.inSource);
  });
});
