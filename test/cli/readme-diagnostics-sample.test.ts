// README's "Diagnostics" sample is what validate prints for the tree it describes: it showed a
// placeholder message (and a column) promptctl had stopped printing. The tree is rebuilt here and
// the sample compared whole, so a change of wording or place updates the README too.
import { mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

const FILES: Record<string, string> = {
  'template.yaml': 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: billing}\nspec:\n  model: gpt-4o\n',
  'traffic.yaml': 'apiVersion: promptctl/v1\nkind: TrafficSplit\nspec:\n  template: billing\n  strategy: random\n  routes:\n    - {version: "1.0.0", weight: 90}\n',
  // userTemplate on line 12, its misspelt placeholder at column 26.
  'v1.yaml': [
    'apiVersion: promptctl/v1',
    'kind: PromptVersion',
    'spec:',
    '  template: billing',
    '  version: "1.0.0"',
    '  variables:',
    '    - {name: account, type: string, maxLength: 20}',
    '  systemInstruction: |',
    '    You are a billing assistant.',
    '    Answer briefly.',
    '    Never guess an amount.',
    '  userTemplate: "Account {{acount}}"',
    '',
  ].join('\n'),
};

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

it("README's Diagnostics sample is what validate prints", async () => {
  const section = README.slice(README.indexOf('## Diagnostics'));
  const sample = /```text\n\$ npx promptctl validate\n([\s\S]*?)```/.exec(section)![1]!;
  dir = await tempDir('promptctl-readme-diagnostics-');
  await mkdir(join(dir.path, 'prompts', 'billing'), { recursive: true });
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir.path, 'prompts', 'billing', name), text);
  const r = await runCliInProcess(['validate'], { cwd: dir.path });
  expect(r.code).toBe(1);
  expect(r.stdout + r.stderr).toBe(sample);
});
